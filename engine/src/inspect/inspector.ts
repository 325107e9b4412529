/**
 * The inspector: a strictly read-only view of one store directory. It never
 * takes a lock and never writes a byte; it answers what the Store API cannot
 * (timeline, lanes, history chain, replay, conflicts, lost writes), in pages.
 * It holds the index (built by build.ts), answers the registry's queries over
 * it (queries.ts), and keeps up with the disk (live.ts): new ops, or a
 * rebuild, drop every cache at once. With an index cache (index-cache.ts),
 * an open loads the index kept by the last one when the store still holds
 * what it was built from, and keeps each new build for the next.
 */
import { stat } from "node:fs/promises";
import { OpslogError } from "../errors.js";
import type { InspectorApi, QueryOptions } from "./api.js";
import { buildHistory } from "./build.js";
import { cancelled } from "./checkpoint.js";
import { QueryContext } from "./context.js";
import type { ParallelMode } from "./store-index.js";
import type { StoreIndex } from "./store-index.js";
import { indexCacheWrites, loadCachedHistory, noteQuery, prefetchCachedColumns, releaseCachedHistory, saveHistoryLater } from "./index-cache.js";
import type { IndexCacheEvent } from "./index-cache.js";
import type { IndexCacheOptions } from "./index-cache-files.js";
import { LiveTail } from "./live.js";
import { queries, queryNames } from "./queries.js";
import type { QueryName } from "./queries.js";
import type { RefreshResult } from "./types.js";
import type { OnBuildProgress } from "./progress.js";
import type { WalCuts } from "./wal-segments.js";

export interface InspectOptions {
  /**
   * Read and parse the WALs in a worker thread while this one indexes:
   * "auto" (the default) does so for WALs big enough to repay starting it.
   */
  parallel?: ParallelMode;
  /** Where to keep the built index between opens (index-cache.ts); none by default */
  indexCache?: IndexCacheOptions | null;
  /** Told what the open did with the index cache (tests, the bench; not across threads) */
  onIndexCache?: (event: IndexCacheEvent) => void;
  /** Tests only: where the parallel scan cuts each WAL between its workers (wal-segments.ts) */
  walCuts?: WalCuts;
}

/** Open the inspector of `dir`; `onProgress` hears how far the index build has come. */
export async function openInspector(dir: string, options: InspectOptions = {}, onProgress?: OnBuildProgress): Promise<InspectorApi> {
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new OpslogError("not-a-store", `${dir} does not exist or is not a folder. Choose the folder that contains manifest.json.`, { file: dir });
  const parallel = options.parallel ?? "auto";
  const { h, live } = await openHistory(dir, parallel, options, onProgress);
  const inspector = new Inspector(new QueryContext(dir, h), parallel, live, options);
  inspector.prepareFilters();
  // One method per query of the registry; the cast is where the mapped type (api.ts) meets the names.
  const calls = Object.fromEntries(queryNames.map((name) => [name, (arg: unknown, options?: QueryOptions) => inspector.query(name, arg, options)]));
  return Object.assign(calls, { dir, refresh: () => inspector.refresh(), close: () => inspector.close() }) as unknown as InspectorApi;
}

/**
 * The index of `dir` and its live tail: the cached index when it still holds
 * (a WAL that only grew is tailed to its end), else a build (kept in the cache
 * for the next open, in the background).
 */
async function openHistory(dir: string, parallel: ParallelMode, options: InspectOptions, onProgress?: OnBuildProgress): Promise<{ h: StoreIndex; live: LiveTail }> {
  const cache = options.indexCache ?? null;
  const tell = options.onIndexCache ?? (() => {});
  if (cache) {
    const loaded = await loadCachedHistory(dir, cache).catch((err: Error) => ({ miss: `the cache could not be read (${err.message})` }));
    if ("h" in loaded) {
      const live = await LiveTail.start(dir, loaded.h);
      const polled = await live.poll(loaded.h);
      if (!polled.rebuild) {
        const grown = loaded.grown || polled.newOps > 0;
        tell({ kind: "hit", grown });
        if (grown) saveHistoryLater(dir, loaded.h, cache, options.onIndexCache);
        prefetchCachedColumns(loaded.h);
        return { h: loaded.h, live };
      }
      loaded.h.reader.close();
      releaseCachedHistory(loaded.h);
      tell({ kind: "miss", reason: "the WALs changed other than by appends" });
    } else tell({ kind: "miss", reason: loaded.miss });
  }
  const h = await buildHistory(dir, parallel, onProgress, options.walCuts);
  const live = await LiveTail.start(dir, h);
  if (cache) saveHistoryLater(dir, h, cache, options.onIndexCache);
  return { h, live };
}

