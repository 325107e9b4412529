/**
 * Re-applying lost writes: ops on disk that no reader of the store sees
 * (appended to a retired WAL, left out by a compaction that had not seen
 * them, torn by opslog's undo: whatever lost-writes.ts finds). The preview
 * says, per record, its value now, its value after, and the later ops that
 * re-applying overrides, as revert does; the write refuses if a record moved
 * on since the preview. Re-applying writes each record's value anew through
 * the session's Store (a new op; the lost line stays where it is), and the
 * session remembers which op re-applied which lost write.
 */
import { createHash } from "node:crypto";
import { OpslogError } from "../engine/src/errors.js";
import type { Store } from "../engine/src/store.js";
import { changedFields, jsonEqual } from "../engine/src/inspect/index.js";
import type { Doc, HistoryEntry, InspectorApi, LostWrite } from "../engine/src/inspect/index.js";
import type { LostWriteRef, ReapplyPreview, ReapplyRecord, ReapplySeen } from "./contract-writes.js";

const LATER_OPS_SHOWN = 50;
const PAGE = 1000;

const refKey = (r: LostWriteRef) => `${r.file}:${r.line}`;

/** Every lost write, a page at a time (they are few: faults). */
export async function allLostWrites(inspector: InspectorApi): Promise<LostWrite[]> {
  const out: LostWrite[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await inspector.lostWrites({ offset, limit: PAGE });
    out.push(...page.rows);
    if (offset + PAGE >= page.total) return out;
  }
}

/** Timeline order where both have a position; else by time, then clock, then place on disk. */
function byOrder(a: LostWrite, b: LostWrite): number {
  if (a.pos !== null && b.pos !== null) return a.pos - b.pos;
  return a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : (a.clock ?? 0) - (b.clock ?? 0) || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line);
}

/** The ops on the record after the lost write: by position when it has one, else those written after it. */
function laterThan(write: LostWrite, history: HistoryEntry[]): HistoryEntry[] {
  return write.pos !== null ? history.filter((h) => h.pos > write.pos!) : history.filter((h) => h.ts > write.ts);
}

const digest = (value: Doc | null) => createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16);

export async function previewReapply(inspector: InspectorApi, refs: LostWriteRef[]): Promise<ReapplyPreview> {
  const lost = new Map((await allLostWrites(inspector)).map((w) => [refKey(w), w]));
  const chosen = refs.map((r) => {
    const w = lost.get(refKey(r));
    if (!w) throw new OpslogError("changed-on-disk", `${r.file}:${r.line} is not a lost write now (the store changed, or it was never one). Nothing was written; look at the lost writes again.`, { file: r.file, line: r.line });
    if (w.op === "set" && w.data === null) throw new OpslogError("bad-argument", `The lost ${w.op} of "${w.id}" at ${w.file}:${w.line} has no readable value to re-apply.`, { file: w.file, line: w.line });
    return w;
  });
  const byId = new Map<string, LostWrite[]>();
  for (const w of chosen) byId.set(w.id, [...(byId.get(w.id) ?? []), w]);
  const records: ReapplyRecord[] = [];
  for (const [id, writes] of byId) records.push(await recordPreview(inspector, id, writes.sort(byOrder)));
  return { records };
}

async function recordPreview(inspector: InspectorApi, id: string, writes: LostWrite[]): Promise<ReapplyRecord> {
  const decisive = writes[writes.length - 1];
  const later = laterThan(decisive, await inspector.recordHistory({ id }));
  const now = await inspector.record({ id });
  const after = decisive.op === "set" ? decisive.data : null;
  const unchanged = jsonEqual(now, after);
  return {
    id, writes, now, after, unchanged,
    laterOps: later.slice(0, LATER_OPS_SHOWN).map((h) => ({ pos: h.pos, ts: h.ts, agent: h.agent, op: h.op, file: h.file, line: h.line, fields: changedFields(h.before, h.after) })),
    laterOpsTotal: later.length,
    explanation: explain(id, decisive, now, after, unchanged, later.length),
    seen: { id, laterOps: later.length, now: digest(now) },
  };
}

function explain(id: string, w: LostWrite, now: Doc | null, after: Doc | null, unchanged: boolean, later: number): string {
  const who = `${w.agent ?? "the writer"} at ${w.ts}`;
  if (unchanged) return after === null ? `"${id}" is absent already, as the lost delete left it: nothing to write.` : `"${id}" already holds the value the lost write had: nothing to write.`;
  const overrides = later > 0 ? `, overriding what ${later} later op(s) changed since` : "";
  if (after === null) return `Deletes "${id}", as ${who} did${overrides}.`;
  const fields = changedFields(now, after);
  return `${now === null ? "Creates" : "Sets"} "${id}" to the value ${who} wrote${now === null ? "" : ` (changes ${fields.join(", ")})`}${overrides}.`;
}

/** Refuse if any record moved on since the preview the user saw. */
export function checkSeen(preview: ReapplyPreview, seen: ReapplySeen[]): void {
  for (const r of preview.records) {
    const saw = seen.find((s) => s.id === r.id);
    if (!saw) throw new OpslogError("changed-on-disk", `"${r.id}" was not in the preview you saw. Nothing was written; open the re-apply again.`);
    if (saw.laterOps !== r.seen.laterOps || saw.now !== r.seen.now) {
      throw new OpslogError("changed-on-disk", `"${r.id}" changed since the preview (${r.seen.laterOps} later op(s) now, ${saw.laterOps} when you looked${saw.now !== r.seen.now ? "; its value is different" : ""}). Nothing was written; open the re-apply again to see what it would do now.`);
    }
  }
}

/** Write every record the preview changes, in one append; returns the ids written, in order. */
export async function writeReapply(store: Store<Doc>, preview: ReapplyPreview): Promise<string[]> {
  const changes = preview.records.filter((r) => !r.unchanged);
  if (changes.length === 0) return [];
  await store.batch(() => {
    for (const r of changes) {
      if (r.after === null) void store.delete(r.id);
      else void store.set(r.id, r.after);
    }
  });
  return changes.map((r) => r.id);
}

/** Which op re-applied which lost write, for this session: lost write (file:line) -> the op's WAL, its index in that WAL and its line. */
export class ReapplyLedger {
  private entries = new Map<string, { file: string; index: number; line: number }>();

  note(write: LostWriteRef, op: { file: string; index: number; line: number }): void {
    this.entries.set(refKey(write), op);
  }

  /** The lost write's re-applying op, its position looked up now; null when there is none, or it is gone (undone). */
  async find(inspector: InspectorApi, write: LostWriteRef): Promise<{ pos: number | null; file: string; line: number } | null> {
    const op = this.entries.get(refKey(write));
    if (!op) return null;
    const row = (await inspector.laneOps({ path: op.file, offset: op.index, limit: 1 }).catch(() => null))?.rows[0];
    // Undone since (the line is gone or another op's now): the lost write is lost again.
    return row && row.line === op.line ? { pos: row.pos, file: op.file, line: op.line } : null;
  }
}
