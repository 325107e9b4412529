/**
 * Lost writes, one definition for every view: an op is lost when no reader
 * of the store will ever see it, though its writer believes it saved. Three
 * ways: it was appended to a WAL after a compaction had read the store (the
 * manifest then retired that WAL); or a compaction that had not seen it
 * wrote a snapshot without its effect (the compacting agent had not
 * refreshed since it was written); or it was appended onto a line that
 * opslog's undo tore (undo-fault.ts), which opslog skips whole on read.
 * Every such op is lost, even when the
 * current state happens to hold the same value: that is said, not hidden.
 */
import { isDeepStrictEqual } from "node:util";
import type { StoreIndex } from "./store-index.js";
import { ABSENT } from "./versions.js";
import { prevOf } from "./walscan.js";
import type { ScannedOp } from "./walscan.js";
import type { ChainLink, Doc, LostWrite } from "./types.js";

/**
 * Of the ids whose replayed value differs from the snapshot that ends
 * `link`, the ones a compaction that had not seen some of their ops
 * explains: the snapshot holds the effect of one of the link's ops on the
 * id (or the value its first op started from), and every later op on it is
 * another agent's, one the compacting agent had not seen. Those ops go to
 * history.dropped. `compactor`: the compacting agent, when known.
 */
export function unseenByCompaction(history: StoreIndex, link: ChainLink, ids: string[], next: Map<string, unknown>, compactor: string | null): Set<string> {
  const explained = new Set<string>();
  if (ids.length === 0 || link.endPos === link.startPos) return explained;
  const byId = linkEntriesOn(history, link, ids);
  const ops = history.reader.many([...byId.values()].flat());
  for (const [id, entries] of byId) {
    const from = unseenFrom(entries.map((e) => ops.get(e)!), next.has(id) ? (next.get(id) as Doc) : null, compactor);
    if (from === null) continue;
    for (const e of entries.slice(from)) history.dropped.add(e);
    explained.add(id);
  }
  return explained;
}

/** Per id (of those with a record), the link's entries on it in timeline order; one pass over the link's positions. */
export function linkEntriesOn(history: StoreIndex, link: ChainLink, ids: Iterable<string>): Map<string, number[]> {
  const { table, timeline, versions } = history;
  const byRec = new Map<number, number[]>();
  for (const id of ids) {
    const rec = versions.recOf(id);
    if (rec !== undefined) byRec.set(rec, []);
  }
  // Rare (a mismatch, or an archive's value that was not the link's), so a pass over the link's positions is cheaper than indexing every link by record.
  if (byRec.size > 0) for (let p = link.startPos; p < link.endPos; p++) byRec.get(table.rec(timeline.get(p)))?.push(timeline.get(p));
  return new Map([...byRec].map(([rec, entries]) => [versions.ids.at(rec), entries]));
}

/**
 * Where a compaction's blind spot begins, when one explains that the
 * snapshot (or an archive) wrote `value` for an id whose link ops are `ops`
 * (in timeline order): the index of the first op its agent had not seen, or
 * null when nothing the link wrote, nor what it started from, is `value`
 * (damage), or when an op after it is the compacting agent's own.
 */
export function unseenFrom(ops: ScannedOp[], value: Doc | null, compactor: string | null): number | null {
  if (ops.length === 0) return null;
  let seen = ops.length - 1;
  while (seen >= 0 && !isDeepStrictEqual(effect(ops[seen]), value)) seen--;
  // Nothing the link wrote, nor what it started from: not a compaction's blind spot, damage.
  if (seen === -1 && !isDeepStrictEqual(prevOf(ops[0]), value)) return null;
  // Only another agent's write can be unseen: a single writer, or the compacting agent, sees its own.
  const unseen = ops.slice(seen + 1);
  return unseen.every((op) => op.agent !== null && op.agent !== compactor) ? seen + 1 : null;
}

function effect(op: ScannedOp): Doc | null {
  return op.op === "set" ? op.data : null;
}

/** Whether the op at entry e is lost: never replayed, or dropped by a compaction that had not seen it. */
export function isLost(history: StoreIndex, e: number): boolean {
  return history.table.pos(e) === -1 || history.dropped.has(e);
}

