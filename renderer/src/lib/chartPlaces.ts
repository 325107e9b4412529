/**
 * Where things go on a chart's x axis: archives and compactions and the
 * replay cursor. On the position axis each sits at its own position, where
 * the slider's thumb stands for it; on a time axis, at its snapshot's time,
 * else beside the op before it. Plain functions of the events and buckets.
 */
import type { TimeBuckets, TimelineEvent } from "../../../electron/contract";

/** An archive or compaction drawn as a vertical mark at x (a position, or a time in ms). */
export interface ChartMark {
  x: number;
  kind: "archive" | "compaction";
}

/** Where events go on the position axis: at the position where they took effect, as the scrubber marks them. */
export function positionMarks(events: TimelineEvent[]): ChartMark[] {
  return events.map((e) => ({ x: e.position, kind: e.kind }));
}

/** Where an event goes on a time axis: its snapshot's time, else the middle of the bucket holding the op before it. */
export function eventMarks(events: TimelineEvent[], data: TimeBuckets): ChartMark[] {
  return events.flatMap((e): ChartMark[] => {
    const ms = e.time ? Date.parse(e.time) : NaN;
    if (!Number.isNaN(ms)) return [{ x: ms, kind: e.kind }];
    const b = data.buckets.find((x) => x.firstPos !== null && x.lastPos !== null && x.firstPos <= e.position - 1 && e.position - 1 <= x.lastPos);
    return b ? [{ x: (b.startMs + b.endMs) / 2, kind: e.kind }] : [];
  });
}

/** Where the replay cursor goes on a time axis: the middle of the bucket holding the last op applied (the start, at position 0). */
export function cursorTime(cursor: number, data: TimeBuckets): number | null {
  if (data.buckets.length === 0) return null;
  if (cursor === 0) return data.buckets[0].startMs;
  let best: TimeBuckets["buckets"][number] | null = null;
  for (const b of data.buckets) {
    if (b.firstPos === null || b.lastPos === null) continue;
    if (b.firstPos <= cursor - 1 && cursor - 1 <= b.lastPos) return (b.startMs + b.endMs) / 2;
    if (b.lastPos < cursor && (!best || b.lastPos > best.lastPos!)) best = b;
  }
  return best ? (best.startMs + best.endMs) / 2 : null;
}

