/**
 * Last-writer-wins conflicts: an agent's write to a key that overrode another
 * agent's write it had never seen. Evidence: the overriding op's `prev` (what
 * its writer had in memory) is not what the overridden op wrote.
 */
import { isDeepStrictEqual } from "node:util";
import type { ScannedOp } from "./walscan.js";

export interface OpWithPos extends ScannedOp {
  pos: number | null;
}

export interface ConflictRecord {
  id: string;
  winner: OpWithPos;
  losers: OpWithPos[];
}

export class ConflictFinder {
  readonly found: ConflictRecord[] = [];
  private lastWrite = new Map<string, OpWithPos>();

  /** Call for each op in replay order, before it is applied. */
  observe(op: OpWithPos, _current: unknown): void {
    const last = this.lastWrite.get(op.id);
    this.lastWrite.set(op.id, op);
    if (!last || last.agent === null || op.agent === null || last.agent === op.agent) return;
    const lastResult = last.op === "set" ? last.data : null;
    if (isDeepStrictEqual(op.prev, lastResult)) return; // the writer had seen it: an ordinary update
    this.found.push({ id: op.id, winner: op, losers: [last] });
  }
}

export function explainConflict(id: string, winnerAgent: string | null, loserAgents: (string | null)[]): string {
  const losers = [...new Set(loserAgents.map((a) => a ?? "a single writer"))].join(", ");
  return `${winnerAgent ?? "A writer"} wrote "${id}" without having seen ${losers}'s earlier write to it. opslog keeps the write that sorts last by (Lamport clock, agent id), so ${losers}'s write was silently replaced: nobody merged the two.`;
}
