/**
 * What every inspector query reads from, through verbs rather than fields:
 * the store's index (built by build.ts, replaced whole on a rebuild; its
 * shape may change behind these verbs), the caches the queries keep for the
 * page being scrolled (query-caches.ts), and how to read op values back from
 * the WALs (a few sequential reads per page, through OpReader). Query files
 * never read the index's fields themselves (lint refuses `ctx.h`).
 */
import { OpslogError } from "../errors.js";
import { readVersion } from "./conflicts.js";
import type { ReadVersion } from "./conflicts.js";
import { archiveEntry, eventsOf, labelArchived } from "./events.js";
import type { StoreEvents } from "./events.js";
import { RecordFilter } from "./filtered-records.js";
import type { ConflictRecord, StoreIndex, Lane } from "./store-index.js";
import { isLost, lostWriteRow } from "./lost-writes.js";
import type { OpTable } from "./optable.js";
import { QueryCaches } from "./query-caches.js";
import { ABSENT, SNAPSHOT_ABSENT } from "./versions.js";
import type { VersionList } from "./versions.js";
import type { ScannedOp } from "./walscan.js";
import type { Manifest } from "../types.js";
import type { ChainLink, DiffPage, DiffRow, Doc, HistoryEntry, LostWrite, Page, PageRequest, RecordRow, StoreKind, StoreWarning, TimelineOp } from "./types.js";

/** What a query may read of one op in the index, by its entry: where it is, who wrote it, when, what kind; never its data (readOps reads that from its WAL). */
export type OpView = Pick<OpTable, "fileIdx" | "line" | "offset" | "agent" | "rec" | "isDelete" | "encoding" | "op" | "pos" | "epoch" | "clock" | "tsMs" | "ts">;

/** A snapshot file, with what the index read of it (null: not read, or not said) */
export interface SnapshotFile {
  path: string;
  bytes: number;
  timestamp: string | null;
  records: number | null;
  format: "json" | "jsonl" | null;
}

export class QueryContext {
  readonly caches = new QueryCaches();
  /** Filters over the columns of named fields (filtered-records.ts); kept across live tails, new with each build */
  private filter: RecordFilter | null = null;

  constructor(
    readonly dir: string,
    /** The index; replaced by a rebuild (see Inspector.refresh). Only the inspector reads it: queries use the verbs below */
    public h: StoreIndex,
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

  // ---- the store as the index found it

  get manifest(): Manifest {
    return this.h.scan.manifest;
  }

  get kind(): StoreKind {
    return this.h.kind;
  }

  /** What the build found wrong or worth saying (torn lines, gaps, lost writes...) */
  get warnings(): StoreWarning[] {
    return this.h.warnings;
  }

  /** The snapshot files on disk, in chain order, with what the index read of each */
  snapshotFiles(): SnapshotFile[] {
    return this.h.scan.snapshots.map((s) => {
      const known = this.h.snapshotInfo.get(s.path);
      return { path: s.path, bytes: s.bytes, timestamp: known?.timestamp ?? null, records: known?.records ?? null, format: known?.format ?? null };
    });
  }

  /** The archive segments on disk, and whether the manifest names each */
  archiveFiles(): { path: string; named: boolean }[] {
    const named = new Set(this.h.scan.manifest.archiveSegments);
    return this.h.scan.archives.map((a) => ({ path: a.path, named: named.has(a.path) }));
  }

  /** One lane per WAL file, as the index found them */
  get lanes(): Lane[] {
    return this.h.lanes;
  }

  /** The history chain: one link per snapshot, with the positions it spans */
  get links(): ChainLink[] {
    return this.h.links;
  }

  /** The store's archives and compactions, read once per index */
  events(): Promise<StoreEvents> {
    return eventsOf(this.dir, this.h);
  }

  // ---- ops: the timeline and the op index

  get total(): number {
    return this.h.timeline.length;
  }

  /** The op index entry at timeline position p (0..total-1) */
  entryAt(p: number): number {
    return this.h.timeline.get(p);
  }

  /** The op index, read by entry (take it once, outside a loop) */
  get ops(): OpView {
    return this.h.table;
  }

  /** The timeline position of an op (-1: not on the timeline, a lost write) */
  positionOf(e: number): number {
    return this.h.table.pos(e);
  }

  file(e: number): string {
    return this.h.scan.wals[this.h.table.fileIdx(e)].path;
  }

  idOf(e: number): string {
    return this.h.versions.ids.at(this.h.table.rec(e));
  }

  agentOf(e: number): string | null {
    return this.h.agents.names[this.h.table.agent(e)];
  }

  /** How many agent numbers there are (0..agentCount-1; 0 is a single writer's null) */
  get agentCount(): number {
    return this.h.agents.names.length;
  }

  /** The name of agent number n (null: a single writer) */
  agentName(n: number): string | null {
    return this.h.agents.names[n];
  }

  /** The index's number for an agent (-1: no such agent) */
  agentNumber(name: string): number {
    return this.h.agents.names.indexOf(name);
  }

  /** The ops of these entries, read from their WALs together */
  readOps(entries: number[]): ReturnType<StoreIndex["reader"]["many"]> {
    return this.h.reader.many(entries);
  }

  // ---- records and their versions

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
    return this.h.versions.ids.at(rec);
  }

