/**
 * Reverting one op, two ways, as pure functions over values the inspector
 * already has (the op, the record now, the record's later changes):
 * - the full revert puts the record back as it was before the op, which
 *   overwrites every later change to it;
 * - "undo only this op's change" takes the op's own field changes back off
 *   the current value: fields it set return to their old values, fields it
 *   added go, fields it removed come back; fields a later op changed again
 *   keep their later value and are named. Top-level fields only, as opslog's
 *   delta encoding.
 */
import { jsonEqual } from "./json.js";
import type { Doc } from "./types.js";

/** The op being reverted: prev is the full record before it (null: it created the record). */
export interface RevertTarget {
  op: "set" | "delete" | "archive";
  id: string;
  data: Doc | null;
  prev: Doc | null;
}

/** One later op on the same record: the record before and after it. */
export interface LaterChange {
  pos: number;
  op: "set" | "delete" | "archive";
  before: Doc | null;
  after: Doc | null;
}

export interface OwnChangeUndo {
  /** Whether undoing only this op's change writes anything */
  applicable: boolean;
  /** The record after undoing only this op's change (null: absent); the current value when not applicable */
  value: Doc | null;
  /** Fields this op changed that go back to their value before it */
  restored: string[];
  /** Fields this op changed that later ops changed again: they keep their later value */
  keptLater: string[];
  /** One or two plain sentences: what this choice does, or why it cannot */
  explanation: string;
}

/** Top-level fields whose value differs between two versions of a record (an absent record has no fields). */
export function changedFields(before: Doc | null, after: Doc | null): string[] {
  const a = before ?? {};
  const b = after ?? {};
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.filter((k) => Object.hasOwn(a, k) !== Object.hasOwn(b, k) || !jsonEqual(a[k], b[k]));
}

/** The fields of `fields` that any of the later ops changed. */
export function fieldsChangedLater(fields: string[], later: LaterChange[]): string[] {
  const touched = new Set(later.flatMap((c) => changedFields(c.before, c.after)));
  return fields.filter((f) => touched.has(f));
}

const list = (fields: string[]) => fields.map((f) => `"${f}"`).join(", ");
const opRef = (c: LaterChange) => `#${c.pos + 1} (${c.op})`; // op numbers as the UI shows them, from 1

/** Undo only this op's own change on top of `now`, keeping what later ops did. */
export function undoOwnChange(target: RevertTarget, now: Doc | null, later: LaterChange[]): OwnChangeUndo {
  const id = target.id;
  const notApplicable = (explanation: string, keptLater: string[] = []): OwnChangeUndo => ({ applicable: false, value: now, restored: [], keptLater, explanation });
  if (target.op === "set" && target.prev === null) {
    if (later.length > 0) return notApplicable(`This op created "${id}", and ${later.length} later op(s) changed it since (first ${opRef(later[0])}). Undoing only the creation would mean deleting their changes too, so it is not offered; the full revert deletes the record anyway.`);
    if (now === null) return notApplicable(`This op created "${id}", and it is no longer in the live state: nothing to undo.`);
    return { applicable: true, value: null, restored: Object.keys(now), keptLater: [], explanation: `This op created "${id}" and nothing changed it since: undoing it deletes the record.` };
  }
  const fields = changedFields(target.prev, target.data);
  const keptLater = fieldsChangedLater(fields, later);
  if (target.op === "delete" && now === null) {
    const last = later[later.length - 1];
    if (last?.op === "archive") return notApplicable(`"${id}" was created again after this op, then archived (${opRef(last)}): it is absent from the live state because it is in the archive. Use the full revert to bring back the value before this delete.`, keptLater);
    if (later.length > 0) return notApplicable(`"${id}" was created again and deleted again after this op (last ${opRef(last)}); that later delete is what keeps it absent. Revert that op instead, or use the full revert to bring back the value before this delete.`, keptLater);
    return { applicable: true, value: { ...target.prev }, restored: fields, keptLater: [], explanation: `This op deleted "${id}" and nothing touched it since: undoing it recreates the record as it was.` };
  }
  if (now === null) {
    const deleter = [...later].reverse().find((c) => c.op === "delete" || c.op === "archive");
    if (deleter?.op === "archive") return notApplicable(`"${id}" was archived after this op (${opRef(deleter)}): it is in the archive, not the live state, so there is no current value to undo this op's change on. Use the full revert to restore the value before this op.`, keptLater);
    return notApplicable(deleter ? `"${id}" was deleted after this op, by ${opRef(deleter)}: undoing only this op's change would bring back a record that a later op removed. Use the full revert to restore the value before this op anyway.` : `"${id}" is not in the live state now (archived, or removed without an op): there is no current value to undo this op's change on. Use the full revert to restore the value before this op.`, keptLater);
  }
  const restored = fields.filter((f) => !keptLater.includes(f));
  const value: Doc = { ...now };
  for (const f of restored) {
    if (target.prev !== null && Object.hasOwn(target.prev, f)) value[f] = target.prev[f];
    else delete value[f];
  }
  const kept = keptLater.length ? ` Later ops changed ${list(keptLater)} again: ${keptLater.length === 1 ? "it keeps its" : "they keep their"} later value.` : "";
  if (fields.length === 0) return notApplicable(`This op wrote the value "${id}" already had: it changed no field, so there is nothing to undo.`);
  if (restored.length === 0) return notApplicable(`Every field this op changed (${list(fields)}) was changed again by later ops: undoing only this op's change would change nothing. The full revert overwrites those later changes.`, keptLater);
  const recreated = target.op === "delete" ? ` "${id}" was created again after this delete; fields it does not have come back from before the delete.` : "";
  return { applicable: true, value, restored, keptLater, explanation: `${describeRestore(target, restored)}, and keeps everything else as it is now.${recreated}${kept}` };
}

/** "Sets "status" back, brings back "owner" (this op removed it), removes "tag" (this op added it)". */
function describeRestore(target: RevertTarget, restored: string[]): string {
  const had = (doc: Doc | null, f: string) => doc !== null && Object.hasOwn(doc, f);
  const setBack = restored.filter((f) => had(target.prev, f) && had(target.data, f));
  const broughtBack = restored.filter((f) => had(target.prev, f) && !had(target.data, f));
  const removed = restored.filter((f) => !had(target.prev, f));
  const parts = [
    setBack.length ? `sets ${list(setBack)} back to ${setBack.length === 1 ? "its" : "their"} value before this op` : "",
    broughtBack.length ? `brings back ${list(broughtBack)} (this op removed ${broughtBack.length === 1 ? "it" : "them"})` : "",
    removed.length ? `removes ${list(removed)} (this op added ${removed.length === 1 ? "it" : "them"})` : "",
  ].filter(Boolean);
  const text = parts.join(", ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}
