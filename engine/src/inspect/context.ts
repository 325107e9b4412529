/**
 * What every inspector query reads from: the store's history index (built by
 * build.ts, replaced whole on a rebuild), the caches the queries keep for the
 * page being scrolled, and how to read op values back from the WALs (a few
 * sequential reads per page, through OpReader). The caches live in one place
 * so that a rebuild or new ops drop all of them at once: none can be missed.
 */
import { OpslogError } from "../errors.js";
import { eventsOf } from "./events.js";
import type { StoreEvents } from "./events.js";
import { RecordFilter } from "./filtered-records.js";
import type { History } from "./history.js";
import { ABSENT } from "./versions.js";
import type { Doc, Page, PageRequest, RecordRow, TimelineOp } from "./types.js";

/** Named caches of derived answers, each valid for one key (the request and the index's size it was computed for). */
export class QueryCaches {
  private readonly slots = new Map<string, { key: string; value: unknown }>();
  /** Counts clears: a value computed across one (a query that yielded while the index changed) is not kept */
  private generation = 0;

  /** The value cached under `name` for `key`, or undefined. */
  get<T>(name: string, key: string): T | undefined {
    const slot = this.slots.get(name);
    return slot?.key === key ? (slot.value as T) : undefined;
  }

  /** The last value cached under `name`, whatever its key (to reuse parts of it). */
  last<T>(name: string): T | undefined {
    return this.slots.get(name)?.value as T | undefined;
  }

  set<T>(name: string, key: string, value: T): T {
    this.slots.set(name, { key, value });
    return value;
  }

  /** The cached value, or compute and keep it. */
  cached<T>(name: string, key: string, compute: () => T): T {
    const slot = this.slots.get(name);
    if (slot?.key === key) return slot.value as T;
    return this.set(name, key, compute());
  }

  /** The cached value, or compute it (a query that yields between chunks) and keep it unless the caches were cleared meanwhile. */
  async cachedAsync<T>(name: string, key: string, compute: () => Promise<T>): Promise<T> {
    const slot = this.slots.get(name);
    if (slot?.key === key) return slot.value as T;
    const generation = this.generation;
    const value = await compute();
    if (generation === this.generation) this.set(name, key, value);
    return value;
  }

  clear(): void {
    this.slots.clear();
    this.generation++;
  }
}

/** Rows a long query handles between two looks at whether its call was cancelled. */
export const CHECK_EVERY = 4096;

/** A call's cancellation, said the same way wherever it is noticed. */
export function cancelled(): OpslogError {
  return new OpslogError("cancelled", "This request was superseded by a newer one, so it was stopped.");
}

/**
 * Between two chunks of a long query: give other messages a turn (a cancel
 * may be waiting behind this query), then stop if the call was cancelled.
 * Without a signal nothing can cancel the call, and nothing is awaited.
 */
export async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return;
  await new Promise((resolve) => setImmediate(resolve));
  if (signal.aborted) throw cancelled();
}

/** The items `keep` accepts, a chunk at a time, stopping if the call is cancelled. */
export async function filterInChunks<T>(items: T[], keep: (item: T) => boolean, signal: AbortSignal | undefined): Promise<T[]> {
  if (!signal) return items.filter(keep);
  const out: T[] = [];
  for (let i = 0; i < items.length; i += CHECK_EVERY) {
    if (i > 0) await checkpoint(signal);
    const end = Math.min(items.length, i + CHECK_EVERY);
    for (let j = i; j < end; j++) if (keep(items[j])) out.push(items[j]);
  }
  return out;
}

export class QueryContext {
  readonly caches = new QueryCaches();
  /** Filters over the columns of named fields (filtered-records.ts); kept across live tails, new with each build */
  private filter: RecordFilter | null = null;

  constructor(
    readonly dir: string,
    /** Replaced by a rebuild (see Inspector.refresh) */
    public h: History,
  ) {}

  /** Forget everything read or derived: what is asked next is read from the history as it is now. */
  dropCaches(): void {
    this.caches.clear();
    this.filter?.forgetAnswer();
    this.h.reader.close(); // its parsed ops, too
  }

  /** The filter over columns for the history as it is now; a new build gets a new one. */
  recordFilter(): RecordFilter {
    if (this.filter?.h !== this.h) this.filter = new RecordFilter(this.h);
    return this.filter;
  }

  /** Forget everything (the inspector closes). */
  close(): void {
    this.filter = null;
    this.dropCaches();
  }

  get total(): number {
    return this.h.timeline.length;
  }

  file(e: number): string {
    return this.h.scan.wals[this.h.table.fileIdx(e)].path;
  }

  idOf(e: number): string {
    return this.h.versions.ids[this.h.table.rec(e)];
  }

  agentOf(e: number): string | null {
    return this.h.agents.names[this.h.table.agent(e)];
  }

  // ---- the verbs the queries read the index through (its shape may change behind them)

  /** How many records are alive at position `at` */
  aliveAt(at: number): number {
    return this.h.alive.get(at);
  }

  /** Where record `rec`'s value at `at` comes from: an op (>= 0), a snapshot row, or absent (a version source) */
  stateAt(rec: number, at: number): number {
    return this.h.versions.srcAt(rec, at);
  }

  /** Every record's number, in id order */
  recordsInIdOrder(): ReturnType<History["versions"]["sortedRecs"]> {
    return this.h.versions.sortedRecs();
  }

  /** How many records the store has ever held (numbers run 0..recordCount-1) */
  get recordCount(): number {
    return this.h.versions.size;
  }

