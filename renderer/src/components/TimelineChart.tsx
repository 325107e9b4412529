/**
 * The Timeline's chart and, right under its plot, the replay slider: ops
 * per range of positions stacked by agent, the record count after each
 * range, archives, compactions and the replay cursor marked, all on the
 * slider's own axis (positions), so a mark and the thumb at one position
 * share one x. The time of the op at each tick is written under it.
 * Hovering the chart or the slider names the same position; a click on
 * either replays there.
 */
import { useCallback, useMemo, useState } from "react";
import type { PositionBuckets } from "../../../electron/contract";
import { bucketsFor, useCharts } from "../state/charts";
import { useQuery } from "../state/query";
import { useReplay } from "../state/replay";
import { useTimelineEvents } from "../state/events";
import { OpsChart } from "./OpsChart";
import type { PlotArea } from "./OpsChart";
import { PositionDetail } from "./ChartText";
import { ScrubberTrack } from "./ScrubberTrack";
import { positionMarks } from "../lib/chartPlaces";
import { bucketOf, positionAt } from "../lib/chartAxis";
import { PaneError } from "./PaneError";

/** The chart's buckets, again whenever the store changes. */
const loadTimelineChart = () => useCharts.getState().loadTimeline(bucketsFor(window.innerWidth - 120));

export function TimelineChart() {
  const data = useCharts((s) => s.timeline);
  const error = useCharts((s) => s.error);
  const events = useTimelineEvents((s) => s.events);
  const cursor = useReplay((s) => s.cursor);
  const [area, setArea] = useState<PlotArea | null>(null);
  const [hovered, setHovered] = useState<number | null>(null);
  useQuery(loadTimelineChart, null);
  const marks = useMemo(() => positionMarks(events), [events]);
  // Set only when it moved: the chart reports it on every draw.
  const placed = useCallback((next: PlotArea) => setArea((was) => (was && Math.abs(was.left - next.left) < 0.5 && Math.abs(was.right - next.right) < 0.5 ? was : next)), []);
  const total = data?.total ?? 0;
  const hoverX = useCallback((x: number | null) => setHovered(x === null ? null : positionAt(x, total)), [total]);
  const slider = <ScrubberTrack area={area} onHover={setHovered} />;
  if (error) return <div className="ops-chart"><PaneError error={error} />{slider}</div>;
  if (!data) return <div className="ops-chart"><div className="muted small pad">Counting ops by position…</div>{slider}</div>;
  return (
    <OpsChart data={data} showRecords marks={marks} cursorX={cursor} pickLabel="replay to that position" onPick={(_b, x) => useReplay.getState().seek(positionAt(x, data.total))} testId="timeline-chart"
      onPlotArea={placed} onHoverX={hoverX} underPlot={slider} hoverText={hovered === null ? undefined : <HoveredPosition data={data} position={hovered} />} />
  );
}

function HoveredPosition({ data, position }: { data: PositionBuckets; position: number }) {
  const i = bucketOf(data, position);
  return i < 0 ? null : <PositionDetail data={data} position={position} bucket={data.buckets[i]} />;
}
