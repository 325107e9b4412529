/**
 * The history behind a store opened on its current period. An S3 store's
 * open fetches what opslog-s3's own open reads (the manifest, the current
 * snapshot, the active WALs) and shows it; the rest (retired WALs, older
 * snapshots, blobs) comes with the session's next whole sync, started at
 * once. This is that fetch's progress as store.history answers it, so the
 * UI can say plainly that the history is still loading (n of m objects) and
 * nothing it shows is the whole history yet.
 */
import type { FetchProgress } from "../engine/src/s3/index.js";
import type { HistoryProgress } from "./contract.js";

export class HistoryLoad {
  private readonly started = Date.now();
  private progress: FetchProgress;
  private failure: string | null = null;

  /** Nothing known of the history until its sync has listed the bucket */
  private listed = false;

  constructor() {
    this.progress = { objects: 0, totalObjects: 0, bytes: 0, totalBytes: 0 };
  }

  /** An object of the history fetched (or the listing done: the first report). */
  readonly fetched = (progress: FetchProgress): void => {
    this.progress = { ...progress };
    this.listed = true;
    this.failure = null;
  };

  /** The fetch failed: said until the next poll's sync tries again. */
  failed(err: unknown): void {
    this.failure = `The history could not be fetched (${err instanceof Error ? err.message : String(err)}); the next look at the bucket tries again.`;
  }

  current(): HistoryProgress {
    return { ...this.progress, listed: this.listed, elapsedMs: Date.now() - this.started, failed: this.failure };
  }
}
