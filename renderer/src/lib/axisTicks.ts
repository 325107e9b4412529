/**
 * Tick labels for the Agents view's axis: as many as fit the width without
 * touching, at "nice" steps (d3-scale: 1, 2, 5, 10… ms, s, min, h, days, or
 * whole positions), each carrying the precision its step needs (milliseconds
 * when ticks are under a second apart). Pure: width and window in, labels out.
 */
import { scaleLinear, scaleUtc } from "d3-scale";
import { clockText, dayText, monthDayText } from "./timeFormat";

export type AxisKind = "time" | "position";

export interface AxisTick {
  /** Where the label is centred, in px from the track's left edge */
  x: number;
  /** Where it stands in the axis's units (ms since 1970, or a position) */
  value: number;
  /** Where the label's box starts after being kept inside the track, in px */
  left: number;
  label: string;
}

/** A monospace character at the axis's 11 px, in px (a little over, so estimates never undershoot) */
const CHAR_PX = 7;
/** The least space between two labels, in px */
const GAP_PX = 14;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;
/** A time label as precise as the step between ticks needs (timeFormat.ts: the app's one time format); a day boundary also names the day. */
export function timeLabel(t: Date, step: number): string {
  const ms = t.getTime();
  if (step < SECOND) return clockText(ms, "ms");
  if (step < MINUTE) return clockText(ms, "second");
  if (step < DAY) return ms % DAY === 0 ? `${monthDayText(ms)} ${clockText(ms, "minute")}` : clockText(ms, "minute");
  return dayText(ms);
}

/** A chart's time axis labels for ticks at `splits` ms: the rulers' own, so a chart and a ruler write a time alike. */
export function timeAxisValues(splits: number[]): string[] {
  const step = splits.length > 1 ? splits[1] - splits[0] : MINUTE;
  return splits.map((ms) => timeLabel(new Date(ms), step));
}

function candidates(kind: AxisKind, window: [number, number], count: number): { value: number; label: string }[] {
  if (kind === "position") {
    return scaleLinear().domain(window).ticks(count).filter(Number.isInteger).map((v) => ({ value: v, label: v.toLocaleString() }));
  }
  const ticks = scaleUtc().domain(window.map((v) => new Date(v))).ticks(count);
  const step = ticks.length > 1 ? ticks[1].getTime() - ticks[0].getTime() : window[1] - window[0];
  return ticks.map((t) => ({ value: t.getTime(), label: timeLabel(t, step) }));
}

/** Place labels left to right, each kept inside the track; a label that would touch the last one kept is left out. */
function place(ticks: { value: number; label: string }[], window: [number, number], width: number): AxisTick[] {
  const span = window[1] - window[0] || 1;
  const out: AxisTick[] = [];
  let lastRight = -Infinity;
  for (const t of ticks) {
    const x = ((t.value - window[0]) / span) * width;
    const w = t.label.length * CHAR_PX;
    const left = Math.max(0, Math.min(width - w, x - w / 2));
    if (left < lastRight + GAP_PX) continue;
    out.push({ x, value: t.value, left, label: t.label });
    lastRight = left + w;
  }
  return out;
}

/** The axis's labels for a window of the domain on a track `width` px wide: the most that fit, never touching. */
export function axisTicks(kind: AxisKind, window: [number, number], width: number): AxisTick[] {
  if (width <= 0 || !(window[1] > window[0])) return [];
  // Ask d3 for as many ticks as labels of this length fit; a coarser step may shorten them, so ask again.
  let count = Math.max(2, Math.floor(width / 60));
  let finer: { value: number; label: string }[] | null = null;
  while (count >= 1) {
    const ticks = candidates(kind, window, count);
    const room = Math.max(...ticks.map((t) => t.label.length)) * CHAR_PX + GAP_PX;
    const spacing = ticks.length > 1 ? ((ticks[1].value - ticks[0].value) / (window[1] - window[0])) * width : width;
    if (spacing >= room) {
      const placed = place(ticks, window, width);
      // Under 3 labels: every other one of the finer step may give more (still never touching).
      const thinned = placed.length < 3 && finer ? place(finer, window, width) : [];
      return thinned.length > placed.length ? thinned : placed;
    }
    finer = ticks;
    count = Math.min(count - 1, Math.floor(width / room), Math.floor((count * spacing) / room));
  }
  return place(candidates(kind, window, 1), window, width);
}

/** How long a span of time is, as people read it: 850 ms, 4.2 s, 3 min 20 s, 2 h 5 min, 3 days. */
export function spanText(ms: number): string {
  if (ms < SECOND) return `${Math.round(ms)} ms`;
  if (ms < MINUTE) return `${(ms / SECOND).toFixed(ms < 10 * SECOND ? 2 : 1)} s`;
  if (ms < 60 * MINUTE) return `${Math.floor(ms / MINUTE)} min ${Math.round((ms % MINUTE) / SECOND)} s`;
  if (ms < DAY) return `${Math.floor(ms / (60 * MINUTE))} h ${Math.round((ms % (60 * MINUTE)) / MINUTE)} min`;
  return `${(ms / DAY).toFixed(1)} days`;
}
