/**
 * The explorer's own writes found lost (agent mode), as the main process
 * tells them with a store change (after a write, or on a poll): kept in view
 * until the user dismisses them, so a lost write is never taken for saved.
 */
import { create } from "zustand";
import type { LostOwnWrites } from "../../../electron/contract";
import { forgetOnOpen } from "./perStore";

interface OwnLostState {
  /** Each notice as told, oldest first */
  notices: LostOwnWrites[];
  add(notice: LostOwnWrites): void;
  dismiss(): void;
}

export const useOwnLost = forgetOnOpen(create<OwnLostState>()((set, get) => ({
  notices: [],
  add: (notice) => set({ notices: [...get().notices, notice] }),
  dismiss: () => set({ notices: [] }),
})));
