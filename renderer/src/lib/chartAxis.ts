/**
 * A chart's x axis, by time (the Agents chart: TimeBuckets) or by position
 * (the Timeline chart: PositionBuckets, the scrubber's own axis, so a mark,
 * a bar and the slider's thumb at one position share one x). Where each bar
 * spans, the axis's range, the position under the pointer, and the position
 * axis's ticks, each labelled with its position and the time of the op that
 * made it. Pure: buckets and widths in, numbers and labels out.
 */
import { scaleLinear } from "d3-scale";
import type { PositionBuckets, TimeBuckets } from "../../../electron/contract";
import { clockText, dayText, monthDayText } from "./timeFormat";

export type ChartData = TimeBuckets | PositionBuckets;

export const byPosition = (data: ChartData): data is PositionBuckets => "bucketOps" in data;

/** Where each bar spans on the x axis: its stretch of time, or positions firstPos to lastPos + 1 (its ops lie between). */
export function barSpans(data: ChartData): [number, number][] {
  return byPosition(data) ? data.buckets.map((b) => [b.firstPos, b.lastPos + 1]) : data.buckets.map((b) => [b.startMs, b.endMs]);
}

/** The axis's whole range: the first bucket's start to the last one's end (position 0 to the last, by position). */
export function xRange(data: ChartData): [number, number] {
  if (byPosition(data)) return [0, data.total];
  return [data.buckets[0].startMs, data.buckets[data.buckets.length - 1].endMs];
}

/** The position at x on a position axis: the nearest one, as the slider under the chart rounds. */
export function positionAt(x: number, total: number): number {
  return Math.max(0, Math.min(total, Math.round(x)));
}

/** The bucket holding op #position (the op that made that state); position 0 falls in the first. */
export function bucketOf(data: PositionBuckets, position: number): number {
  if (data.buckets.length === 0) return -1;
  return Math.max(0, Math.min(data.buckets.length - 1, Math.floor(Math.max(0, position - 1) / data.bucketOps)));
}

export interface PositionTick {
  /** The position, always a bucket's end: the time of its last op is known exactly */
  value: number;
  /** Its position, then (on a second line) the time of op #position, in the app's time format */
  label: string;
}

/** A monospace-ish character at the axis's font, in px (over, so labels never touch) */
const CHAR_PX = 7;
/** The least space between two labels, in px */
const GAP_PX = 16;

/**
 * The position axis's ticks for a plot `width` px wide: round positions
 * (d3's nice steps) moved to the nearest bucket's end, each labelled with
 * the time of the op that made it, as many as fit without touching.
 */
export function positionTicks(data: PositionBuckets, width: number): PositionTick[] {
  if (data.total === 0 || data.buckets.length === 0 || width <= 0) return [];
  const widest = 12 * CHAR_PX + GAP_PX; // "18:19:02.123": a rough count to ask for; the labels as written decide which stay
  const wanted = scaleLinear().domain([0, data.total]).ticks(Math.max(1, Math.floor(width / widest)));
  const ends = [...new Set(wanted.map((v) => (v === 0 ? 0 : data.buckets[bucketOf(data, v)].position)))];
  const times = ends.map((p) => (p === 0 ? null : data.buckets[bucketOf(data, p)].lastMs));
  // To the second (ticks stand at ops, not at round times), to the ms when two labelled ops are under a second apart; the day where it changes.
  const dated = times.filter((t): t is number => t !== null);
  const gaps = dated.slice(1).map((t, i) => Math.abs(t - dated[i])).filter((g) => g > 0);
  const precision = gaps.length && Math.min(...gaps) < 1000 ? "ms" : "second";
  const spansDays = dated.length > 1 && dayText(Math.min(...dated)) !== dayText(Math.max(...dated));
  // As long as the locale writes a time ("18:19:02" or "6:19:02 PM"), and the day before it where it changes.
  const timeChars = Math.max(0, ...dated.map((ms) => clockText(ms, precision).length)) + (spansDays ? 6 : 0);
  // Keep left to right those whose box (centred on the tick, as wide as its longer line) does not touch the last kept one.
  const kept: { value: number; ms: number | null }[] = [];
  let lastRight = -Infinity;
  ends.forEach((value, i) => {
    const half = (Math.max(value.toLocaleString().length, times[i] === null ? 0 : timeChars) * CHAR_PX) / 2;
    const x = (value / data.total) * width;
    if (x - half < lastRight + GAP_PX) return;
    kept.push({ value, ms: times[i] });
    lastRight = x + half;
  });
  let day: string | null = null;
  return kept.map(({ value, ms }) => {
    if (ms === null) return { value, label: value.toLocaleString() };
    const newDay = day !== null && dayText(ms) !== day;
    day = dayText(ms);
    return { value, label: `${value.toLocaleString()}\n${newDay ? `${monthDayText(ms)} ` : ""}${clockText(ms, precision)}` };
  });
}
