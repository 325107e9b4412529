/**
 * The Timeline's chart, above the scrubber: ops per time bucket stacked by
 * agent, the record count over time, archives and compactions marked.
 * Clicking a bucket moves the replay cursor to the state at its end; a red
 * line shows where the cursor is.
 */
import { useMemo } from "react";
import { bucketsFor, useCharts } from "../state/charts";
import { useQuery } from "../state/query";
import { useReplay } from "../state/replay";
import { useTimelineEvents } from "../state/events";
import { OpsChart } from "./OpsChart";
import { cursorTime, eventMarks } from "../lib/chartPlaces";
import { PaneError } from "./PaneError";

/** The chart's buckets, again whenever the store changes. */
const loadTimelineChart = () => useCharts.getState().load("timeline", bucketsFor(window.innerWidth - 120));

export function TimelineChart() {
  const data = useCharts((s) => s.timeline);
  const error = useCharts((s) => s.error);
  const events = useTimelineEvents((s) => s.events);
  const cursor = useReplay((s) => s.cursor);
  useQuery(loadTimelineChart, null);
  const marks = useMemo(() => (data ? eventMarks(events, data) : []), [events, data]);
  const cursorMs = useMemo(() => (data ? cursorTime(cursor, data) : null), [cursor, data]);
  if (error) return <PaneError error={error} />;
  if (!data) return <div className="ops-chart muted small pad">Counting ops over time…</div>;
  return <OpsChart data={data} showRecords marks={marks} cursorMs={cursorMs} pickLabel="replay to the bucket's end" onPick={(b) => useReplay.getState().seek(b.position)} testId="timeline-chart" />;
}