  /** Every record's number, in id order */
  recordsInIdOrder(): Int32Array {
    return this.h.versions.sortedRecs();
  }

  /** How many records are alive at position `at` */
  aliveAt(at: number): number {
    return this.h.alive.get(at);
  }

  /** How many records are alive at `at`, or null when that state is unknown (it depends on a missing snapshot) */
  countAt(at: number): number | null {
    const unknown = this.h.unknownFrom;
    return unknown && at >= unknown.k ? null : this.h.alive.get(at);
  }

  /** Whether record `rec` is alive at `at` */
  isAlive(rec: number, at: number): boolean {
    return at === this.total ? this.h.head.has(rec) : this.holds(this.stateAt(rec, at));
  }

  /** Where record `rec`'s value at `at` comes from: an op (>= 0), a snapshot row, or absent (a version source) */
  stateAt(rec: number, at: number): number {
    return this.h.versions.srcAt(rec, at);
  }

  /** Every version of one record: at which positions it changed, and the source of each value */
  versionsOf(rec: number): VersionList {
    return this.h.versions.list(rec);
  }

  /** The records a snapshot replaced between states lo (excluded) and hi (included) */
  snapshotChanges(lo: number, hi: number): number[] {
    const { jumps, versions } = this.h;
    return jumps.filter((jump) => jump.k > lo && jump.k <= hi).flatMap((jump) => jump.ids.map((id) => versions.intern(id)));
  }

  /** The current values of these records, from memory */
  valuesNow(recs: ArrayLike<number>): ReturnType<StoreIndex["head"]["getMany"]> {
    return this.h.head.getMany(recs as number[]);
  }

  /** Every record alive now with its value, from memory */
  recordsNow(): ReturnType<StoreIndex["head"]["entries"]> {
    return this.h.head.entries();
  }

  /** The values of these records at `at` (now: from memory; before: read back together) */
  valuesAt(recs: number[], at: number): (Doc | null | undefined)[] {
    return at === this.total ? this.valuesNow(recs) : this.values(recs.map((rec) => this.stateAt(rec, at)));
  }

  // ---- what the index found: conflicts, lost writes, archives

  /** Every conflict: a write that overrode one its writer had not seen */
  get conflicts(): ConflictRecord[] {
    return this.h.conflicts;
  }

  /** The version of the record that a conflict's winner had read (conflicts.ts) */
  winnerRead(c: ConflictRecord, winner: ScannedOp): ReadVersion | null {
    return readVersion(this.h, c, winner, (srcs) => this.values(srcs));
  }

  /** The lost writes' entries, in the order they are listed */
  get lostWrites(): number[] {
    return this.h.lost;
  }

  /** Whether the op at entry e is lost (no reader replays it) */
  isLost(e: number): boolean {
    return isLost(this.h, e);
  }

  /** A lost op as the views show it: why it is lost, and whether the store holds its value anyway */
  lostWrite(e: number, op: ScannedOp): LostWrite {
    return lostWriteRow(this.h, e, op, this.file(e));
  }

  /** Relabel as archived the removed rows an archive removed (as of state b), and count the kinds */
  labelArchived(events: StoreEvents, refs: { rec: number; kind: DiffRow["kind"]; segment?: string }[], b: number): DiffPage["counts"] {
    return labelArchived(events, this.h, refs, b);
  }

  /** The history entry of the archive that removed rec at its version i, if an archive did */
  archiveEntry(events: StoreEvents, rec: number, i: number, before: Doc | null): HistoryEntry | null {
    return archiveEntry(events, this.h, rec, i, before);
  }

  // ---- values

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
    return src !== ABSENT && src !== SNAPSHOT_ABSENT; // every other snapshot source is a value (versions.snapshotSrc): not read to tell
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

  /** One record's value at `at` (null: absent, or no such record) */
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
