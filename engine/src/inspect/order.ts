/**
 * opslog's replay order, computed without sorting a million ops: each WAL is
 * already in clock order (an agent's clock only ticks up), so the runs are
 * merged. The result equals opslog's stable sort by (clock, agent) over the
 * WALs concatenated; a run out of order falls back to that very sort.
 */
import { compareOps } from "../store.js";
import type { ScannedOp } from "./walscan.js";

/** Agents ranked once by opslog's comparison (localeCompare), so the merge compares integers. */
function agentRanks(runs: ScannedOp[][]): Map<string, number> {
  const agents = new Set<string>();
  for (const run of runs) for (const op of run) agents.add(op.agent ?? "");
  const sorted = [...agents].sort((a, b) => a.localeCompare(b));
  const ranks = new Map<string, number>();
  sorted.forEach((agent, i) => ranks.set(agent, i > 0 && sorted[i - 1].localeCompare(agent) === 0 ? ranks.get(sorted[i - 1])! : i));
  return ranks;
}

export function mergeInReplayOrder(runs: ScannedOp[][]): ScannedOp[] {
  const nonEmpty = runs.filter((run) => run.length > 0);
  if (nonEmpty.length === 0) return [];
  if (nonEmpty.every((run) => run.every((op) => op.clock === null))) return nonEmpty.flat(); // single-writer: file order
  const ranks = agentRanks(nonEmpty);
  const key = (op: ScannedOp) => (op.clock ?? 0) * ranks.size + ranks.get(op.agent ?? "")!;
  const keys = nonEmpty.map((run) => Float64Array.from(run, key));
  if (keys.some((k) => k.some((v, i) => i > 0 && v < k[i - 1]))) return nonEmpty.flat().sort(compareOps);
  const out: ScannedOp[] = new Array(nonEmpty.reduce((n, run) => n + run.length, 0));
  const next = nonEmpty.map(() => 0);
  for (let o = 0; o < out.length; o++) {
    let best = -1;
    for (let r = 0; r < nonEmpty.length; r++) {
      // Strictly less: on equal keys the earlier run wins, as in a stable sort.
      if (next[r] < keys[r].length && (best === -1 || keys[r][next[r]] < keys[best][next[best]])) best = r;
    }
    out[o] = nonEmpty[best][next[best]++];
  }
  return out;
}
