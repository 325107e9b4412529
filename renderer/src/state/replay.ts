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
import { useTimelineEvents } from "./events";
import { nextEventAfter, opsDue, reachedAt } from "../lib/playback";
import type { OpTimes } from "../lib/playback";
import type { QueryRequest } from "./request";

/** Ops per second, from a careful 1 to a big store's thousands */
export const OPS_PER_SECOND = [1, 4, 16, 64, 250, 1000, 4000, 16000] as const;
/** Real time × N, by the ops' timestamps */
export const TIME_FACTORS = [1, 10, 60, 600, 3600] as const;
/** A pace: so many ops a second, or real time × N */
export type Pace = { kind: "ops"; perSecond: number } | { kind: "time"; factor: number };

interface ReplayState {
  info: TimelineInfo | null;
  cursor: number;
  playing: boolean;
  pace: Pace;
  /** Where the playing stops by itself (the next event, when asked); null: at the end */
  stopAt: number | null;
  error: ShownError | null;
  /** A jump asked for before the timeline was loaded (e.g. "Replay here" from an op): the first load lands there */
  requested: number | null;
  /** The running replay: its timer and clock; null while paused */
  run: Run | null;
  /** Load the timeline's length and history chain; the answer is kept only while `request` is the newest */
  loadInfo(request?: QueryRequest): Promise<void>;
  seek(pos: number): void;
  step(delta: number): void;
  play(): void;
  /** Play at the pace to the next archive or compaction the Timeline marks, and stop there */
  playToNextEvent(): void;
  pause(): void;
  setPace(pace: Pace): void;
  jumpToTime(ts: string): Promise<void>;
}

/** One seek a tick at most, whatever the pace: the panes ask the server once a tick, not once an op. */
const TICK_MS = 100;
/** Op times fetched at once for a real-time replay */
const TIMES_PAGE = 500;

/** The running replay's clock: when the last tick ran, the fraction of an op carried, the real-time clock and the op times ahead (changed in place by each tick: nothing renders from it) */
interface Run {
  timer: ReturnType<typeof setInterval>;
  lastTick: number;
  carry: number;
  clockMs: number | null;
  times: OpTimes | null;
  fetching: boolean;
}

/** The op times from `from` on, for a real-time replay (ops in replay order). */
async function fetchTimes(mine: Run, from: number): Promise<void> {
  if (mine.fetching) return;
  mine.fetching = true;
  try {
    const page = await api.call("ops", { offset: from, limit: TIMES_PAGE });
    mine.times = { from, ms: page.rows.map((o) => Date.parse(o.ts)) };
  } finally {
    mine.fetching = false;
  }
}

export const useReplay = forgetOnOpen(create<ReplayState>()((set, get) => ({
  info: null,
  cursor: 0,
  playing: false,
  pace: { kind: "ops", perSecond: 4 },
  stopAt: null,
  error: null,
  requested: null,
  run: null,
  async loadInfo(request = ONE_OFF) {
    try {
      const info = await api.call("timelineInfo", {}, request.options);
      if (!stillWanted(request)) return;
      const first = get().info === null;
      // First load starts at "now" (or where another view asked to jump); later loads keep the user's cursor.
      const wanted = first ? (get().requested ?? info.total) : get().cursor;
      set({ info, error: null, requested: null, cursor: Math.max(0, Math.min(wanted, info.total)) });
    } catch (err) {
      if (stillWanted(request, err)) set({ error: errorText(err) });
    }
  },
  seek(pos) {
    const info = get().info;
    if (!info) {
      const requested = Math.max(0, Math.round(pos));
      return set({ requested, cursor: requested });
    }
    const total = info.total;
    set({ cursor: Math.max(0, Math.min(total, Math.round(pos))) });
  },
  step(delta) {
    get().seek(get().cursor + delta);
  },
  play() {
    if (get().cursor >= (get().info?.total ?? 0)) set({ cursor: 0 });
    start(get, set, null);
  },
  playToNextEvent() {
    const next = nextEventAfter(get().cursor, useTimelineEvents.getState().events.map((e) => e.position));
    start(get, set, next);
  },
  pause() {
    const run = get().run;
    if (run) clearInterval(run.timer);
    set({ playing: false, stopAt: null, run: null });
  },
  setPace(pace) {
    const run = get().run;
    set({ pace, ...(run ? { run: { ...run, lastTick: performance.now(), carry: 0, clockMs: null, times: null, fetching: false } } : {}) }); // the new pace starts from here
  },
  async jumpToTime(ts) {
    try {
      const { pos } = await api.call("timeline.posAtTime", { ts: new Date(/[zZ]|[+-]\d\d:\d\d$/.test(ts) ? ts : `${ts}Z`).toISOString() });
      get().seek(pos);
    } catch (err) {
      set({ error: errorText(err) });
    }
  },
})), { stop: (replay) => replay.pause() }); // its timer, before its state goes

type Get = () => ReplayState;
type Set = (partial: Partial<ReplayState>) => void;

/** Start the timer: each tick moves the cursor once, by what the pace makes due, never past `stopAt` or the end. */
function start(get: Get, set: Set, stopAt: number | null): void {
  const running = get().run;
  if (running) clearInterval(running.timer);
  const timer = setInterval(() => tick(get, set), TICK_MS);
  set({ playing: true, stopAt, run: { timer, lastTick: performance.now(), carry: 0, clockMs: null, times: null, fetching: false } });
}

function tick(get: Get, set: Set): void {
  const { cursor, info, pace, stopAt, run } = get();
  const end = Math.min(info?.total ?? 0, stopAt ?? Infinity);
  if (!info || !run || cursor >= end) return get().pause();
  const now = performance.now();
  const elapsed = now - run.lastTick;
  run.lastTick = now;
  if (pace.kind === "ops") {
    const due = opsDue(run.carry, elapsed, pace.perSecond);
    run.carry = due.carry;
    if (due.steps > 0) get().seek(Math.min(end, cursor + due.steps));
    return;
  }
  // Real time × N: the clock starts at the next op's time and runs N times faster than the wall's.
  const times = run.times;
  if (!times || cursor < times.from || cursor >= times.from + times.ms.length) return void fetchTimes(run, cursor).catch((err) => set({ error: errorText(err) }));
  if (run.clockMs === null) run.clockMs = times.ms.slice(cursor - times.from).find((t) => !Number.isNaN(t)) ?? 0;
  else run.clockMs += elapsed * pace.factor;
  const reached = reachedAt(cursor, end, run.clockMs, times);
  if (reached.pos > cursor) get().seek(reached.pos);
  if (reached.exhausted) void fetchTimes(run, reached.pos).catch((err) => set({ error: errorText(err) }));
}
