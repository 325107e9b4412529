/**
 * The Agents view's axis: by time or by position (one slot per op in replay
 * order, since agents write in bursts), and the window of it in view. Zoom
 * and pan only move the window, always kept inside the whole extent; "fit
 * all" clears it. Windows are in the axis's units: ms since 1970, or positions.
 */
import { create } from "zustand";
import type { AxisKind } from "../lib/axisTicks";
import { forgetOnOpen } from "./perStore";

/** The narrowest window: 5 ms of time (still 3 or more whole-ms labels), or 4 ops */
const MIN_SPAN: Record<AxisKind, number> = { time: 5, position: 4 };

interface AgentsAxisState {
  kind: AxisKind;
  /** The part of the extent in view; null = all of it */
  window: [number, number] | null;
  setKind(kind: AxisKind): void;
  /** Zoom by `factor` (< 1 in, > 1 out) keeping `at` where it is */
  zoom(extent: [number, number], factor: number, at: number): void;
  /** Move the window by `delta` axis units */
  pan(extent: [number, number], delta: number): void;
  zoomTo(extent: [number, number], a: number, b: number): void;
  fitAll(): void;
}

/** A window of at least the narrowest span, moved (not squeezed) to lie inside the extent; null when it covers it all. */
export function clampWindow(kind: AxisKind, extent: [number, number], from: number, to: number): [number, number] | null {
  const full = extent[1] - extent[0];
  const span = Math.max(Math.abs(to - from), Math.min(MIN_SPAN[kind], full));
  if (span >= full) return null;
  const start = Math.max(extent[0], Math.min(extent[1] - span, Math.min(from, to) - (span - Math.abs(to - from)) / 2));
  return [start, start + span];
}

export const useAgentsAxis = forgetOnOpen(create<AgentsAxisState>()((set, get) => ({
  kind: "time",
  window: null,
  setKind: (kind) => set({ kind, window: null }),
  zoom(extent, factor, at) {
    const [a, b] = get().window ?? extent;
    set({ window: clampWindow(get().kind, extent, at - (at - a) * factor, at + (b - at) * factor) });
  },
  pan(extent, delta) {
    const w = get().window;
    if (w) set({ window: clampWindow(get().kind, extent, w[0] + delta, w[1] + delta) });
  },
  zoomTo: (extent, a, b) => set({ window: clampWindow(get().kind, extent, a, b) }),
  fitAll: () => set({ window: null }),
})));
