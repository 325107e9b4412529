/**
 * Where a store's files come from, decided once when it is named: a folder on
 * this machine (read in place, polled often, written under opslog's .lock or
 * as an agent), or an S3 prefix (mirrored to a local folder the inspector
 * reads, polled by listing, written only as an agent through opslog-s3). The
 * rest of the main process asks the source, never which kind it is (opslog's
 * StorageBackend is the model: its Store never asks which backend it has).
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { readManifestTolerantly } from "../engine/src/inspect/index.js";
import type { CheckedLock } from "../engine/src/inspect/index.js";
import { OpslogError } from "../engine/src/errors.js";
import { isS3Url, parseS3Url } from "../engine/src/s3/location.js";
import type { FetchProgress } from "../engine/src/s3/index.js";
import { Store } from "../engine/src/store.js";
import type { SessionMode } from "./contract.js";
import type { S3SourceOptions } from "./s3-source.js";

type Doc = Record<string, unknown>;

export const S3_READ_ONLY = `Read-only: the explorer only lists and reads this bucket (GET), never writes to it or locks it. To undo, compact or edit, reopen it in agent mode ("Reopen in agent mode…" beside the actions, or --agent ID on the command line): it then writes through opslog-s3 as an agent of its own.`;
export const S3_NO_WRITER = `Writer mode is for single-writer stores on disk. On S3, the explorer writes as an agent, through opslog-s3: reopen in agent mode ("Reopen in agent mode…", or --agent ID on the command line).`;

/** An opened store's files: the local folder the inspector reads, how it is kept up to date, and how the store is written. */
export interface OpenSource {
  /** The store's address, as sessions and the recent list show it (an S3 address written back in its one form) */
  readonly address: string;
  /** The local folder holding the store's files (a folder store itself, or an S3 store's mirror): the inspector and the blob calls read it */
  readonly dir: string;
  /** The folder whose WAL file times tell when other agents last wrote (null: a mirror's times are its fetches') */
  readonly writeTimesDir: string | null;
  /** Bring the local folder up to date, history included (an S3 prefix: list it, fetch what is new, each object told to onFetched; a folder is always current) */
  sync(onFetched?: (progress: FetchProgress) => void): Promise<void>;
  /** The local folder may lack the store's history (an S3 store opens on its current period; the next whole sync brings the rest) */
  historyPending(): boolean;
  /** Lock objects the local folder does not hold (S3), read now; undefined: the folder's own lock files tell */
  locks(): Promise<CheckedLock[] | undefined>;
  /** The session is closing: a sync in flight stops at its next object (with an error), so nothing waits for the rest */
  stop(): void;
  /** The store opened for writing, as this agent (null: writer mode, under the .lock) */
  openWritable(agentId: string | null): Promise<Store<Doc>>;
  close(): Promise<void>;
}

/** A store's address and what can be said of it before it is reached. */
export interface StoreSource {
  readonly kind: "folder" | "s3";
  /** As the user sees it and the recent list keeps it: the folder's absolute path, or the s3:// URL */
  readonly address: string;
  /** A folder's first snapshot records can be shown while its index builds (they are read in place) */
  readonly previewsWhileLoading: boolean;
  /** Its files are fetched before the index is built (a load's progress starts with listing them) */
  readonly fetchesFirst: boolean;
  /** How often to look for other writers' changes unless told (ms): an S3 look is a LIST request */
  readonly pollMs: number;
  /** What read-only mode means here, when it says more than the general reason; null otherwise */
  readonly readOnlyReason: string | null;
  /** Throw if this kind of store cannot be opened in `mode`, saying why */
  checkMode(mode: SessionMode): void;
  /** Check what is quick to check before the open goes on behind (a folder and its manifest; an S3 address's form): bad input fails at once, clearly */
  checkQuickly(): Promise<void>;
  /** Reach the store: its files in a local folder, with progress (S3: each object fetched) */
  open(options: S3SourceOptions): Promise<OpenSource>;
}

/** The source a store's address names: the one place that tells a folder from an S3 prefix. */
export function storeSource(address: string): StoreSource {
  return isS3Url(address) ? s3Source(address) : folderSource(resolve(address));
}

function folderSource(dir: string): StoreSource {
  const opened: OpenSource = {
    address: dir,
    dir,
    writeTimesDir: dir,
    sync: async () => undefined,
    historyPending: () => false,
    stop: () => undefined,
    locks: async () => undefined,
    openWritable: (agentId) => openFolderStore(dir, agentId),
    close: async () => undefined,
  };
  return {
    kind: "folder",
    address: dir,
    previewsWhileLoading: true,
    fetchesFirst: false,
    pollMs: 400,
    readOnlyReason: null,
    checkMode: () => undefined,
    async checkQuickly() {
      const info = await stat(dir).catch(() => null);
      if (!info?.isDirectory()) throw new OpslogError("not-a-store", `${dir} does not exist or is not a folder. Choose the folder that contains manifest.json.`, { file: dir });
      await readManifestTolerantly(dir); // its errors say what is wrong and what to do
    },
    open: async () => opened,
  };
}

function s3Source(address: string): StoreSource {
  return {
    kind: "s3",
    address,
    previewsWhileLoading: false,
    fetchesFirst: true,
    pollMs: 2000, // every poll is a LIST request
    readOnlyReason: S3_READ_ONLY,
    checkMode(mode) {
      if (mode === "writer") throw new OpslogError("bad-argument", S3_NO_WRITER);
    },
    checkQuickly: async () => void parseS3Url(address), // a bad address fails here; the bucket is reached in the background
    async open(options) {
      // Loaded here, not at start: the S3 client is most of the main process's code, and a folder store never needs it.
      const { S3Source } = await import("./s3-source.js");
      const s3 = await S3Source.open(address, options);
      return {
        address: s3.url,
        dir: s3.dir,
        writeTimesDir: null,
        sync: async (onFetched) => void (await s3.sync(onFetched)),
        historyPending: () => s3.historyPending,
        stop: () => s3.mirror.stop(),
        locks: () => s3.locks(),
        openWritable: (agentId) => s3.openAgentStore(agentId ?? "explorer"),
        close: () => s3.close(),
      };
    },
  };
}

/** A folder store opened for writing, never compacting behind the user's back (only the Compact action does). */
async function openFolderStore(dir: string, agentId: string | null): Promise<Store<Doc>> {
  const store = new Store<Doc>();
  try {
    await store.open(dir, { checkpointOnClose: false, checkpointThreshold: Number.POSITIVE_INFINITY, ...(agentId ? { agentId } : {}) });
  } catch (err) {
    throw explainLock(err);
  }
  return store;
}

/** A held .lock: say whose it is and what to do (a dead holder's lock is taken over, so this one is alive). */
function explainLock(err: unknown): unknown {
  if (!(err instanceof OpslogError) || err.code !== "locked") return err;
  const pid = err.pid;
  const who = pid !== undefined ? `process ${pid}, which is still running (probably the app that owns this store)` : "another process";
  return new OpslogError("locked", `Writer mode needs this store's .lock, and it is held by ${who}. Stop that process and reopen in writer mode, or open the store read-only, which works alongside it. (${err.message})`, { file: err.file, pid, cause: err });
}
