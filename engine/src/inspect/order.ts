/**
 * opslog's replay order, computed while the WALs stream in: each WAL is
 * already in clock order (an agent's clock only ticks up), so the runs are
 * merged as they are read, a chunk at a time. The result equals opslog's
 * stable sort by (clock, agent) over the WALs concatenated. A WAL found out
 * of order stops the merge (OutOfOrder) and the caller sorts instead.
 */
import type { ScannedOp } from "./walscan.js";

export { compareOps } from "../order.js";

/** One WAL being read: the ops of its current chunk, and how to get the next. */
export interface MergeSource {
  buf: ScannedOp[];
  i: number;
  /** Make buf[i] available, unless the WAL is read to its end. */
  fill(): Promise<void>;
}

export class OutOfOrder extends Error {}

/**
 * Emit every op of the sources in replay order. `ranks[op.agentIdx]` orders
 * agents as opslog's localeCompare does; it is read on each comparison, as
 * new agents may appear while the WALs are read.
 */
export async function mergeInReplayOrder(sources: MergeSource[], ranks: () => Int32Array, emit: (op: ScannedOp) => void): Promise<void> {
  for (const source of sources) await source.fill();
  const last: (ScannedOp | null)[] = sources.map(() => null);
  const n = sources.length;
  for (;;) {
    const rank = ranks();
    let best = -1;
    let bestOp: ScannedOp | null = null;
    for (let r = 0; r < n; r++) {
      const s = sources[r];
      if (s.i >= s.buf.length) continue;
      const op = s.buf[s.i];
      // Strictly less: on equal keys the earlier WAL wins, as in a stable sort.
      if (bestOp === null || compareKeys(op, bestOp, rank) < 0) {
        best = r;
        bestOp = op;
      }
    }
    if (bestOp === null) return;
    const source = sources[best];
    source.i++;
    const before = last[best];
    if (before !== null && compareKeys(bestOp, before, rank) < 0) {
      throw new OutOfOrder(`line ${bestOp.line} sorts before line ${before.line} of the same WAL`);
    }
    last[best] = bestOp;
    emit(bestOp);
    if (source.i >= source.buf.length) await source.fill();
  }
}

function compareKeys(a: ScannedOp, b: ScannedOp, rank: Int32Array): number {
  return (a.clock ?? 0) - (b.clock ?? 0) || rank[a.agentIdx] - rank[b.agentIdx];
}
