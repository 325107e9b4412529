/**
 * The Timeline's chart, above the scrubber: ops per time bucket stacked by
 * agent, the record count over time, archives and compactions marked.
 * Clicking a bucket moves the replay cursor to the state at its end; a red
 * line shows where the cursor is.
 */
import { useEffect, useMemo } from "react";
import { bucketsFor, useCharts } from "../state/charts";
import { useSession } from "../state/session";
import { useReplay } from "../state/replay";
import { useTimelineEvents } from "../state/events";
import { OpsChart } from "./OpsChart";
import { cursorTime, eventMarks } from "../lib/chartPlaces";
import { PaneError } from "./PaneError";

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
