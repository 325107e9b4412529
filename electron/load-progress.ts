/**
 * How far the open in flight has come, as store.loading answers it: an S3
 * store's listing and fetch (objects and bytes), then the index build of any
 * store (snapshot, WALs, finishing: bytes read, ops indexed), with the time
 * since the open began and an estimate of the time left in the current stage
 * at the pace so far.
 */
import type { BuildProgress } from "../engine/src/inspect/index.js";
import type { FetchProgress } from "../engine/src/s3/index.js";
import type { LoadProgress } from "./contract.js";

export class LoadTracker {
  private readonly started = Date.now();
  /** When the current stage (fetching, or indexing: from the build's first report, after the thread has started) began: the estimate is over its pace alone */
  private stageStarted = this.started;
  private indexing = false;
  private progress: Omit<LoadProgress, "elapsedMs" | "etaMs">;

  constructor(url: string, fromS3: boolean) {
    this.progress = { url, phase: fromS3 ? "listing" : "snapshot", objects: 0, totalObjects: 0, bytes: 0, totalBytes: 0, ops: 0 };
  }

  /** An S3 object fetched (or the listing done: the first report). */
  fetched(fetch: FetchProgress): void {
    if (this.progress.phase === "listing") this.stageStarted = Date.now();
    this.progress = { ...this.progress, phase: "fetching", ...fetch };
  }

  /** The index build's latest report. */
  indexed(build: BuildProgress): void {
    if (!this.indexing) this.stageStarted = Date.now();
    this.indexing = true;
    this.progress = { ...this.progress, phase: build.phase, bytes: build.bytes, totalBytes: build.totalBytes, ops: build.ops };
  }

  current(): LoadProgress {
    const now = Date.now();
    const { bytes, totalBytes } = this.progress;
    const stageMs = now - this.stageStarted;
    const etaMs = bytes > 0 && totalBytes > 0 ? Math.round((stageMs * (totalBytes - bytes)) / bytes) : null;
    return { ...this.progress, elapsedMs: now - this.started, etaMs };
  }
}
