/** The Agents view's data: WAL lanes with their ops (first MARK_LIMIT per lane), conflicts and lost writes. */
import { create } from "zustand";
import type { AgentLane, Conflict, LaneOp, LostWrite } from "../../../electron/contract";
import { api, errorText } from "../api/client";
import type { ShownError } from "../api/client";

/** Marks drawn per lane: a lane with more ops is sampled in evenly spaced runs across its whole length. */
export const MARK_LIMIT = 1000;
const SAMPLE_RUNS = 8;

async function laneMarks(lane: AgentLane): Promise<LaneOp[]> {
  if (lane.ops <= MARK_LIMIT) return (await api.call("agents.ops", { path: lane.path, offset: 0, limit: MARK_LIMIT })).rows;
  const run = Math.floor(MARK_LIMIT / SAMPLE_RUNS);
  const stride = Math.floor((lane.ops - run) / (SAMPLE_RUNS - 1));
  const pages = await Promise.all(Array.from({ length: SAMPLE_RUNS }, (_, i) => api.call("agents.ops", { path: lane.path, offset: i * stride, limit: run })));
  return pages.flatMap((p) => p.rows);
}

interface AgentsState {
  lanes: AgentLane[];
  laneOps: Record<string, LaneOp[]>;
  conflicts: Conflict[];
  conflictTotal: number;
  lost: LostWrite[];
  lostTotal: number;
  error: ShownError | null;
  /** The record whose marks stand out in every lane (a conflict or lost write the user picked) */
  focusId: string | null;
  load(): Promise<void>;
  focus(id: string | null): void;
}

export const useAgents = create<AgentsState>()((set) => ({
  lanes: [],
  laneOps: {},
  conflicts: [],
  conflictTotal: 0,
  lost: [],
  lostTotal: 0,
  error: null,
  focusId: null,
  focus: (focusId) => set({ focusId }),
  async load() {
    try {
      const lanes = await api.call("agents.list", {});
      const pages = await Promise.all(lanes.map(laneMarks));
      const [conflicts, lost] = await Promise.all([api.call("conflicts.page", { offset: 0, limit: 200 }), api.call("lostWrites.page", { offset: 0, limit: 200 })]);
      set({
        lanes,
        laneOps: Object.fromEntries(lanes.map((l, i) => [l.path, pages[i]])),
        conflicts: conflicts.rows,
        conflictTotal: conflicts.total,
        lost: lost.rows,
        lostTotal: lost.total,
        error: null,
      });
    } catch (err) {
      set({ error: errorText(err) });
    }
  },
}));
