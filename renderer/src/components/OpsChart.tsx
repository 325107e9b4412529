/**
 * Ops per bucket, stacked by agent, drawn by uPlot (canvas, made for
 * series), on a time axis (the Agents chart) or a position axis (the
 * Timeline chart, lined up with the slider under it); optionally with the
 * record count at each bucket's end as a line and archives/compactions as
 * marks. Hovering shows the numbers in text beside the chart (readable by a
 * screen reader and by tests); a click hands the bucket and x to `onPick`.
 */
import { useEffect, useRef, useState } from "react";
import type { ReactNode } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { ChartMark } from "../lib/chartPlaces";
import { axisTicks, timeAxisValues } from "../lib/axisTicks";
import { barSpans, byPosition, positionTicks, xRange } from "../lib/chartAxis";
import type { ChartData } from "../lib/chartAxis";
import { agentColour, agentName, BucketDetail, ChartHint, ChartLegend } from "./ChartText";

/** Where the plot area sits inside the plot's box (the chart's width): px from its left edge and from its right edge. */
export interface PlotArea {
  left: number;
  right: number;
}

interface OpsChartProps<D extends ChartData> {
  data: D;
  /** Draw the record count at each bucket's end (a second axis, right) */
  showRecords: boolean;
  marks?: ChartMark[];
  /** What a click on a bucket does, said in the hint ("go there", "zoom the lanes to it") */
  pickLabel: string;
  onPick(bucket: D["buckets"][number], x: number): void;
  testId: string;
  height?: number;
  /** Where the replay cursor is on the x axis (a position, or a time), drawn as a line (the Timeline) */
  cursorX?: number | null;
  /** An element the plot lines up with, left and right edges (the Agents view's lanes' ruler) */
  alignTo?: () => HTMLElement | null;
  /** Told where the plot area is each time it is drawn, so what sits under it can line up (the Timeline's slider) */
  onPlotArea?(area: PlotArea): void;
  /** Told the x under the pointer (null: it left the plot) */
  onHoverX?(x: number | null): void;
  /** What sits right under the plot, lined up with it by onPlotArea (the Timeline's slider) */
  underPlot?: ReactNode;
  /** The hover line, when the chart's owner writes it (the Timeline: its slider hovers the same positions); default: the hovered bucket's numbers */
  hoverText?: ReactNode;
}

const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";

/** uPlot's columns: bar centres, then the running sums of agents (all of them first, so each lower sum draws over it: a stack), then records. */
function columns(data: ChartData, showRecords: boolean): uPlot.AlignedData {
  const xs = barSpans(data).map(([a, b]) => (a + b) / 2);
  const buckets: { byAgent: number[]; records: number | null }[] = data.buckets;
  const sums: number[][] = [];
  for (let top = data.agents.length - 1; top >= 0; top--) sums.push(buckets.map((b) => b.byAgent.slice(0, top + 1).reduce((x, y) => x + y, 0)));
  return [xs, ...sums, ...(showRecords ? [buckets.map((b) => b.records)] : [])];
}

/** How far the plot's edges must sit from the chart box's, in px, to line up with `target`'s edges; null when there is none to line up with. */
function gapsTo(box: HTMLElement, target: HTMLElement | null | undefined): { left: number; right: number } | null {
  if (!target) return null;
  const a = box.getBoundingClientRect();
  const b = target.getBoundingClientRect();
  if (b.width === 0) return null;
  return { left: Math.max(0, b.left - a.left), right: Math.max(0, a.right - b.right) };
}

/** Steps between the ops axis's ticks: whole numbers only (no "0.5 ops") */
const WHOLE_STEPS = [1, 2, 5].flatMap((d) => [1, 10, 100, 1e3, 1e4, 1e5, 1e6].map((m) => d * m)).sort((a, b) => a - b);

/** The height of an axis's title ("ops"), which uPlot adds to the axis's size */
const AXIS_LABEL_PX = 14;

