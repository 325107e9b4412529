/**
 * Last-writer-wins conflicts: an agent's write to a key that overrode another
 * agent's write it had never seen. Evidence: the overriding op's `prev` (what
 * its writer had in memory) is not what the overridden op wrote. What it
 * had read instead, found among the record's earlier versions, is what the
 * explanation tells.
 */
import type { ConflictRecord, StoreIndex } from "./store-index.js";
import { jsonEqual } from "./json.js";
import { prevOf } from "./walscan.js";
import type { ScannedOp } from "./walscan.js";
import type { Doc } from "./types.js";

/**
 * Called as each op is indexed, before it becomes the record's latest
 * version: a conflict when a different agent wrote the key last and this
 * op's writer had not seen that write (its prev is not that write's value).
 */
export function detectConflict(history: StoreIndex, op: ScannedOp, rec: number): void {
  const { versions, head } = history;
  const last = versions.lastSrc(rec);
  if (last < 0 || op.agentIdx === 0) return;
  const lastAgent = versions.lastAgent(rec);
  if (lastAgent !== 0 && lastAgent !== op.agentIdx && !head.prevMatches(rec, op)) history.conflicts.push({ rec, winner: op.entry, losers: [last] });
}

/** The version of the record a conflict's winner had read, as its own prev shows: an op's, a snapshot's, or none yet. */
export type ReadVersion =
  | { from: "op"; op: "set" | "delete"; agent: string | null; pos: number }
  | { from: "snapshot"; snapshot: string | null; absent: boolean }
  | { from: "nothing" };

export interface ConflictStory {
  id: string;
  winner: { agent: string | null; op: "set" | "delete" };
  loser: { agent: string | null; pos: number | null };
  /** What the winner had read; null: its prev matches no value the record ever had */
  read: ReadVersion | null;
}

const who = (agent: string | null) => agent ?? "a single writer";
const at = (pos: number | null) => (pos === null ? "" : ` (#${pos + 1})`); // op numbers as the UI shows them, from 1

/** The conflict in plain words, derived from what the winner's own prev shows it had read. */
export function explainConflict(c: ConflictStory): string {
  const w = c.winner.agent ?? "A writer";
  const l = who(c.loser.agent);
  const did = c.winner.op === "set" ? "wrote" : "deleted";
  const replaced = `opslog keeps the write that sorts last by (Lamport clock, agent id), so ${l}'s write was silently replaced: nobody merged the two.`;
  const unseen = `without having seen ${l}'s later write${at(c.loser.pos)}`;
  const read = c.read;
  if (read === null) {
    return `${w}'s ${c.winner.op} of "${c.id}" was based on a value that no version of "${c.id}" in the store's history holds: most likely a write that was undone after ${w} read it. In opslog's order it replaced ${l}'s write${at(c.loser.pos)}; its prev cannot tell whether ${w} had seen that write. ${l}'s value was replaced without a merge.`;
  }
  if (read.from === "nothing") return `${w} ${did} "${c.id}" as if it did not exist yet, ${unseen}, which had created it. ${replaced}`;
  if (read.from === "snapshot") {
    const snap = read.snapshot ?? "the snapshot";
    return read.absent
      ? `${w} ${did} "${c.id}" as if it did not exist (as in ${snap}), ${unseen}. ${replaced}`
      : `${w} ${did} "${c.id}" over the value in ${snap}, the last it had read, ${unseen}. ${replaced}`;
  }
  const whoseDelete = read.agent === c.winner.agent ? "its own" : `${who(read.agent)}'s`;
  if (read.op === "delete") return `${w} ${did} "${c.id}" as if it did not exist: it had seen ${whoseDelete} delete of it${at(read.pos)}, but not ${l}'s later write${at(c.loser.pos)}, which re-created it. ${replaced}`;
  const whose = read.agent === c.winner.agent ? "its own" : `${who(read.agent)}'s`;
  return `${w} ${did} "${c.id}" over ${whose} write${at(read.pos)}, the last value it had read, ${unseen}. ${replaced}`;
}

/**
 * The version of the record that the conflict's winner had read: the latest
 * one before the loser's whose value is the winner's prev; null when none is.
 * `values` reads versions' values (op data or snapshot values) by source.
 */
export function readVersion(history: StoreIndex, c: ConflictRecord, winner: ScannedOp, values: (srcs: number[]) => (Doc | null)[]): ReadVersion | null {
  const { versions, table, agents, links } = history;
  const list = versions.list(c.rec);
  const loserAt = list.src.indexOf(c.losers[0]);
  const before = list.src.slice(0, loserAt === -1 ? list.src.length : loserAt);
  const prev = prevOf(winner);
  // Newest first, a batch at a time: what a writer had read is nearly always a recent version.
  for (let end = before.length; end > 0; end -= READ_BATCH) {
    const from = Math.max(0, end - READ_BATCH);
    const vals = values(before.slice(from, end));
    for (let j = end - 1; j >= from; j--) {
      const value = vals[j - from];
      if (!jsonEqual(value, prev)) continue;
      const src = before[j];
      if (src >= 0) return { from: "op", op: value === null ? "delete" : "set", agent: agents.names[table.agent(src)] ?? null, pos: table.pos(src) };
      const k = list.k[j];
      const snapshot = k === 0 ? (links[0]?.snapshot ?? null) : (links.find((l) => l.endPos === k && l.next !== null)?.next ?? null);
      return { from: "snapshot", snapshot, absent: value === null };
    }
  }
  return prev === null ? { from: "nothing" } : null;
}

const READ_BATCH = 32;
