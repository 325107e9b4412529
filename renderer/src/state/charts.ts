/**
 * What the charts draw: the timeline counted on the server, for the
 * Timeline by ranges of positions (positionBuckets, the whole
 * store, on the slider's axis) and for the Agents view by time
 * (buckets, the time window in view). A million ops arrive as a
 * few hundred buckets; a stale answer never replaces a newer one.
 */
import { create } from "zustand";
import type { PositionBuckets, TimeBuckets } from "../../../electron/contract";
import { api, errorText } from "../api/client";
import type { ShownError } from "../api/client";
import { forgetOnOpen, NewestRequest } from "./perStore";

/** About one bucket per 4 pixels of chart, never more than the server allows. */
export function bucketsFor(widthPx: number): number {
  return Math.max(10, Math.min(600, Math.floor(widthPx / 4)));
}

export type ChartName = "timeline" | "agents";

interface ChartsState {
  timeline: PositionBuckets | null;
  agents: TimeBuckets | null;
  error: ShownError | null;
  /** Count the whole timeline in `buckets` ranges of positions, for the Timeline */
  loadTimeline(buckets: number): Promise<void>;
  /** Count `buckets` time buckets over [from, to] (ms since 1970; the whole timeline when absent), for the Agents view */
  loadAgents(buckets: number, window?: [number, number] | null): Promise<void>;
}

const newest: Record<ChartName, NewestRequest> = { timeline: new NewestRequest(), agents: new NewestRequest() };

export const useCharts = forgetOnOpen(create<ChartsState>()((set) => ({
  timeline: null,
  agents: null,
  error: null,
  loadTimeline: (buckets) => latest("timeline", () => api.call("positionBuckets", { buckets }), set),
  loadAgents(buckets, window) {
    const range = window ? { from: new Date(window[0]).toISOString(), to: new Date(window[1]).toISOString() } : {};
    return latest("agents", () => api.call("buckets", { buckets, ...range }), set);
  },
})));

/** Ask for a chart's answer and keep it, unless a newer ask for that chart was made meanwhile. */
async function latest<C extends ChartName>(chart: C, ask: () => Promise<ChartsState[C]>, set: (part: Partial<ChartsState>) => void): Promise<void> {
  const wanted = newest[chart].ask();
  try {
    const answer = await ask();
    if (wanted()) set({ [chart]: answer, error: null });
  } catch (err) {
    if (wanted()) set({ error: errorText(err) });
  }
}
