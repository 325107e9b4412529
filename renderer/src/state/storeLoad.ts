/**
 * The store the main process is still opening (started from the command
 * line, or the window opened on it): how far its load has come, polled from
 * store.loading, and its current snapshot's first records (store.preview,
 * asked once). When the load is over (store.loading answers null, or the
 * "opened"/"open-failed" event comes first) the session loads the store.
 */
import { create } from "zustand";
import type { LoadProgress, SnapshotPreview } from "../../../electron/contract";
import { api } from "../api/client";

const POLL_MS = 200;

interface StoreLoadState {
  progress: LoadProgress | null;
  preview: SnapshotPreview | null;
  /** Poll until the load is over, then call `done` once. */
  watch(done: () => void): void;
  stop(): void;
}

let timer: ReturnType<typeof setInterval> | null = null;

export const useStoreLoad = create<StoreLoadState>((set, get) => ({
  progress: null,
  preview: null,
  watch(done) {
    if (timer) return;
    void api.call("store.preview", {}).then((preview) => set({ preview }), () => undefined);
    const poll = () =>
      void api.call("store.loading", {}).then((progress) => {
        if (!timer) return;
        if (progress) return set({ progress });
        get().stop();
        done();
      }, () => undefined);
    timer = setInterval(poll, POLL_MS);
    poll();
  },
  stop() {
    if (timer) clearInterval(timer);
    timer = null;
    set({ progress: null, preview: null });
  },
}));

/** The share of the load's bytes done, 0 to 1 (null before the first figures). */
export function loadShare(progress: LoadProgress | null): number | null {
  if (!progress || progress.totalBytes === 0) return null;
  return Math.min(1, progress.bytes / progress.totalBytes);
}
