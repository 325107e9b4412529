/**
 * Ops per time bucket, stacked by agent, drawn by uPlot (canvas, made for
 * time series), optionally with the record count at each bucket's end as a
 * line and archives/compactions as marks. Hovering a bar shows that
 * bucket's numbers in text beside the chart (readable by a screen reader
 * and by tests); a click hands the bucket to `onPick`.
 */
import { useEffect, useRef, useState } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { TimeBucket, TimeBuckets } from "../../../electron/contract";
import type { ChartMark } from "../lib/chartPlaces";
import { axisTicks, timeAxisValues } from "../lib/axisTicks";
import { plural } from "../lib/format";
import { dateTimeText } from "../lib/timeFormat";

interface OpsChartProps {
  data: TimeBuckets;
  /** Draw the record count at each bucket's end (a second axis, right) */
  showRecords: boolean;
  marks?: ChartMark[];
  /** What a click on a bucket does, said in the hint ("go there", "zoom the lanes to it") */
  pickLabel: string;
  onPick(bucket: TimeBucket): void;
  testId: string;
  height?: number;
  /** The time of the replay cursor, drawn as a line (the Timeline) */
  cursorMs?: number | null;
  /** An element the plot lines up with, left and right edges (the Agents view's lanes' ruler) */
  alignTo?: () => HTMLElement | null;
}

const AGENT_COLOURS = ["#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756", "#72b7b2", "#9d755d", "#eeca3b"];

export const agentColour = (i: number) => AGENT_COLOURS[i % AGENT_COLOURS.length];
export const agentName = (agent: string | null) => agent ?? "the writer";

const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";

/** uPlot's columns: bucket centres, then the running sums of agents (all of them first, so each lower sum draws over it: a stack), then records. */
function columns(data: TimeBuckets, showRecords: boolean): uPlot.AlignedData {
  const xs = data.buckets.map((b) => (b.startMs + b.endMs) / 2);
  const sums: number[][] = [];
  for (let top = data.agents.length - 1; top >= 0; top--) sums.push(data.buckets.map((b) => b.byAgent.slice(0, top + 1).reduce((x, y) => x + y, 0)));
  return [xs, ...sums, ...(showRecords ? [data.buckets.map((b) => b.records)] : [])];
}

/** How far the plot's edges must sit from the chart box's, in px, to line up with `target`'s edges; null when there is none to line up with. */
function gapsTo(box: HTMLElement, target: HTMLElement | null | undefined): { left: number; right: number } | null {
  if (!target) return null;
  const a = box.getBoundingClientRect();
  const b = target.getBoundingClientRect();
  if (b.width === 0) return null;
  return { left: Math.max(0, b.left - a.left), right: Math.max(0, a.right - b.right) };
}

/** The height of an axis's title ("ops"), which uPlot adds to the axis's size */
const AXIS_LABEL_PX = 14;

/** An axis wide enough for labels up to `max` (1,000,000 records needs more room than 12) and its title; fixed before drawing, so the plot never moves under the pointer. */
const axisFor = (max: number) => 30 + 7 * Math.max(2, max.toLocaleString().length);