/** Collect every lost op, in WAL order, and warn once about them all. */
export function markLostWrites(history: StoreIndex): void {
  history.lost = [];
  for (const lane of history.lanes) {
    for (let i = 0; i < lane.entries.length; i++) {
      const e = lane.entries.get(i);
      if (isLost(history, e)) history.lost.push(e);
    }
  }
  if (history.lost.length === 0) return;
  const files = [...new Set(history.lost.map((e) => history.scan.wals[history.table.fileIdx(e)].path))];
  const unseen = history.lost.filter((e) => history.dropped.has(e)).length;
  const torn = history.lost.filter((e) => history.tornByUndo.has(e)).length;
  const retired = history.lost.length - unseen - torn;
  const how = [
    retired > 0 ? `${retired} appended to a WAL after a compaction had read the store (the manifest then retired that WAL)` : "",
    unseen > 0 ? `${unseen} dropped by a compaction whose agent had not seen them` : "",
    torn > 0 ? `${torn} appended onto a line torn by opslog's undo (opslog skips that whole line)` : "",
  ].filter(Boolean);
  history.warnings.push({ code: "lost-writes", severity: "warning", message: `${history.lost.length} write(s) in ${files.join(", ")} are not part of the store: ${how.join("; ")}. Their writers believe them saved.` });
}

/** One lost op as the views show it: where it is, why it is lost, and whether its value is in the store anyway. */
export function lostWriteRow(history: StoreIndex, e: number, op: ScannedOp, file: string): LostWrite {
  const { table, head } = history;
  const rec = table.rec(e);
  const unseen = history.dropped.has(e);
  const torn = history.tornByUndo.has(e);
  const who = op.agent ?? "A writer";
  const link = unseen ? history.links[table.epoch(e)] : history.links.find((l) => l.wals.includes(file));
  const snapshot = link?.next ?? null;
  const why = torn
    ? `Torn by opslog's undo: its writer believes it saved this ${op.op} of "${op.id}"${op.agent ? ` (${op.agent}'s)` : ""}, but it was appended onto ${file}:${op.line}, a line that opslog's undo() had cut short (it truncates at a character count, not a byte count, in a WAL with non-ASCII text); opslog skips that whole line on read, so no reader replays it.`
    : unseen
    ? `${who} wrote this ${op.op} of "${op.id}" to ${file}, but the compaction that wrote ${snapshot ?? "the next snapshot"} had not seen it (its agent had not refreshed since it was written), so that snapshot, and every state after it, lacks it.`
    : `${who} appended this ${op.op} of "${op.id}" to ${file} after ${snapshot ? `the compaction that wrote ${snapshot}` : "a compaction"} had read the store; manifest.json no longer names that WAL, so no reader replays it.`;
  const now = head.get(rec) ?? null;
  const heldAnyway = isDeepStrictEqual(now, effect(op));
  const anyway = heldAnyway ? heldAnywayBy(history, e, op, link) : "";
  return {
    file, line: op.line, offset: op.offset, ts: op.ts, agent: op.agent, clock: op.clock, op: op.op, id: op.id, data: op.data,
    pos: table.pos(e) >= 0 ? table.pos(e) : null,
    reason: torn ? "torn-by-undo" : unseen ? "unseen-by-compaction" : "retired-wal",
    heldAnyway,
    explanation: torn ? `${why}${anyway}` : `${why} Its writer believes it saved.${anyway}`,
  };
}

/**
 * Why a lost op's effect is in the store anyway: the op that last wrote the
 * record, numbered as the UI numbers ops (from 1), and placed in timeline
 * order: before or after the lost op, or, for an op that never had a place
 * (appended to a retired WAL), before or after the compaction that retired it.
 */
function heldAnywayBy(history: StoreIndex, e: number, op: ScannedOp, link: ChainLink | undefined): string {
  const { table, versions, agents } = history;
  const src = versions.lastSrc(table.rec(e));
  if (src === ABSENT) return op.op === "set" ? "" : ` "${op.id}" is absent anyway: the store never held it.`;
  if (src < 0 || src === e) return op.op === "set" ? " The store holds the same value anyway, from a snapshot." : ` "${op.id}" is absent anyway, as a snapshot left it.`;
  const srcPos = table.pos(src);
  const pos = table.pos(e);
  const when = pos >= 0 ? (srcPos > pos ? "later" : "earlier") : link && srcPos < link.endPos ? "before that compaction" : "after that compaction";
  const by = `${agents.names[table.agent(src)] ?? "a writer"} (op #${srcPos + 1})`;
  return op.op === "set" ? ` The store holds the same value anyway: it was written ${when} by ${by}.` : ` "${op.id}" is absent anyway: it was removed ${when} by ${by}.`;
}
