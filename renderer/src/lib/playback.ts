/**
 * How far a replay plays in one tick, as plain functions (the replay store
 * keeps the timer): at a pace in ops per second, carrying the fraction of an
 * op to the next tick; or in real time × N, by the ops' own timestamps.
 */

/** The ops' times ahead of the cursor: ms[i] is the time of the op at position from + i (NaN when undated). */
export interface OpTimes {
  from: number;
  ms: number[];
}

/** Ops due after `elapsedMs` at `opsPerSecond`, with what is left of an op for the next tick. */
export function opsDue(carry: number, elapsedMs: number, opsPerSecond: number): { steps: number; carry: number } {
  const due = carry + (elapsedMs * opsPerSecond) / 1000;
  const steps = Math.floor(due + 1e-9); // ten tenths of an op make one, despite floating point
  return { steps, carry: Math.max(0, due - steps) };
}

/**
 * The position a real-time replay has reached when its clock reads `clockMs`:
 * every op from the cursor on whose time has come (an undated op comes at
 * once). `exhausted` when the known times ran out before `end` was reached.
 */
export function reachedAt(cursor: number, end: number, clockMs: number, times: OpTimes): { pos: number; exhausted: boolean } {
  let pos = cursor;
  while (pos < end) {
    const i = pos - times.from;
    if (i < 0 || i >= times.ms.length) return { pos, exhausted: true };
    const t = times.ms[i];
    if (!Number.isNaN(t) && t > clockMs) break;
    pos++;
  }
  return { pos, exhausted: false };
}

/** The next position at or after which an event (archive, compaction) takes effect, strictly after `cursor`; null when none is left. */
export function nextEventAfter(cursor: number, positions: number[]): number | null {
  let best: number | null = null;
  for (const p of positions) if (p > cursor && (best === null || p < best)) best = p;
  return best;
}
