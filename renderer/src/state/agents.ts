/**
 * The Agents view's data: WAL lanes with their ops (at most MARK_LIMIT per
 * lane, sampled in runs across a longer file, and again across the part of
 * it in view when the axis is zoomed), conflicts and lost writes.
 */
import { create } from "zustand";
import type { AgentLane, Conflict, LaneOp, LostWriteRow } from "../../../electron/contract";
import { api, errorText } from "../api/client";
import type { ShownError } from "../api/client";
import { forgetOnOpen } from "./perStore";
import { ONE_OFF, part, stillWanted } from "./request";
import type { QueryRequest } from "./request";

/** Marks drawn per lane: a lane with more ops is sampled in evenly spaced runs across its whole length. */
export const MARK_LIMIT = 1000;
const SAMPLE_RUNS = 8;

/** A stretch of a WAL's ops, read in one page: op i of `ops` is the file's op number `offset + i` (0-based). */
export interface MarkRun {
  offset: number;
  ops: LaneOp[];
}

/** The ops of a WAL between two of its op numbers [from, to): all of them, or evenly spaced runs when there are more than MARK_LIMIT. */
async function laneMarks(path: string, from: number, to: number): Promise<MarkRun[]> {
  const count = to - from;
  if (count <= MARK_LIMIT) return [{ offset: from, ops: (await api.call("laneOps", { path, offset: from, limit: Math.max(1, count) })).rows }];
  const run = Math.floor(MARK_LIMIT / SAMPLE_RUNS);
  const stride = Math.floor((count - run) / (SAMPLE_RUNS - 1));
  const offsets = Array.from({ length: SAMPLE_RUNS }, (_, i) => from + i * stride);
  const pages = await Promise.all(offsets.map((offset) => api.call("laneOps", { path, offset, limit: run })));
  return pages.map((p, i) => ({ offset: offsets[i], ops: p.rows }));
}

/** The stretch [from, to) of a lane whose ops may fall in `window` (by `key`), bracketed by the ops already drawn; null if nothing there is undrawn. */
function undrawnStretch(runs: MarkRun[], total: number, window: [number, number], key: (op: LaneOp) => number): [number, number] | null {
  let from = 0;
  let to = total;
  for (const run of runs) {
    run.ops.forEach((op, i) => {
      const k = key(op);
      if (k < window[0]) from = Math.max(from, run.offset + i + 1);
      else if (k > window[1]) to = Math.min(to, run.offset + i);
    });
  }
  const drawn = runs.reduce((n, r) => n + r.ops.filter((_, i) => r.offset + i >= from && r.offset + i < to).length, 0);
  return to > from && drawn < to - from ? [from, to] : null;
}

interface AgentsState {
  /** Whether the lanes, conflicts and lost writes have been read once: before, an empty list says nothing */
  loaded: boolean;
  lanes: AgentLane[];
  /** Each lane's drawn ops: the sampled runs across the whole file */
  laneRuns: Record<string, MarkRun[]>;
  /** ...and, when zoomed, the ops of the part in view (sampled again if still too many) */
  windowRuns: Record<string, MarkRun[]>;
  conflicts: Conflict[];
  conflictTotal: number;
  lost: LostWriteRow[];
  lostTotal: number;
  error: ShownError | null;
  /** The record whose marks stand out in every lane (a conflict or lost write the user picked) */
  focusId: string | null;
  /** Load the lanes, their marks, conflicts and lost writes; the answer is kept only while `request` is the newest */
  load(request?: QueryRequest): Promise<void>;
  /** Draw the ops of sampled lanes that fall in the window (by `key`: the op's place on the axis); null = the whole axis */
  loadWindow(window: [number, number] | null, key: (op: LaneOp) => number): void;
  focus(id: string | null): void;
}

let windowTimer: ReturnType<typeof setTimeout> | null = null;
/** Wheel and drag move the window many times a second: load once it rests. */
const WINDOW_REST_MS = 150;

export const useAgents = forgetOnOpen(create<AgentsState>()((set, get) => ({
  loaded: false,
  lanes: [],
  laneRuns: {},
  windowRuns: {},
  conflicts: [],
  conflictTotal: 0,
  lost: [],
  lostTotal: 0,
  error: null,
  focusId: null,
  focus: (focusId) => set({ focusId }),
  loadWindow(window, key) {
    if (windowTimer) clearTimeout(windowTimer);
    if (!window) return set({ windowRuns: {} });
    windowTimer = setTimeout(async () => {
      const { lanes, laneRuns } = get();
      const stretches = lanes.map((l) => (l.ops > MARK_LIMIT ? undrawnStretch(laneRuns[l.path] ?? [], l.ops, window, key) : null));
      try {
        const runs = await Promise.all(stretches.map((s, i) => (s ? laneMarks(lanes[i].path, s[0], s[1]) : Promise.resolve([]))));
        if (get().lanes === lanes) set({ windowRuns: Object.fromEntries(lanes.map((l, i) => [l.path, runs[i]])) });
      } catch (err) {
        set({ error: errorText(err) });
      }
    }, WINDOW_REST_MS);
  },
  async load(request = ONE_OFF) {
    try {
      const lanes = await api.call("lanes", {}, part(request, "lanes").options);
      if (!stillWanted(request)) return;
      const pages = await Promise.all(lanes.map((l) => laneMarks(l.path, 0, l.ops)));
      const [conflicts, lost] = await Promise.all([api.call("conflicts", { offset: 0, limit: 200 }, part(request, "conflicts").options), api.call("lostWrites.page", { offset: 0, limit: 200 }, part(request, "lost").options)]);
      if (!stillWanted(request)) return;
      set({
        loaded: true,
        lanes,
        laneRuns: Object.fromEntries(lanes.map((l, i) => [l.path, pages[i]])),
        windowRuns: {},
        conflicts: conflicts.rows,
        conflictTotal: conflicts.total,
        lost: lost.rows,
        lostTotal: lost.total,
        error: null,
      });
    } catch (err) {
      if (stillWanted(request, err)) set({ error: errorText(err) });
    }
  },
})));