/** An axis wide enough for labels up to `max` (1,000,000 records needs more room than 12) and its title; fixed before drawing, so the plot never moves under the pointer. */
const axisFor = (max: number) => 30 + 7 * Math.max(2, max.toLocaleString().length);

/** The x axis: the rulers' time ticks (as many as fit, in the app's time format), or positions each over the time of the op that made it. */
function xAxis(data: ChartData, muted: string, grid: uPlot.Axis.Grid): uPlot.Axis {
  if (byPosition(data)) {
    const ticks = (u: uPlot) => positionTicks(data, u.bbox.width / uPlot.pxRatio);
    return { stroke: muted, grid, ticks: grid, size: 44, splits: (u) => ticks(u).map((t) => t.value), values: (u, splits) => { const labels = new Map(ticks(u).map((t) => [t.value, t.label])); return splits.map((v) => labels.get(v) ?? ""); } };
  }
  return { stroke: muted, grid, ticks: grid, splits: (u) => axisTicks("time", [u.scales.x.min!, u.scales.x.max!], u.bbox.width / uPlot.pxRatio).map((t) => t.value), values: (_u, splits) => timeAxisValues(splits) };
}

function options<D extends ChartData>(props: OpsChartProps<D>, width: number, onHover: (i: number | null, x: number | null) => void, cursorAt: () => number | null | undefined, gaps: () => { left: number; right: number } | null, drawn: (u: uPlot) => void): uPlot.Options {
  const { data, showRecords, marks = [] } = props;
  const muted = cssVar("--muted");
  const grid = { stroke: cssVar("--border"), width: 1 };
  const bars = uPlot.paths.bars!({ size: [1, Infinity], align: 0, gap: 0 });
  const stacked: uPlot.Series[] = [];
  for (let top = data.agents.length - 1; top >= 0; top--) stacked.push({ label: agentName(data.agents[top]), scale: "ops", fill: agentColour(top), stroke: agentColour(top), width: 0, paths: bars, points: { show: false } });
  const markColour = { archive: cssVar("--accent"), compaction: cssVar("--warn") };
  const buckets: { ops: number; records: number | null }[] = data.buckets;
  const time = !byPosition(data);
  return {
    width,
    height: props.height ?? 130,
    ms: 1,
    tzDate: (ts) => uPlot.tzDate(new Date(ts), "Etc/UTC"), // UTC, as every time in the app
    // Lined up with another element: the left axis fills the gap to its left edge, padding the one to its right.
    ...(props.alignTo ? { padding: [null, () => gaps()?.right ?? 8, null, null] as uPlot.Padding } : {}),
    legend: { show: false },
    cursor: { y: false, drag: { x: false, y: false }, points: { show: false } },
    scales: { x: { time, range: () => xRange(data) }, ops: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    series: [{}, ...stacked, ...(showRecords ? [{ label: "records", scale: "records", stroke: cssVar("--text"), width: 1.5, points: { show: false } }] : [])],
    axes: [
      xAxis(data, muted, grid),
      { scale: "ops", stroke: muted, grid, ticks: grid, incrs: WHOLE_STEPS, size: () => (gaps() ? gaps()!.left - AXIS_LABEL_PX : axisFor(Math.max(...buckets.map((b) => b.ops)))), label: "ops", labelSize: AXIS_LABEL_PX },
      ...(showRecords ? [{ scale: "records", side: 1, stroke: muted, grid: { show: false }, ticks: grid, size: axisFor(Math.max(...buckets.map((b) => b.records ?? 0))), label: "records", labelSize: 14 } as uPlot.Axis] : []),
    ],
    hooks: {
      setCursor: [(u) => onHover(u.cursor.idx ?? null, u.cursor.left === undefined || u.cursor.left < 0 ? null : u.posToVal(u.cursor.left, "x"))],
      draw: [
        (u) => {
          const { ctx, bbox } = u;
          for (const mark of marks) {
            const x = u.valToPos(mark.x, "x", true);
            if (x < bbox.left || x > bbox.left + bbox.width) continue;
            ctx.fillStyle = markColour[mark.kind];
            ctx.fillRect(Math.round(x) - (mark.kind === "archive" ? 2 : 1), bbox.top, mark.kind === "archive" ? 4 : 2, bbox.height);
          }
          const at = cursorAt();
          if (at !== null && at !== undefined) {
            const x = u.valToPos(at, "x", true);
            ctx.fillStyle = cssVar("--bad");
            if (x >= bbox.left && x <= bbox.left + bbox.width) ctx.fillRect(Math.round(x) - 1, bbox.top, 2, bbox.height);
          }
          drawn(u);
        },
      ],
    },
  };
}

export function OpsChart<D extends ChartData>(props: OpsChartProps<D>) {
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
    const hovered = (i: number | null, x: number | null) => {
      setHover(i);
      latest.current.onHoverX?.(x);
    };
    // The plot area's place in the plot's box (what sits under it spans the same box), measured when a draw moved it: axis widths follow the labels.
    // Not on a draw that only moved the cursor line (a Timeline step): the measure forces a layout of the page React just changed.
    let measuredFor = "";
    const drawn = (u: uPlot) => {
      const box = `${u.width} ${u.height} ${u.bbox.left} ${u.bbox.width}`;
      if (box === measuredFor) return;
      measuredFor = box;
      const [outer, over] = [el.getBoundingClientRect(), u.over.getBoundingClientRect()];
      latest.current.onPlotArea?.({ left: over.left - outer.left, right: outer.right - over.right });
    };
    const plot = new uPlot(options(latest.current, el.clientWidth, hovered, () => latest.current.cursorX, gaps, drawn), columns(data, showRecords), el);
    plotRef.current = plot;
    const pick = () => {
      const i = plot.cursor.idx;
      const left = plot.cursor.left;
      if (i !== null && i !== undefined && left !== undefined && left >= 0) latest.current.onPick(latest.current.data.buckets[i], plot.posToVal(left, "x"));
    };
    plot.over.addEventListener("click", pick);
    const leave = () => hovered(null, null);
    plot.over.addEventListener("mouseleave", leave);
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: height ?? 130 }));
    resize.observe(el);
    const target = latest.current.alignTo?.();
    if (target) resize.observe(target); // the target moves without the chart resizing (its label column narrows)
    return () => {
      resize.disconnect();
      plotRef.current = null;
      plot.destroy();
      setHover(null);
      latest.current.onHoverX?.(null);
    };
  }, [data, showRecords, marks, height]);
  const cursorPx = useRef<number | null>(null);
  useEffect(() => {
    const plot = plotRef.current;
    const at = props.cursorX;
    const px = plot && at !== null && at !== undefined ? Math.round(plot.valToPos(at, "x", true)) : null;
    if (px !== null && px === cursorPx.current) return; // a step less than a pixel wide: the line would not move (any other draw draws it where it is)
    cursorPx.current = px;
    plot?.redraw(false, false); // the cursor line moves; the bars stay
  }, [props.cursorX]);
  const bucket = hover === null || byPosition(data) ? null : (data.buckets[hover] ?? null);
  const attributes = byPosition(data) ? { "data-axis": "position", "data-total": data.total, "data-bucket-ops": data.bucketOps } : { "data-axis": "time", "data-from": data.from ?? "", "data-to": data.buckets.length ? new Date(data.buckets[data.buckets.length - 1].endMs).toISOString() : "", "data-bucket-ms": data.bucketMs };
  return (
    <div className="ops-chart" data-testid={props.testId} {...attributes}>
      <div className="ops-chart-plot" ref={box} />
      {props.underPlot}
      <ChartLegend agents={data.agents} showRecords={showRecords} marks={marks ?? []} />
      {props.hoverText ?? (bucket && !byPosition(data) ? <BucketDetail data={data} bucket={bucket} showRecords={showRecords} /> : <ChartHint data={data} pickLabel={props.pickLabel} />)}
    </div>
  );
}
