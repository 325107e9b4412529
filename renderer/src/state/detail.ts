/** The record and the op the user is looking at, fetched by action. */
import { create } from "zustand";
import type { RecordDetail, TimelineOp } from "../../../electron/contract";
import { api, errorText } from "../api/client";
import type { ShownError } from "../api/client";

interface DetailState {
  record: RecordDetail | null;
  recordError: ShownError | null;
  op: TimelineOp | null;
  opError: ShownError | null;
  loadRecord(id: string): Promise<void>;
  loadOp(pos: number): Promise<void>;
}

export const useDetail = create<DetailState>()((set) => ({
  record: null,
  recordError: null,
  op: null,
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
      set({ op: await api.call("ops.get", { pos }), opError: null });
    } catch (err) {
      set({ op: null, opError: errorText(err) });
    }
  },
}));
