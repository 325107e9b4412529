/** The "Check store" dialog: open or not, and the store doctor's report it shows (the same as `npm run check`), asked for once per opening. */
import { create } from "zustand";
import type { StoreCheck } from "../../../electron/contract";
import { api, errorText } from "../api/client";
import type { ShownError } from "../api/client";
import { forgetOnOpen, NewestRequest } from "./perStore";

interface CheckState {
  open: boolean;
  report: StoreCheck | null;
  error: ShownError | null;
  /** Ask for the report and show it (again: a check is of the store as it is now) */
  run(): Promise<void>;
  close(): void;
}

const newest = new NewestRequest();

export const useCheck = forgetOnOpen(create<CheckState>()((set) => ({
  open: false,
  report: null,
  error: null,
  async run() {
    const wanted = newest.ask();
    set({ open: true, report: null, error: null });
    try {
      const report = await api.call("store.check", {});
      if (wanted()) set({ report });
    } catch (err) {
      if (wanted()) set({ error: errorText(err) });
    }
  },
  close: () => set({ open: false, report: null, error: null }),
})));
