/**
 * The history behind a store opened on its current period (an S3 store
 * shows what opslog-s3's own open reads first): how much of it is still to
 * fetch, polled from store.history after each open until it answers null.
 * While it is not null, nothing on screen is the whole history, and the
 * banner and the header say so; its arrival reaches every view as a
 * "rebuilt" change (state/session.ts), so no one has to refresh.
 */
import { create } from "zustand";
import type { HistoryProgress } from "../../../electron/contract";
import { api } from "../api/client";

const POLL_MS = 300;

interface HistoryLoadState {
  progress: HistoryProgress | null;
  /** Ask now whether the open store's history is still loading, and poll until it is in. */
  check(): void;
}

let timer: ReturnType<typeof setTimeout> | null = null;

export const useHistoryLoad = create<HistoryLoadState>((set, get) => ({
  progress: null,
  check() {
    if (timer) clearTimeout(timer);
    timer = null;
    void api.call("store.history", {}).then(
      (progress) => {
        set({ progress });
        if (progress) timer = setTimeout(() => get().check(), POLL_MS);
      },
      () => set({ progress: null }), // no store open any more
    );
  },
}));

/** The share of the history fetched, 0 to 1 (bytes once the listing has sized it, else objects). */
export function historyShare(p: HistoryProgress): number {
  if (p.totalBytes > 0) return Math.min(1, p.bytes / p.totalBytes);
  return p.totalObjects > 0 ? Math.min(1, p.objects / p.totalObjects) : 0;
}

/** Whether what the views show covers only the current period (the history still loading). */
export const useHistoryLoading = () => useHistoryLoad((s) => s.progress !== null);
