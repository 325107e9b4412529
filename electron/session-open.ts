/**
 * How a session opens: its options, the inspector started in a thread of its
 * own, and the rules that fit a mode to a store's kind (with the sentence the
 * UI shows for the mode chosen). session.ts holds the open session itself.
 */
import { OpslogError } from "../engine/src/errors.js";
import { EngineWorkerFailed, openInspector, openInspectorThread } from "../engine/src/inspect/index.js";
import type { BuildProgress, IndexCacheOptions, InspectorApi, StoreSummary, ThreadOptions } from "../engine/src/inspect/index.js";
import type { SessionMode } from "./contract.js";
import type { S3Limits } from "../engine/src/s3/index.js";
import type { LoadTracker } from "./load-progress.js";

export interface OpenOptions {
  dir: string;
  mode?: SessionMode;
  agentId?: string;
  confirmAgentOnSingleWriter?: boolean;
  demo?: boolean;
  /** How often to look for other processes' writes (ms); 0 = never */
  pollMs?: number;
  /** The inspector thread's call deadline (and tests' hooks) */
  thread?: ThreadOptions;
  /** Started with --read-only: refuse any mode but read-only, whatever the caller asks */
  lockedReadOnly?: boolean;
  /** S3 stores (`s3://…`): where their local mirrors live (default: the user's cache folder) */
  s3CacheRoot?: string;
  /** Where built indexes are kept between opens (engine index-cache.ts); none when absent */
  indexCache?: IndexCacheOptions | null;
  /** S3 stores: each request's deadlines and attempts (tests shorten them) */
  s3Limits?: S3Limits;
  /** Called just before a writable store is opened (and locked): throws to stop the open there (the explorer is closing) */
  beforeLock?: () => void;
  /** Told of every S3 object fetched and of the index build's progress while the store loads */
  progress?: LoadTracker;
  /** Tests only: runs inside each write, after the Store refreshed and before it appends (another agent compacts there, as a race would) */
  beforeAppend?: () => Promise<void>;
  /** Tests only: the history behind a current-period open waits for this before it is fetched */
  beforeHistory?: () => Promise<void>;
}

export const LOCKED_READ_ONLY = "This explorer was started with --read-only: it opens stores read-only and refuses every write, whatever is asked. To write, restart it without --read-only.";

/**
 * The inspector in a thread of its own, so that indexing a large store or
 * filtering it never holds up the process that serves the UI, and a call past
 * its deadline can be stopped; in this thread if that one cannot start.
 */
export async function openInspectorOffThread(dir: string, thread: ThreadOptions = {}, progress?: LoadTracker, indexCache: IndexCacheOptions | null = null): Promise<InspectorApi> {
  const onProgress = progress && ((p: BuildProgress) => progress.indexed(p));
  try {
    return await openInspectorThread(dir, { indexCache }, { ...thread, onProgress });
  } catch (err) {
    if (!(err instanceof EngineWorkerFailed)) throw err;
    // Here no deadline can pre-empt a call (nothing runs while it does); regexes still run in linear time (RE2).
    console.warn(`opslog explorer: the inspector runs on the main thread (${err.message}).`);
    return await openInspector(dir, { indexCache }, onProgress);
  }
}

export function checkModeFits(mode: SessionMode, kind: StoreSummary["kind"], confirmed: boolean): void {
  if (mode === "writer" && (kind === "multi-writer" || kind === "mixed")) {
    throw new OpslogError("bad-argument", "This is a multi-writer store (its manifest lists per-agent WALs). Writer mode would write a WAL its agents never read. Open it in agent mode instead (--agent ID).");
  }
  if (mode === "agent" && (kind === "single-writer" || kind === "empty") && !confirmed) {
    throw new OpslogError("confirm-required", "This is a single-writer store. In agent mode the explorer would write to a WAL of its own, which the app that owns this store never reads: your changes would be invisible to it, and its next compaction would lose them. Use writer mode instead, or confirm to go on anyway.");
  }
}

export function modeReason(mode: SessionMode, kind: StoreSummary["kind"], agentId: string | null): string {
  if (mode === "writer") return "Writer mode: the explorer holds this store's .lock, so its owning app cannot write until you close it.";
  if (mode === "agent") return `Agent mode: the explorer writes as agent "${agentId}", in a WAL of its own, alongside the store's other agents.`;
  const [write, flag] = kind === "multi-writer" || kind === "mixed" ? ["agent", "--agent ID"] : ["writer", "--writer"];
  return `Read-only: the explorer never writes to or locks this store. To undo, compact or edit, reopen it in ${write} mode ("Reopen in ${write} mode…" beside the actions, or ${flag} on the command line).`;
}