function options(props: OpsChartProps, width: number, onHover: (i: number | null) => void, cursorAt: () => number | null | undefined, gaps: () => { left: number; right: number } | null): uPlot.Options {
  const { data, showRecords, marks = [] } = props;
  const muted = cssVar("--muted");
  const grid = { stroke: cssVar("--border"), width: 1 };
  const bars = uPlot.paths.bars!({ size: [1, Infinity], align: 0, gap: 0 });
  const stacked: uPlot.Series[] = [];
  for (let top = data.agents.length - 1; top >= 0; top--) stacked.push({ label: agentName(data.agents[top]), scale: "ops", fill: agentColour(top), stroke: agentColour(top), width: 0, paths: bars, points: { show: false } });
  const markColour = { archive: cssVar("--accent"), compaction: cssVar("--warn") };
  return {
    width,
    height: props.height ?? 130,
    ms: 1,
    tzDate: (ts) => uPlot.tzDate(new Date(ts), "Etc/UTC"), // UTC, as every time in the app
    // Lined up with another element: the left axis fills the gap to its left edge, padding the one to its right.
    ...(props.alignTo ? { padding: [null, () => gaps()?.right ?? 8, null, null] as uPlot.Padding } : {}),
    legend: { show: false },
    cursor: { y: false, drag: { x: false, y: false }, points: { show: false } },
    scales: { x: { time: true, range: () => [data.buckets[0].startMs, data.buckets[data.buckets.length - 1].endMs] }, ops: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    series: [{}, ...stacked, ...(showRecords ? [{ label: "records", scale: "records", stroke: cssVar("--text"), width: 1.5, points: { show: false } }] : [])],
    axes: [
      // The rulers' ticks and labels (axisTicks): as many as fit, never touching, in the app's time format.
      { stroke: muted, grid, ticks: grid, splits: (u) => axisTicks("time", [u.scales.x.min!, u.scales.x.max!], u.bbox.width / uPlot.pxRatio).map((t) => t.value), values: (_u, splits) => timeAxisValues(splits) },
      { scale: "ops", stroke: muted, grid, ticks: grid, size: () => (gaps() ? gaps()!.left - AXIS_LABEL_PX : axisFor(Math.max(...data.buckets.map((b) => b.ops)))), label: "ops", labelSize: AXIS_LABEL_PX },
      ...(showRecords ? [{ scale: "records", side: 1, stroke: muted, grid: { show: false }, ticks: grid, size: axisFor(Math.max(...data.buckets.map((b) => b.records ?? 0))), label: "records", labelSize: 14 } as uPlot.Axis] : []),
    ],
    hooks: {
      setCursor: [(u) => onHover(u.cursor.idx ?? null)],
      draw: [
        (u) => {
          const { ctx, bbox } = u;
          for (const mark of marks) {
            const x = u.valToPos(mark.ms, "x", true);
            if (x < bbox.left || x > bbox.left + bbox.width) continue;
            ctx.fillStyle = markColour[mark.kind];
            ctx.fillRect(Math.round(x) - (mark.kind === "archive" ? 2 : 1), bbox.top, mark.kind === "archive" ? 4 : 2, bbox.height);
          }
          const at = cursorAt();
          if (at === null || at === undefined) return;
          const x = u.valToPos(at, "x", true);
          ctx.fillStyle = cssVar("--bad");
          if (x >= bbox.left && x <= bbox.left + bbox.width) ctx.fillRect(Math.round(x) - 1, bbox.top, 2, bbox.height);
        },
      ],
    },
  };
}

export function OpsChart(props: OpsChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const [hover, setHover] = useState<number | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const { data, showRecords, marks, height } = props;
  useEffect(() => {
    const el = box.current;
    if (!el || data.buckets.length === 0) return;
    const gaps = () => gapsTo(el, latest.current.alignTo?.());
    const plot = new uPlot(options(latest.current, el.clientWidth, setHover, () => latest.current.cursorMs, gaps), columns(data, showRecords), el);
    plotRef.current = plot;
    const pick = () => {
      const i = plot.cursor.idx;
      if (i !== null && i !== undefined) latest.current.onPick(latest.current.data.buckets[i]);
    };
    plot.over.addEventListener("click", pick);
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: height ?? 130 }));
    resize.observe(el);
    const target = latest.current.alignTo?.();
    if (target) resize.observe(target); // the target moves without the chart resizing (its label column narrows)
    return () => {
      resize.disconnect();
      plotRef.current = null;
      plot.destroy();
      setHover(null);
    };
  }, [data, showRecords, marks, height]);
  useEffect(() => plotRef.current?.redraw(false, false), [props.cursorMs]); // the cursor line moves; the bars stay
  const bucket = hover === null ? null : (data.buckets[hover] ?? null);
  return (
    <div className="ops-chart" data-testid={props.testId} data-from={data.from ?? ""} data-to={data.buckets.length ? new Date(data.buckets[data.buckets.length - 1].endMs).toISOString() : ""} data-bucket-ms={data.bucketMs}>
      <div className="ops-chart-plot" ref={box} />
      <ChartLegend data={data} showRecords={showRecords} marks={marks ?? []} />
      {bucket ? <BucketDetail data={data} bucket={bucket} showRecords={showRecords} /> : <div className="chart-hover muted small">{data.buckets.length ? `${plural(data.buckets.reduce((n, b) => n + b.ops, 0), "op")} in ${plural(data.buckets.length, "bucket")} of ${span(data.bucketMs)}: hover a bar for its numbers, click to ${props.pickLabel}.` : "No dated ops to chart."}</div>}
    </div>
  );
}

function ChartLegend({ data, showRecords, marks }: { data: TimeBuckets; showRecords: boolean; marks: ChartMark[] }) {
  const archives = marks.filter((m) => m.kind === "archive").length;
  const compactions = marks.length - archives;
  return (
    <div className="chart-legend small muted">
      {data.agents.map((a, i) => <span key={String(a)}><span className="swatch" style={{ background: agentColour(i) }} />{agentName(a)}</span>)}
      {showRecords ? <span><span className="swatch line" />records at the bucket's end</span> : null}
      {showRecords ? <span><span className="swatch mark-cursor" />replay cursor</span> : null}
      {showRecords ? (
        <span data-testid="chart-marks" data-archives={archives} data-compactions={compactions}>
          <span className="swatch mark-archive" />archive ({archives}) <span className="swatch mark-compaction" />compaction ({compactions})
        </span>
      ) : null}
    </div>
  );
}

/** One bucket's numbers, in text: what the bar under the pointer stands for. */
function BucketDetail({ data, bucket, showRecords }: { data: TimeBuckets; bucket: TimeBucket; showRecords: boolean }) {
  return (
    <div className="chart-hover small" data-testid="chart-hover" data-start={bucket.start} data-end={bucket.end} data-ops={bucket.ops} data-records={bucket.records} data-position={bucket.position} role="status">
      <span className="mono">{dateTimeText(bucket.startMs, "ms")} – {dateTimeText(bucket.endMs, "ms")}</span>: <b>{plural(bucket.ops, "op")}</b>
      {data.agents.map((a, i) => <span key={String(a)} data-testid="chart-hover-agent" data-agent={agentName(a)} data-ops={bucket.byAgent[i]}> · <span className="swatch" style={{ background: agentColour(i) }} />{agentName(a)} {bucket.byAgent[i].toLocaleString()}</span>)}
      {showRecords ? <span> · {bucket.records === null ? "records unknown (a snapshot is missing)" : plural(bucket.records, "record")} at position {bucket.position.toLocaleString()}</span> : null}
    </div>
  );
}

/** A bucket's width in the largest unit that keeps it readable. */
function span(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${+(ms / 60_000).toFixed(1)} min`;
  if (ms < 86_400_000) return `${+(ms / 3_600_000).toFixed(1)} h`;
  return `${+(ms / 86_400_000).toFixed(1)} days`;
}
