/**
 * The charts' words: the legend under a chart, and the line saying what is
 * under the pointer (a time bucket's numbers on the Agents chart; on the
 * Timeline chart, the position under the pointer, over the chart or the
 * slider, and the range of ops holding it). In text, so a screen reader and
 * a test read what the bars draw.
 */
import { memo } from "react";
import type { PositionBucket, PositionBuckets, TimeBucket, TimeBuckets } from "../../../electron/contract";
import type { ChartMark } from "../lib/chartPlaces";
import { plural, opLabel } from "../lib/format";
import { clockText, dateTimeText, dayText } from "../lib/timeFormat";

const AGENT_COLOURS = ["#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756", "#72b7b2", "#9d755d", "#eeca3b"];

export const agentColour = (i: number) => AGENT_COLOURS[i % AGENT_COLOURS.length];
export const agentName = (agent: string | null) => agent ?? "the writer";

export function ChartLegend({ agents, showRecords, marks }: { agents: (string | null)[]; showRecords: boolean; marks: ChartMark[] }) {
  const archives = marks.filter((m) => m.kind === "archive").length;
  const compactions = marks.length - archives;
  return (
    <div className="chart-legend small muted">
      {agents.map((a, i) => <span key={String(a)}><span className="swatch" style={{ background: agentColour(i) }} />{agentName(a)}</span>)}
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

/** One time bucket's numbers, in text: what the bar under the pointer stands for. */
export function BucketDetail({ data, bucket, showRecords }: { data: TimeBuckets; bucket: TimeBucket; showRecords: boolean }) {
  return (
    <div className="chart-hover small" data-testid="chart-hover" data-start={bucket.start} data-end={bucket.end} data-ops={bucket.ops} data-records={bucket.records} data-position={bucket.position} role="status">
      <span className="mono">{dateTimeText(bucket.startMs, "ms")} – {dateTimeText(bucket.endMs, "ms")}</span>: <b>{plural(bucket.ops, "op")}</b>
      <ByAgent agents={data.agents} byAgent={bucket.byAgent} />
      {showRecords ? <span> · {bucket.records === null ? "records unknown (a snapshot is missing)" : plural(bucket.records, "record")} at position {bucket.position.toLocaleString()}</span> : null}
    </div>
  );
}

function ByAgent({ agents, byAgent }: { agents: (string | null)[]; byAgent: number[] }) {
  return agents.map((a, i) => <span key={String(a)} data-testid="chart-hover-agent" data-agent={agentName(a)} data-ops={byAgent[i]}> · <span className="swatch" style={{ background: agentColour(i) }} />{agentName(a)} {byAgent[i].toLocaleString()}</span>);
}

const timeOrUndated = (ms: number | null) => (ms === null ? "(no date)" : dateTimeText(ms, "ms"));

/** A range's ops and their times, as short as says it all: one op, one time; the second date only when the day changed. */
function rangeText(bucket: PositionBucket): string {
  if (bucket.firstPos === bucket.lastPos) return `op ${opLabel(bucket.firstPos)}, ${timeOrUndated(bucket.firstMs)}`;
  const { firstMs: a, lastMs: b } = bucket;
  const times = a !== null && a === b ? timeOrUndated(a) : a !== null && b !== null && dayText(a) === dayText(b) ? `${dateTimeText(a, "ms")} – ${clockText(b, "ms")}` : `${timeOrUndated(a)} – ${timeOrUndated(b)}`;
  return `ops ${opLabel(bucket.firstPos)}–${opLabel(bucket.lastPos)}, ${times}`;
}

/** The position under the pointer (over the chart or the slider: both say the same) and the range of ops holding the op that made it. */
export function PositionDetail({ data, position, bucket }: { data: PositionBuckets; position: number; bucket: PositionBucket }) {
  return (
    <div className="chart-hover small" data-testid="chart-hover" data-hover-position={position} data-first-pos={bucket.firstPos} data-last-pos={bucket.lastPos} data-first-time={bucket.firstTime ?? ""} data-last-time={bucket.lastTime ?? ""} data-ops={bucket.ops} data-records={bucket.records} data-position={bucket.position} role="status">
      <b data-testid="chart-hover-position">position {position.toLocaleString()}{position === 0 ? " (before op #1)" : ` (after op ${opLabel(position - 1)})`}</b>
      {" · in "}<span className="mono">{rangeText(bucket)}</span>: <b>{plural(bucket.ops, "op")}</b>
      <ByAgent agents={data.agents} byAgent={bucket.byAgent} />
      <span> · {bucket.records === null ? "records unknown (a snapshot is missing)" : plural(bucket.records, "record")} at position {bucket.position.toLocaleString()}</span>
    </div>
  );
}

/** What a chart says before anything is hovered: what it counts and what a click does (memo: the Timeline's chart is drawn again at each step, its buckets are not). */
export const ChartHint = memo(function ChartHint({ data, pickLabel }: { data: TimeBuckets | PositionBuckets; pickLabel: string }) {
  const ops = data.buckets.reduce((n, b) => n + b.ops, 0);
  const text = !data.buckets.length ? ("bucketOps" in data ? "No ops to chart." : "No dated ops to chart.")
    : "bucketOps" in data ? `${plural(ops, "op")} by position, in ${plural(data.buckets.length, "range")} of ${plural(data.bucketOps, "op")}: hover for the numbers (the time of the op at each tick is under it), click to ${pickLabel}.`
    : `${plural(ops, "op")} in ${plural(data.buckets.length, "bucket")} of ${span(data.bucketMs)}: hover a bar for its numbers, click to ${pickLabel}.`;
  return <div className="chart-hover muted small">{text}</div>;
});

/** A bucket's width in the largest unit that keeps it readable. */
function span(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${+(ms / 60_000).toFixed(1)} min`;
  if (ms < 86_400_000) return `${+(ms / 3_600_000).toFixed(1)} h`;
  return `${+(ms / 86_400_000).toFixed(1)} days`;
}
