/**
 * An S3 store as a session sees it: the address (`s3://bucket/prefix?…`),
 * the local mirror the inspector reads, the S3 client (credentials from the
 * AWS SDK's default chain, never seen here), and the progress of the load in
 * flight, which the UI polls (store.loading) while a big store comes in.
 * The open fetches the current period alone (the manifest and what it names,
 * as opslog-s3's own open reads it); the history behind it comes with the
 * next whole sync, which the session starts at once (session-history.ts).
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { S3Mirror, S3Objects, createS3Client, explainS3Error, formatS3Url, limitsOf, parseS3Url, readS3Locks } from "../engine/src/s3/index.js";
import type { FetchProgress, S3Limits, S3Location, SyncResult } from "../engine/src/s3/index.js";
import { Store } from "../engine/src/store.js";
import type { CheckedLock } from "../engine/src/inspect/index.js";

export interface S3SourceOptions {
  /** Where mirrors are kept (default: the user's cache folder, see defaultS3CacheRoot) */
  cacheRoot?: string;
  /** Told of every object fetched while loading */
  onProgress?: (progress: LoadProgress) => void;
  /** Each request's deadlines and attempts (default: DEFAULT_S3_LIMITS) */
  limits?: S3Limits;
}

/** A load in progress: which store, and what has been fetched of what is to fetch. */
export interface LoadProgress extends FetchProgress {
  url: string;
}

export class S3Source {
  /** The mirror may lack the history behind the current period (the open synced that alone); false once a whole sync is in */
  historyPending = false;

  private constructor(
    readonly location: S3Location,
    readonly url: string,
    readonly mirror: S3Mirror,
    private client: S3Client,
    private onProgress?: (progress: LoadProgress) => void,
  ) {}

  /** Parse the address and bring the mirror's current period up to date (the first open fetches all of it not already cached; the history follows). */
  static async open(address: string, options: S3SourceOptions = {}): Promise<S3Source> {
    const location = parseS3Url(address);
    const client = createS3Client(location, options.limits);
    const source = new S3Source(location, formatS3Url(location), new S3Mirror(location, client, options.cacheRoot), client, options.onProgress);
    try {
      source.historyPending = !(await source.mirror.sync(source.tell, "current")).whole;
    } catch (err) {
      await source.close();
      throw err;
    }
    return source;
  }

  /** The local folder the inspector opens */
  get dir(): string {
    return this.mirror.dir;
  }

  private readonly tell = (p: FetchProgress) => this.onProgress?.({ url: this.url, ...p });

  /** List the bucket prefix and fetch what is new since the last sync, the history included; each object told to `onFetched` (else to the open's progress). */
  async sync(onFetched?: (progress: FetchProgress) => void): Promise<SyncResult> {
    const result = await this.mirror.sync(onFetched ?? this.tell);
    this.historyPending = !result.whole;
    return result;
  }

  /** The store's lock objects and their holders, read now (two GETs; the mirror does not copy locks). */
  locks(): Promise<CheckedLock[]> {
    return readS3Locks(new S3Objects(this.client, this.location));
  }

  /**
   * The store as an agent writing through opslog-s3's backend (a batch
   * object per write, compaction under its conditional-write lock). Loaded
   * only here: read-only sessions never load the writing code.
   */
  async openAgentStore(agentId: string): Promise<Store<Record<string, unknown>>> {
    const { S3Backend } = await import("@backloghq/opslog-s3");
    const store = new Store<Record<string, unknown>>();
    // The backend borrows this source's client (it destroys only a client it made), so closing the store leaves the mirror's reads working.
    const backend = new S3Backend({ bucket: this.location.bucket, prefix: this.location.prefix, client: this.client });
    try {
      // Never compact behind the user's back: only the Compact action does.
      await store.open(this.url, { checkpointOnClose: false, checkpointThreshold: Number.POSITIVE_INFINITY, backend, agentId });
    } catch (err) {
      throw explainS3Error(err, this.location, undefined, limitsOf(this.client));
    }
    return store;
  }

  async close(): Promise<void> {
    this.client.destroy();
    await this.mirror.release();
  }
}