/** How long the filters' preparation waits for a first query before it begins anyway (ms). */
const PREPARE_WAIT_MS = 1_000;

/** The index, its live tail, and how to refresh them. */
class Inspector {
  private closed = false;
  /** Lets the filters' preparation begin: called when the first records page after an open or rebuild has been answered */
  private answered: (() => void) | null = null;

  constructor(
    private readonly ctx: QueryContext,
    private readonly parallel: ParallelMode,
    private live: LiveTail,
    private readonly options: InspectOptions,
  ) {}

  /** Run a query; a signal already aborted stops it before it starts, one aborted later at its next chunk. */
  async query(name: QueryName, arg: unknown, options?: QueryOptions): Promise<unknown> {
    if (options?.signal?.aborted) throw cancelled();
    noteQuery();
    try {
      return await (queries[name] as (ctx: QueryContext, arg: unknown, signal?: AbortSignal) => Promise<unknown>)(this.ctx, arg, options?.signal);
    } finally {
      if (name === "records") this.answered?.();
    }
  }

  /** Catch up with the disk (see live.ts): tail the live WALs, or build again; either way, every cache of what changed goes. */
  async refresh(): Promise<RefreshResult> {
    const polled = await this.live.poll(this.ctx.h);
    if (polled.rebuild) return this.rebuild();
    if (polled.newOps > 0) this.ctx.dropCaches();
    return { newOps: polled.newOps, rebuilt: false, ...(polled.summaryChanged ? { summaryChanged: true } : {}) };
  }

  /**
   * Make ahead what the first filters read (RecordFilter.prepare), in turns
   * of the event loop between queries; given up when the index is replaced
   * or the inspector closes. It begins once the first records page (the
   * UI's first rows) has been answered, or after PREPARE_WAIT_MS without
   * one: the first rows never wait behind it.
   */
  prepareFilters(): void {
    const filter = this.ctx.recordFilter();
    let timer: NodeJS.Timeout | undefined;
    const begin = new Promise<void>((done) => {
      this.answered = done;
      timer = setTimeout(done, PREPARE_WAIT_MS);
      timer.unref();
    }).finally(() => {
      clearTimeout(timer);
      this.answered = null;
    });
    const turn = async (): Promise<void> => {
      await new Promise<void>((done) => setImmediate(done));
      if (this.closed || this.ctx.h !== filter.h) throw cancelled();
    };
    begin.then(() => filter.prepare(turn)).catch(() => {}); // given up, or failed: a filter then gathers what it needs itself
  }

  private async rebuild(): Promise<RefreshResult> {
    const before = this.ctx.total;
    const h = await buildHistory(this.ctx.dir, this.parallel, undefined, this.options.walCuts);
    const live = await LiveTail.start(this.ctx.dir, h);
    if (this.options.indexCache) saveHistoryLater(this.ctx.dir, h, this.options.indexCache, this.options.onIndexCache);
    this.ctx.h.reader.close();
    releaseCachedHistory(this.ctx.h);
    this.ctx.h = h;
    this.live = live;
    this.ctx.dropCaches();
    this.prepareFilters();
    return { newOps: Math.max(0, this.ctx.total - before), rebuilt: true };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.ctx.close();
    if (this.options.indexCache) await indexCacheWrites(); // a write under way lands (a thread is ended after its close)
    releaseCachedHistory(this.ctx.h); // after the writes: one of them may still read the index's columns
  }
}
