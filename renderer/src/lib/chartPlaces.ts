/**
 * Where archives and compactions go on the Timeline chart: at the position
 * where each took effect, on the axis the slider under the chart shares, so
 * a mark stands where the slider's thumb stands for that position. A plain
 * function of the events.
 */
import type { TimelineEvent } from "../../../electron/contract";

/** An archive or compaction drawn as a vertical mark at x (a position on the chart's axis). */
export interface ChartMark {
  x: number;
  kind: "archive" | "compaction";
}

/** Where events go on the position axis: at the position where they took effect, as the slider marks them. */
export function positionMarks(events: TimelineEvent[]): ChartMark[] {
  return events.map((e) => ({ x: e.position, kind: e.kind }));
}
