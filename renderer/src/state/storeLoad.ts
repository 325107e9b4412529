/**
 * A store the main process is opening: how far its load has come, polled
 * from store.loading, either while a store.open call is in flight (track), or
 * while the store the command line named opens behind the page (watch: with
 * its current snapshot's first records from store.preview, asked once; when
 * store.loading answers null, or the "opened"/"open-failed" event comes
 * first, the session loads the store).
 */
import { create } from "zustand";
import type { LoadProgress, SnapshotPreview } from "../../../electron/contract";
import { api } from "../api/client";

const POLL_MS = 200;

interface StoreLoadState {
  /** A store.open call is in flight */
  opening: boolean;
  progress: LoadProgress | null;
  preview: SnapshotPreview | null;
  /** Run a store.open call, polling its progress meanwhile. */
  track<T>(open: () => Promise<T>): Promise<T>;
  /** Show `preview` when it comes, and poll until the load is over, then call `done` once. */
  watch(preview: Promise<SnapshotPreview | null>, done: () => void): void;
  stop(): void;
}

let timer: ReturnType<typeof setInterval> | null = null;

export const useStoreLoad = create<StoreLoadState>((set, get) => ({
  opening: false,
  progress: null,
  preview: null,
  async track(open) {
    set({ opening: true, progress: null });
    const poll = setInterval(() => void api.call("store.loading", {}).then((progress) => get().opening && set({ progress }), () => undefined), POLL_MS);
    try {
      return await open();
    } finally {
      clearInterval(poll);
      set({ opening: false, progress: null });
    }
  },
  watch(preview, done) {
    if (timer) return;
    void preview.then((first) => timer && set({ preview: first }));
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
