/** The op the user is looking at in Operations, with the conflicts it is in, fetched by action (OpDetail's query runs it). */
import { create } from "zustand";
import type { Conflict, TimelineOp } from "../../../electron/contract";
import { api, errorText } from "../api/client";
import type { ShownError } from "../api/client";
import { forgetOnOpen } from "./perStore";
import { part, stillWanted } from "./request";
import type { QueryRequest } from "./request";

interface DetailState {
  op: TimelineOp | null;
  /** The last-writer-wins conflicts the op is in: it overrode a write, or a write overrode it */
  opConflicts: Conflict[];
  opError: ShownError | null;
  /** Load op `pos`; the answer is kept only while `request` is the newest */
  loadOp(pos: number, request: QueryRequest): Promise<void>;
}

export const useDetail = forgetOnOpen(create<DetailState>()((set) => ({
  op: null,
  opConflicts: [],
  opError: null,
  async loadOp(pos, request) {
    try {
      const [op, conflicts] = await Promise.all([api.call("ops.get", { pos }, part(request, "op").options), api.call("conflicts", { pos, offset: 0, limit: 20 }, part(request, "conflicts").options)]);
      if (stillWanted(request)) set({ op, opConflicts: conflicts.rows, opError: null });
    } catch (err) {
      if (stillWanted(request, err)) set({ op: null, opConflicts: [], opError: errorText(err) });
    }
  },
})));
