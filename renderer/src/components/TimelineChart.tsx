/**
 * The Timeline's chart, above the scrubber: ops per time bucket stacked by
 * agent, the record count over time, archives and compactions marked.
 * Clicking a bucket moves the replay cursor to the state at its end.
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

export function TimelineChart() {
  const revision = useSession((s) => s.revision);
  const data = useCharts((s) => s.timeline);
  const error = useCharts((s) => s.error);
  const events = useTimelineEvents((s) => s.events);
  useEffect(() => {
    void useCharts.getState().load("timeline", bucketsFor(window.innerWidth - 120));
  }, [revision]);
  const marks = useMemo(() => (data ? eventMarks(events, data) : []), [events, data]);
  if (error) return <PaneError error={error} />;
  if (!data) return <div className="ops-chart muted small pad">Counting ops over time…</div>;
  return <OpsChart data={data} showRecords marks={marks} pickLabel="replay to the bucket's end" onPick={(b) => useReplay.getState().seek(b.position)} testId="timeline-chart" />;
}
