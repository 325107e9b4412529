/**
 * The Timeline's chart, above the scrubber: ops per time bucket stacked by
 * agent, the record count over time, archives and compactions marked.
 * Clicking a bucket moves the replay cursor to the state at its end; a red
 * line shows where the cursor is.
 */
import { useEffect, useMemo } from "react";
import type { TimeBuckets, TimelineEvent } from "../../../electron/contract";
import { bucketsFor, useCharts } from "../state/charts";
import { useSession } from "../state/session";
import { useReplay } from "../state/replay";
import { useTimelineEvents } from "../state/events";
import { OpsChart } from "./OpsChart";
import type { ChartMark } from "./OpsChart";
import { PaneError } from "./PaneError";

/** Where an event goes on a time axis: its snapshot's time, else the middle of the bucket holding the op before it. */
export function eventMarks(events: TimelineEvent[], data: TimeBuckets): ChartMark[] {
  return events.flatMap((e): ChartMark[] => {
    const ms = e.time ? Date.parse(e.time) : NaN;
    if (!Number.isNaN(ms)) return [{ ms, kind: e.kind }];
    const b = data.buckets.find((x) => x.firstPos !== null && x.lastPos !== null && x.firstPos <= e.position - 1 && e.position - 1 <= x.lastPos);
    return b ? [{ ms: (b.startMs + b.endMs) / 2, kind: e.kind }] : [];
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

export function TimelineChart() {
  const revision = useSession((s) => s.revision);
  const data = useCharts((s) => s.timeline);
  const error = useCharts((s) => s.error);
  const events = useTimelineEvents((s) => s.events);
  const cursor = useReplay((s) => s.cursor);
  useEffect(() => {
    void useCharts.getState().load("timeline", bucketsFor(window.innerWidth - 120));
  }, [revision]);
  const marks = useMemo(() => (data ? eventMarks(events, data) : []), [events, data]);
  const cursorMs = useMemo(() => (data ? cursorTime(cursor, data) : null), [cursor, data]);
  if (error) return <PaneError error={error} />;
  if (!data) return <div className="ops-chart muted small pad">Counting ops over time…</div>;
  return <OpsChart data={data} showRecords marks={marks} cursorMs={cursorMs} pickLabel="replay to the bucket's end" onPick={(b) => useReplay.getState().seek(b.position)} testId="timeline-chart" />;
}
