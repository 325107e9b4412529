/**
 * What the charts draw: the timeline counted in time buckets on the server
 * (timeline.buckets), one answer for the Timeline (the whole store) and one
 * for the Agents view (the time window in view). A million ops arrive as a
 * few hundred buckets; a stale answer never replaces a newer one.
 */
import { create } from "zustand";
import type { TimeBuckets } from "../../../electron/contract";
import { api, errorText } from "../api/client";
import type { ShownError } from "../api/client";
import { forgetOnOpen, NewestRequest } from "./perStore";

/** About one bucket per 4 pixels of chart, never more than the server allows. */
export function bucketsFor(widthPx: number): number {
  return Math.max(10, Math.min(600, Math.floor(widthPx / 4)));
}

export type ChartName = "timeline" | "agents";

interface ChartsState {
  timeline: TimeBuckets | null;
  agents: TimeBuckets | null;
  error: ShownError | null;
  /** Count `buckets` buckets over [from, to] (ms since 1970; the whole timeline when absent) for one chart */
  load(chart: ChartName, buckets: number, window?: [number, number] | null): Promise<void>;
}

const newest: Record<ChartName, NewestRequest> = { timeline: new NewestRequest(), agents: new NewestRequest() };

export const useCharts = forgetOnOpen(create<ChartsState>()((set) => ({
  timeline: null,
  agents: null,
  error: null,
  async load(chart, buckets, window) {
    const wanted = newest[chart].ask();
    const range = window ? { from: new Date(window[0]).toISOString(), to: new Date(window[1]).toISOString() } : {};
    try {
      const answer = await api.call("timeline.buckets", { buckets, ...range });
      if (wanted()) set({ [chart]: answer, error: null });
    } catch (err) {
      if (wanted()) set({ error: errorText(err) });
    }
  },
})));
