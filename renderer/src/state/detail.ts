/** The record and the op the user is looking at, fetched by action. */
import { create } from "zustand";
import type { Conflict, RecordDetail, TimelineOp } from "../../../electron/contract";
import { api, errorText } from "../api/client";
import type { ShownError } from "../api/client";
import { forgetOnOpen } from "./perStore";

interface DetailState {
  record: RecordDetail | null;
  recordError: ShownError | null;
  op: TimelineOp | null;
  /** The last-writer-wins conflicts the op is in: it overrode a write, or a write overrode it */
  opConflicts: Conflict[];
  opError: ShownError | null;
  loadRecord(id: string): Promise<void>;
  loadOp(pos: number): Promise<void>;
}

export const useDetail = forgetOnOpen(create<DetailState>()((set) => ({
  record: null,
  recordError: null,
  op: null,
  opConflicts: [],
  opError: null,
  async loadRecord(id) {
    try {
      set({ record: await api.call("records.get", { id }), recordError: null });
    } catch (err) {
      set({ record: null, recordError: errorText(err) });
    }
  },
  async loadOp(pos) {
    try {
      const [op, conflicts] = await Promise.all([api.call("ops.get", { pos }), api.call("conflicts.page", { pos, offset: 0, limit: 20 })]);
      set({ op, opConflicts: conflicts.rows, opError: null });
    } catch (err) {
      set({ op: null, opConflicts: [], opError: errorText(err) });
    }
  },
})));
