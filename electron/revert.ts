/**
 * Reverting one op from the explorer. The preview says what each choice
 * would write, from the inspector: the record now, the record after, and the
 * later ops on it that a full revert would overwrite. The write goes through
 * the session's Store: in writer mode as the store's writer, in agent mode as
 * a compensating write by the explorer's own agent (history stays intact).
 */
import { OpslogError } from "../engine/src/errors.js";
import type { Store } from "../engine/src/store.js";
import { changedFields, fieldsChangedLater, jsonEqual, undoOwnChange } from "../engine/src/inspect/index.js";
import type { Doc, InspectorApi, LaterChange, TimelineOp } from "../engine/src/inspect/index.js";
import type { RevertPreview } from "./contract.js";

export type RevertMode = "own-change" | "full";
/** What the user saw in the preview; the write refuses if the store moved on since */
export interface RevertSeen {
  file: string;
  line: number;
  laterOps: number;
}

const LATER_OPS_SHOWN = 50;

export async function previewRevert(inspector: InspectorApi, pos: number): Promise<RevertPreview> {
  const op = await inspector.op({ pos });
  if (!op) throw new OpslogError("not-found", `There is no op at position ${pos}.`);
  const later = (await inspector.recordHistory({ id: op.id })).filter((h) => h.pos > pos);
  const changes: LaterChange[] = later.map((h) => ({ pos: h.pos, op: h.op, before: h.before, after: h.after }));
  const now = await inspector.record({ id: op.id });
  const own = undoOwnChange(op, now, changes);
  return {
    op,
    now,
    afterFull: op.prev,
    afterOwnChange: own.value,
    ownChange: { applicable: own.applicable, restored: own.restored, explanation: own.explanation },
    fullExplanation: explainFull(op, now, later.length),
    fieldsChangedLater: fieldsChangedLater(changedFields(op.prev, op.data), changes),
    laterOps: later.slice(0, LATER_OPS_SHOWN).map((h, i) => ({ pos: h.pos, ts: h.ts, agent: h.agent, op: h.op, file: h.file, line: h.line, fields: changedFields(changes[i].before, changes[i].after) })),
    laterOpsTotal: later.length,
  };
}

function explainFull(op: TimelineOp, now: Doc | null, later: number): string {
  const overwrites = later > 0 ? `, overwriting what ${later} later op(s) changed since` : "";
  if (op.prev === null) return now === null ? `"${op.id}" did not exist before this op and is absent now: nothing to write.` : `"${op.id}" did not exist before this op: the full revert deletes it${overwrites}.`;
  if (jsonEqual(now, op.prev)) return `"${op.id}" already has the value it had before this op: nothing to write.`;
  return `Sets "${op.id}" back to the whole value it had before this op${overwrites}.`;
}

/** Write the chosen revert; returns the sentence for the user. */
export async function applyRevert(store: Store<Doc>, preview: RevertPreview, mode: RevertMode, seen?: RevertSeen): Promise<string> {
  const { op } = preview;
  if (seen && (seen.file !== op.file || seen.line !== op.line)) {
    throw new OpslogError("changed-on-disk", `Position ${op.pos} is now a different op (${op.file}:${op.line}, not ${seen.file}:${seen.line}): the timeline changed since the preview. Nothing was written; select the op again.`);
  }
  if (seen && seen.laterOps !== preview.laterOpsTotal) {
    throw new OpslogError("changed-on-disk", `"${op.id}" changed since the preview: ${preview.laterOpsTotal} later op(s) now, ${seen.laterOps} when you looked. Nothing was written; open the revert again to see what it would do now.`);
  }
  if (mode === "own-change" && !preview.ownChange.applicable) {
    throw new OpslogError("nothing-to-undo", `Undo only this op's change: ${preview.ownChange.explanation}`);
  }
  const target = mode === "full" ? preview.afterFull : preview.afterOwnChange;
  if (jsonEqual(target, preview.now)) return `Op ${op.pos}: "${op.id}" already has that value; nothing was written.`;
  if (target === null) await store.delete(op.id);
  else await store.set(op.id, target);
  if (mode === "full") {
    const overwritten = preview.laterOpsTotal > 0 ? `, overwriting ${preview.laterOpsTotal} later op(s)` : "";
    return target === null ? `Reverted op #${op.pos + 1} in full: "${op.id}" did not exist before it, so it was deleted${overwritten}.` : `Reverted op #${op.pos + 1} in full: "${op.id}" is back to its value before that ${op.op}${overwritten}.`;
  }
  const kept = preview.fieldsChangedLater.length ? `; kept the later value of ${preview.fieldsChangedLater.join(", ")}` : "";
  if (target === null) return `Undid op #${op.pos + 1}: "${op.id}", which it created, was deleted.`;
  return `Undid only op #${op.pos + 1}'s change to "${op.id}": ${preview.ownChange.restored.join(", ")} back as before it${kept}.`;
}
