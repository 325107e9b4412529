/** The Agents view's data: WAL lanes with their ops (first MARK_LIMIT per lane), conflicts and lost writes. */
import { create } from "zustand";
import type { AgentLane, Conflict, LaneOp, LostWrite } from "../../../electron/contract";
import { api, errorText } from "../api/client";

export const MARK_LIMIT = 1000;

interface AgentsState {
  lanes: AgentLane[];
  laneOps: Record<string, LaneOp[]>;
  conflicts: Conflict[];
  conflictTotal: number;
  lost: LostWrite[];
  lostTotal: number;
  error: { message: string; detail?: string } | null;
  load(): Promise<void>;
}

export const useAgents = create<AgentsState>()((set) => ({
  lanes: [],
  laneOps: {},
  conflicts: [],
  conflictTotal: 0,
  lost: [],
  lostTotal: 0,
  error: null,
  async load() {
    try {
      const lanes = await api.call("agents.list", {});
      const pages = await Promise.all(lanes.map((l) => api.call("agents.ops", { path: l.path, offset: 0, limit: MARK_LIMIT })));
      const [conflicts, lost] = await Promise.all([api.call("conflicts.page", { offset: 0, limit: 200 }), api.call("lostWrites.page", { offset: 0, limit: 200 })]);
      set({
        lanes,
        laneOps: Object.fromEntries(lanes.map((l, i) => [l.path, pages[i].rows])),
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
