/**
 * The store the command line named, while it opens behind a server (or a
 * window) that already answers: what is checked before that (quick, so bad
 * input still fails at once and clearly), and the answer every call that
 * needs the index gets meanwhile ("loading", with how far it has come).
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { previewSnapshot, readManifestTolerantly } from "../engine/src/inspect/index.js";
import type { SnapshotPreview } from "../engine/src/inspect/index.js";
import { OpslogError } from "../engine/src/errors.js";
import { isS3Url, parseS3Url } from "../engine/src/s3/location.js";
import type { LoadProgress } from "./contract.js";
import { LoadTracker } from "./load-progress.js";

/** A call made before the index is complete: answered with this, code "loading". */
export class StoreLoading extends Error {
  constructor(progress: LoadProgress) {
    const share = progress.totalBytes > 0 ? ` (${Math.floor((100 * progress.bytes) / progress.totalBytes)}% read)` : "";
    super(`The store is still loading${share}: this answer comes when its index is complete.`);
    this.name = "StoreLoading";
  }
}

/** What can be checked in a moment before the open goes on behind: the address, or the folder and its manifest. */
export async function checkQuickly(dir: string): Promise<void> {
  if (isS3Url(dir)) {
    parseS3Url(dir); // a bad address fails here; the bucket is reached in the background
    return;
  }
  const folder = resolve(dir);
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory()) throw new OpslogError("not-a-store", `${folder} does not exist or is not a folder. Choose the folder that contains manifest.json.`, { file: folder });
  await readManifestTolerantly(folder); // its errors say what is wrong and what to do
}

/** An open in flight: its progress, and (a folder's) first snapshot records, read once. */
export class LoadingStore {
  readonly progress: LoadTracker;
  private preview: Promise<SnapshotPreview | null> | null = null;

  constructor(readonly dir: string, private readonly previewable: boolean) {
    this.progress = new LoadTracker(dir, isS3Url(dir));
  }

  /** The current snapshot's first records, for a folder opened from the command line; null otherwise or if unreadable. */
  firstRecords(): Promise<SnapshotPreview | null> {
    if (!this.previewable) return Promise.resolve(null);
    this.preview ??= previewSnapshot(this.dir).catch(() => null);
    return this.preview;
  }
}
