/**
 * The inspector: a strictly read-only view of one store directory. It never
 * takes a lock and never writes a byte; it answers what the Store API cannot
 * (timeline, lanes, history chain, replay, conflicts, lost writes), in pages.
 * It holds the index (built by build.ts), answers the registry's queries over
 * it (queries.ts), and keeps up with the disk (live.ts): new ops, or a
 * rebuild, drop every cache at once.
 */
import { stat } from "node:fs/promises";
import { OpslogError } from "../errors.js";
import type { InspectorApi, QueryOptions } from "./api.js";
import { buildHistory } from "./build.js";
import { QueryContext, cancelled } from "./context.js";
import type { ParallelMode } from "./history.js";
import { LiveTail } from "./live.js";
import { queries, queryNames } from "./queries.js";
import type { QueryName } from "./queries.js";
import type { RefreshResult } from "./types.js";
import type { OnBuildProgress } from "./progress.js";

export interface InspectOptions {
  /**
   * Read and parse the WALs in a worker thread while this one indexes:
   * "auto" (the default) does so for WALs big enough to repay starting it.
   */
  parallel?: ParallelMode;
}

/** Open the inspector of `dir`; `onProgress` hears how far the index build has come. */
export async function openInspector(dir: string, options: InspectOptions = {}, onProgress?: OnBuildProgress): Promise<InspectorApi> {
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new OpslogError("not-a-store", `${dir} does not exist or is not a folder. Choose the folder that contains manifest.json.`, { file: dir });
  const parallel = options.parallel ?? "auto";
  const h = await buildHistory(dir, parallel, onProgress);
  const inspector = new Inspector(new QueryContext(dir, h), parallel, await LiveTail.start(dir, h));
  // One method per query of the registry; the cast is where the mapped type (api.ts) meets the names.
  const calls = Object.fromEntries(queryNames.map((name) => [name, (arg: unknown, options?: QueryOptions) => inspector.query(name, arg, options)]));
  return Object.assign(calls, { dir, refresh: () => inspector.refresh(), close: () => inspector.close() }) as unknown as InspectorApi;
}

/** The index, its live tail, and how to refresh them. */
class Inspector {
  constructor(
    private readonly ctx: QueryContext,
    private readonly parallel: ParallelMode,
    private live: LiveTail,
  ) {}

  /** Run a query; a signal already aborted stops it before it starts, one aborted later at its next chunk. */
  async query(name: QueryName, arg: unknown, options?: QueryOptions): Promise<unknown> {
    if (options?.signal?.aborted) throw cancelled();
    return (queries[name] as (ctx: QueryContext, arg: unknown, signal?: AbortSignal) => Promise<unknown>)(this.ctx, arg, options?.signal);
  }

  /** Catch up with the disk (see live.ts): tail the live WALs, or build again; either way, every cache of what changed goes. */
  async refresh(): Promise<RefreshResult> {
    const polled = await this.live.poll(this.ctx.h);
    if (polled.rebuild) return this.rebuild();
    if (polled.newOps > 0) this.ctx.dropCaches();
    return { newOps: polled.newOps, rebuilt: false, ...(polled.summaryChanged ? { summaryChanged: true } : {}) };
  }

  private async rebuild(): Promise<RefreshResult> {
    const before = this.ctx.total;
    const h = await buildHistory(this.ctx.dir, this.parallel);
    const live = await LiveTail.start(this.ctx.dir, h);
    this.ctx.h.reader.close();
    this.ctx.h = h;
    this.live = live;
    this.ctx.dropCaches();
    return { newOps: Math.max(0, this.ctx.total - before), rebuilt: true };
  }

  async close(): Promise<void> {
    this.ctx.close();
  }
}
