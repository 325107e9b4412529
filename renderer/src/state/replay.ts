/**
 * The one replay cursor (Redux DevTools' model): the scrubber, the op list,
 * the state table and the diff panes all read it; none keeps a copy.
 * cursor = how many timeline ops are applied (0 = the oldest state on disk).
 */
import { create } from "zustand";
import type { TimelineInfo } from "../../../electron/contract";
import { api, errorText } from "../api/client";
import type { ShownError } from "../api/client";
import { forgetOnOpen } from "./perStore";
import { ONE_OFF, stillWanted } from "./request";
import type { QueryRequest } from "./request";

export type Speed = 1 | 4 | 16;

interface ReplayState {
  info: TimelineInfo | null;
  cursor: number;
  playing: boolean;
  speed: Speed;
  error: ShownError | null;
  /** Load the timeline's length and history chain; the answer is kept only while `request` is the newest */
  loadInfo(request?: QueryRequest): Promise<void>;
  seek(pos: number): void;
  step(delta: number): void;
  play(): void;
  pause(): void;
  setSpeed(speed: Speed): void;
  jumpToTime(ts: string): Promise<void>;
}

let timer: ReturnType<typeof setInterval> | null = null;
/** A jump asked for before the timeline was loaded (e.g. "Replay here" from an op) */
let requested: number | null = null;
const TICK_MS = 250;

export const useReplay = forgetOnOpen(create<ReplayState>()((set, get) => ({
  info: null,
  cursor: 0,
  playing: false,
  speed: 1,
  error: null,
  async loadInfo(request = ONE_OFF) {
    try {
      const info = await api.call("timeline.info", {}, request.options);
      if (!stillWanted(request)) return;
      const first = get().info === null;
      // First load starts at "now" (or where another view asked to jump); later loads keep the user's cursor.
      const wanted = first ? (requested ?? info.total) : get().cursor;
      requested = null;
      set({ info, error: null, cursor: Math.max(0, Math.min(wanted, info.total)) });
    } catch (err) {
      if (stillWanted(request, err)) set({ error: errorText(err) });
    }
  },
  seek(pos) {
    const info = get().info;
    if (!info) {
      requested = Math.max(0, Math.round(pos));
      return set({ cursor: requested });
    }
    const total = info.total;
    set({ cursor: Math.max(0, Math.min(total, Math.round(pos))) });
  },
  step(delta) {
    get().seek(get().cursor + delta);
  },
  play() {
    if (timer) clearInterval(timer);
    if (get().cursor >= (get().info?.total ?? 0)) set({ cursor: 0 });
    set({ playing: true });
    timer = setInterval(() => {
      const { cursor, info, speed } = get();
      if (!info || cursor >= info.total) return get().pause();
      get().seek(cursor + speed);
    }, TICK_MS);
  },
  pause() {
    if (timer) clearInterval(timer);
    timer = null;
    set({ playing: false });
  },
  setSpeed: (speed) => set({ speed }),
  async jumpToTime(ts) {
    try {
      const { pos } = await api.call("timeline.posAtTime", { ts: new Date(/[zZ]|[+-]\d\d:\d\d$/.test(ts) ? ts : `${ts}Z`).toISOString() });
      get().seek(pos);
    } catch (err) {
      set({ error: errorText(err) });
    }
  },
})));