  /** The number of the record with this id, or undefined if it never existed */
  recordOf(id: string): number | undefined {
    return this.h.versions.recOf(id);
  }

  /** The id of record number `rec` */
  idOfRecord(rec: number): string {
    return this.h.versions.ids[rec];
  }

  /** Every version of one record: at which positions it changed, and the source of each value */
  versionsOf(rec: number): ReturnType<History["versions"]["list"]> {
    return this.h.versions.list(rec);
  }

  /** The current values of these records, from memory */
  valuesNow(recs: ArrayLike<number>): ReturnType<History["head"]["getMany"]> {
    return this.h.head.getMany(recs as number[]);
  }

  /** Every record alive now with its value, from memory */
  recordsNow(): ReturnType<History["head"]["entries"]> {
    return this.h.head.entries();
  }

  /** The timeline position of an op (-1: not on the timeline, a lost write) */
  positionOf(e: number): number {
    return this.h.table.pos(e);
  }

  /** One lane per WAL file, as the index found them */
  get lanes(): History["lanes"] {
    return this.h.lanes;
  }

  /** The lost writes' ops, in the order they are listed */
  get lostWrites(): History["lost"] {
    return this.h.lost;
  }

  /** Every conflict: a write that overrode one its writer had not seen */
  get conflicts(): History["conflicts"] {
    return this.h.conflicts;
  }

  /** The history chain: one link per snapshot, with the positions it spans */
  get links(): History["links"] {
    return this.h.links;
  }

  /** The store's archives and compactions, read once per index */
  events(): Promise<StoreEvents> {
    return eventsOf(this.dir, this.h);
  }

  /** The index's number for an agent (-1: no such agent) */
  agentNumber(name: string): number {
    return this.h.agents.names.indexOf(name);
  }

  /** The ops of these timeline entries, read from their WALs together */
  readOps(entries: number[]): ReturnType<History["reader"]["many"]> {
    return this.h.reader.many(entries);
  }

  /** The archive segments on disk, and whether the manifest names each */
  archiveFiles(): { path: string; named: boolean }[] {
    const named = new Set(this.h.scan.manifest.archiveSegments);
    return this.h.scan.archives.map((a) => ({ path: a.path, named: named.has(a.path) }));
  }

  /** A position in 0..total, or now when absent; anything else is a clear error, and so is a state that cannot be known (its snapshot is missing). */
  checkAt(at: number | undefined): number {
    if (at === undefined) at = this.total;
    else if (!Number.isInteger(at) || at < 0 || at > this.total) throw new OpslogError("bad-argument", `Position ${at} is outside the timeline (0..${this.total}).`);
    const unknown = this.h.unknownFrom;
    if (unknown && at >= unknown.k) {
      const known = unknown.k > 0 ? ` States up to position ${unknown.k - 1} are known.` : "";
      throw new OpslogError("missing-file", `The state at position ${at} is unknown: it starts from ${unknown.snapshot}, which manifest.json names as the current snapshot but which is missing.${known} Restore ${unknown.snapshot} from a backup.`, { file: unknown.snapshot });
    }
    return at;
  }

  /** Whether a version source holds a record (not absent, not a delete). */
  holds(src: number): boolean {
    if (src >= 0) return !this.h.table.isDelete(src);
    return src !== ABSENT && this.h.versions.snapshotValue(src) !== null;
  }

  /** The values of version sources, the ops among them read from disk together. */
  values(srcs: number[]): (Doc | null)[] {
    const ops = this.h.reader.many(srcs.filter((s) => s >= 0));
    return srcs.map((s) => (s >= 0 ? ops.get(s)!.data : s === ABSENT ? null : this.h.versions.snapshotValue(s)));
  }

  /** The values of srcs, taking those a kept state already holds from it. */
  valuesReusing(srcs: number[], kept: { rows: RecordRow[]; srcs: number[] } | undefined): (Doc | null)[] {
    if (!kept) return this.values(srcs);
    const held = new Map<number, Doc>();
    kept.srcs.forEach((src, i) => held.set(src, kept.rows[i].data));
    const missing = srcs.filter((src) => !held.has(src));
    const read = this.values(missing);
    missing.forEach((src, i) => held.set(src, read[i]!));
    return srcs.map((src) => held.get(src) ?? null);
  }

  valueAt(rec: number | undefined, at: number): Doc | null {
    if (rec === undefined) return null;
    if (at === this.total) return this.h.head.get(rec) ?? null;
    return this.values([this.stateAt(rec, at)])[0];
  }

  /** Timeline ops at these positions, each with its data and the record's value before it. */
  timelineOps(positions: number[]): TimelineOp[] {
    const { table, timeline, versions } = this.h;
    const entries = positions.map((p) => timeline.get(p));
    const prevSrcs = positions.map((p, i) => versions.srcAt(table.rec(entries[i]), p));
    const ops = this.h.reader.many(entries);
    const prevs = this.values(prevSrcs);
    return positions.map((pos, i) => {
      const e = entries[i];
      const op = ops.get(e)!;
      return { pos, epoch: table.epoch(e), file: this.file(e), line: op.line, offset: op.offset, ts: op.ts, agent: op.agent, clock: op.clock, op: op.op, id: op.id, data: op.data, prev: prevs[i], encoding: op.encoding, ...(this.h.dropped.has(e) ? { lost: true as const } : {}) };
    });
  }
}

/** One page of rows already in memory. */
export function page<T>(rows: T[], req: PageRequest): Page<T> {
  return { rows: rows.slice(req.offset, req.offset + req.limit), total: rows.length, offset: req.offset, limit: req.limit };
}
