/**
 * The store the command line named, while it opens behind a server (or a
 * window) that already answers: what is checked before that (quick, so bad
 * input still fails at once and clearly), and the answer every call that
 * needs the index gets meanwhile ("loading", with how far it has come).
 */
import { previewSnapshot } from "../engine/src/inspect/index.js";
import type { SnapshotPreview } from "../engine/src/inspect/index.js";
import type { LoadProgress } from "./contract.js";
import { LoadTracker } from "./load-progress.js";
import { storeSource } from "./store-source.js";
import type { StoreSource } from "./store-source.js";

/** A call made before the index is complete: answered with this, code "loading". */
export class StoreLoading extends Error {
  constructor(progress: LoadProgress) {
    const share = progress.totalBytes > 0 ? ` (${Math.floor((100 * progress.bytes) / progress.totalBytes)}% read)` : "";
    super(`The store is still loading${share}: this answer comes when its index is complete.`);
    this.name = "StoreLoading";
  }
}

/** What can be checked in a moment before the open goes on behind: the address, or the folder and its manifest. */
export function checkQuickly(dir: string): Promise<void> {
  return storeSource(dir).checkQuickly();
}

/** An open in flight: its progress, and (a folder's) first snapshot records, read once. */
export class LoadingStore {
  readonly progress: LoadTracker;
  private preview: Promise<SnapshotPreview | null> | null = null;

  readonly dir: string;
  private readonly previewable: boolean;

  /** preview: show the first snapshot records while loading, if the source can */
  constructor(source: StoreSource, preview: boolean) {
    this.dir = source.address;
    this.previewable = preview && source.previewsWhileLoading;
    this.progress = new LoadTracker(source.address, source.fetchesFirst);
  }

  /** The current snapshot's first records, for a folder opened from the command line; null otherwise or if unreadable. */
  firstRecords(): Promise<SnapshotPreview | null> {
    if (!this.previewable) return Promise.resolve(null);
    this.preview ??= previewSnapshot(this.dir).catch(() => null);
    return this.preview;
  }
}
