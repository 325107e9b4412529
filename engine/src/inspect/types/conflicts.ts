// Writes the store lost: last-writer-wins conflicts, and ops no reader sees.
// Part of the inspector's answer types, re-exported by ../types.ts.
import type { Doc, PageRequest } from "./common.js";

/** Which conflicts to list: all, or (with `pos`) only those the op at that position is in, as winner or loser. */
export interface ConflictsRequest extends PageRequest {
  pos?: number;
}

export interface OpRef {
  pos: number | null;
  file: string;
  line: number;
  agent: string | null;
  clock: number | null;
  ts: string;
}

/** A key two or more agents wrote concurrently, where LWW kept one write and silently dropped others. */
export interface Conflict {
  id: string;
  winner: OpRef & { data: Doc | null; op: "set" | "delete" };
  losers: (OpRef & { data: Doc | null; op: "set" | "delete" })[];
  /** Plain-language explanation for a newcomer */
  explanation: string;
}

/** An op no reader of the store will see (see lost-writes.ts): appended to a retired WAL, dropped by a compaction that had not seen it, or appended onto a line torn by opslog's undo. */
export interface LostWrite {
  file: string;
  line: number;
  offset: number;
  ts: string;
  agent: string | null;
  clock: number | null;
  op: "set" | "delete";
  id: string;
  data: Doc | null;
  /** Its timeline position, when it was replayed before the compaction that dropped it */
  pos: number | null;
  reason: "retired-wal" | "unseen-by-compaction" | "torn-by-undo";
  /** The current state holds its effect anyway (a later write of the same value) */
  heldAnyway: boolean;
  explanation: string;
}
