/**
 * The Agents view's chart: ops per agent over time, for the time window the
 * lanes show (the whole store on the position axis). Clicking a bucket
 * zooms the lanes to it.
 */
import { bucketsFor, useCharts } from "../state/charts";
import { useQuery } from "../state/query";
import { useAgentsAxis } from "../state/agentsAxis";
import { OpsChart } from "./OpsChart";
import { PaneError } from "./PaneError";

/** The lanes' ruler: the plot spans exactly its width, so a bucket sits over the lanes' ops of its time. */
const laneRuler = () => document.querySelector<HTMLElement>("[data-testid=lane-axis]");
/** The lanes' label column (styles.css: .lane-label, narrower below 1250 px), for a first guess at the plot's width. */
const laneLabelPx = () => (window.innerWidth <= 1250 ? 210 : 300);

/** The chart's buckets over the lanes' range, again whenever the range or the store changes. */
const loadAgentsChart = ({ from, to }: { from?: number; to?: number }) => useCharts.getState().loadAgents(bucketsFor(window.innerWidth - 480 - laneLabelPx()), from === undefined || to === undefined ? null : [from, to]);

export function AgentsChart({ extent }: { extent: [number, number] | null }) {
  const kind = useAgentsAxis((s) => s.kind);
  const view = useAgentsAxis((s) => s.window);
  const data = useCharts((s) => s.agents);
  const error = useCharts((s) => s.error);
  // On the time axis the chart counts exactly the lanes' range (lost writes included in it), so the two line up.
  const range = kind === "time" ? (view ?? extent) : null;
  const from = range?.[0];
  const to = range?.[1];
  useQuery(loadAgentsChart, { from, to });
  if (error) return <PaneError error={error} />;
  if (!data) return <div className="ops-chart muted small pad">Counting ops over time…</div>;
  const pick = kind === "time" && extent ? (b: { startMs: number; endMs: number }) => useAgentsAxis.getState().zoomTo(extent, b.startMs, b.endMs) : () => undefined;
  return <OpsChart data={data} showRecords={false} pickLabel={kind === "time" ? "zoom the lanes to it" : "see its numbers (switch to the time axis to zoom)"} onPick={pick} testId="agents-chart" height={110} alignTo={laneRuler} />;
}
