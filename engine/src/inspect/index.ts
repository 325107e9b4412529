/**
 * The inspector: a strictly read-only view of one store directory. It never
 * takes a lock and never writes a byte; it answers what the Store API cannot
 * (timeline, lanes, history chain, replay, conflicts, lost writes), in pages.
 * The index keeps where every op is, not its data: what a page shows is read
 * back from the WALs by offset (OpReader), a few sequential reads per page.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { readArchiveSegmentFile } from "../archive.js";
import { OpslogError } from "../errors.js";
import { buildHistory } from "./history.js";
import type { History, ParallelMode } from "./history.js";
import { explainConflict, jsonEqual, readVersion } from "./conflicts.js";
import { archiveEntry, eventsOf, labelArchived, placeEvents } from "./events.js";
import { compareValues, compileFilter, mentionsFields, valueAtPath } from "./query.js";
import { RecordFilter } from "./filtered-records.js";
import { isLost, lostWriteRow } from "./lost-writes.js";
import { LiveTail } from "./live.js";
import { readLocks } from "./scan.js";
import { prevOf } from "./walscan.js";
import type { ScannedOp } from "./walscan.js";
import { ABSENT, compareIds } from "./versions.js";
import { storeWarnings } from "./warnings.js";
import type {
  AgentLane,
  ArchiveSegmentInfo,
  Column,
  Conflict,
  ConflictsRequest,
  DiffPage,
  DiffRow,
  Doc,
  EventsRequest,
  HistoryEntry,
  InspectorApi,
  LaneOp,
  LostWrite,
  OpRef,
  OpsRequest,
  Page,
  PageRequest,
  Query,
  RecordRow,
  RecordsRequest,
  RefreshResult,
  SnapshotInfo,
  StoreSummary,
  TimelineEvent,
  TimelineInfo,
  TimelineOp,
} from "./types.js";

export type * from "./types.js";

export interface InspectOptions {
  /**
   * Read and parse the WALs in a worker thread while this one indexes:
   * "auto" (the default) does so for WALs big enough to repay starting it.
   */
  parallel?: ParallelMode;
}

export async function openInspector(dir: string, options: InspectOptions = {}): Promise<InspectorApi> {
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new OpslogError("not-a-store", `${dir} does not exist or is not a folder. Choose the folder that contains manifest.json.`, { file: dir });
  const parallel = options.parallel ?? "auto";
  const h = await buildHistory(dir, parallel);
  return new Inspector(dir, h, parallel, await LiveTail.start(dir, h));
}

/** An archive segment as read: its records, or why it could not be read. */
interface ArchiveEntry {
  key: string;
  records: RecordRow[];
  error: string | null;
  info: ArchiveSegmentInfo;
}

function page<T>(rows: T[], req: PageRequest): Page<T> {
  return { rows: rows.slice(req.offset, req.offset + req.limit), total: rows.length, offset: req.offset, limit: req.limit };
}

/** A diff row before its values are read: which version each side has. */
interface DiffRef {
  rec: number;
  kind: DiffRow["kind"];
  before: number;
  after: number;
  /** The archive segment, when an archive removed it */
  segment?: string;
}

/** Timeline positions scanned per batch when a filter needs the ops' data. */
const SCAN_BATCH = 4096;
/** Early pages of a seek walk the ids from the start; deeper ones use the position's alive ids, kept for scrolling. */
const DIRECT_WALK_LIMIT = 2000;

class Inspector implements InspectorApi {
  private recordsCache: { key: string; rows: RecordRow[] } | null = null;
  private aliveCache: { key: string; recs: Int32Array } | null = null;
  private opsCache: { key: string; positions: number[] } | null = null;
  /** The last past state read back: its rows, and where each row's value came from (src) */
  private stateCache: { key: string; rows: RecordRow[]; srcs: number[] } | null = null;
  private diffCache: { key: string; refs: DiffRef[]; counts: DiffPage["counts"] } | null = null;
  /** Archive segments as read, by path: keyed by the file's identity, a failure to read included */
  private archiveCache = new Map<string, ArchiveEntry>();
  /** Filters over the columns of named fields; kept across live tails, new with each build */
  private filtered: RecordFilter | null = null;

  constructor(
    readonly dir: string,
    private h: History,
    private readonly parallel: ParallelMode,
    private live: LiveTail,
  ) {
    this.recordFilter(); // its column sweep starts now, while the user looks at the first page
  }

  private get total(): number {
    return this.h.timeline.length;
  }

  private file(e: number): string {
    return this.h.scan.wals[this.h.table.fileIdx(e)].path;
  }

  private idOf(e: number): string {
    return this.h.versions.ids[this.h.table.rec(e)];
  }

  private agentOf(e: number): string | null {
    return this.h.agents.names[this.h.table.agent(e)];
  }

  /** Whether a version source holds a record (not absent, not a delete). */
  private holds(src: number): boolean {
    if (src >= 0) return !this.h.table.isDelete(src);
    return src !== ABSENT && this.h.versions.snapshotValue(src) !== null;
  }

  /** The values of version sources, the ops among them read from disk together. */
  /** The values of srcs, taking those a kept state already holds from it. */
  private valuesReusing(srcs: number[], kept: { rows: RecordRow[]; srcs: number[] } | null): (Doc | null)[] {
    if (!kept) return this.values(srcs);
    const held = new Map<number, Doc>();
    kept.srcs.forEach((src, i) => held.set(src, kept.rows[i].data));
    const missing = srcs.filter((src) => !held.has(src));
    const read = this.values(missing);
    missing.forEach((src, i) => held.set(src, read[i]!));
    return srcs.map((src) => held.get(src) ?? null);
  }

  private values(srcs: number[]): (Doc | null)[] {
    const ops = this.h.reader.many(srcs.filter((s) => s >= 0));
    return srcs.map((s) => (s >= 0 ? ops.get(s)!.data : s === ABSENT ? null : this.h.versions.snapshotValue(s)));
  }

  private valueAt(rec: number | undefined, at: number): Doc | null {
    if (rec === undefined) return null;
    if (at === this.total) return this.h.head.get(rec) ?? null;
    return this.values([this.h.versions.srcAt(rec, at)])[0];
  }

  /** Timeline ops at these positions, each with its data and the record's value before it. */
  private timelineOps(positions: number[]): TimelineOp[] {
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

  async summary(): Promise<StoreSummary> {
    const h = this.h;
    const entries = await this.archiveEntries();
    const archives = entries.map((a) => a.info);
    const lockWarnings: StoreSummary["warnings"] = [];
    const locks = await readLocks(this.dir, lockWarnings); // read now: a writer may have come or gone since the last poll
    const agents = [...new Set(h.lanes.map((l) => l.entry.agent).filter((a): a is string => a !== null))].sort();
    const live = h.links[h.links.length - 1];
    return {
      dir: this.dir,
      manifest: h.scan.manifest,
      kind: h.kind,
      counts: {
        records: h.head.size,
        activeOps: live ? live.endPos - live.startPos : 0,
        timelineOps: this.total,
        archivedRecords: archives.reduce((n, a) => n + a.records, 0),
        lostWrites: h.lost.length,
        conflicts: h.conflicts.length,
      },
      agents,
      snapshots: this.snapshotInfos(),
      lanes: await this.lanes(),
      archiveSegments: archives,
      locks,
      warnings: storeWarnings({
        built: h.warnings,
        lanes: h.lanes,
        locks: lockWarnings,
        archives: entries.flatMap((a) => (a.error === null ? [] : [{ code: "unreadable-file" as const, severity: "warning" as const, file: a.info.path, message: a.error }])),
        stats: this.statsWarnings(archives),
      }),
    };
  }

  private snapshotInfos(): SnapshotInfo[] {
    return this.h.scan.snapshots.map((s) => {
      const known = this.h.snapshotInfo.get(s.path);
      return {
        path: s.path,
        format: known?.format ?? (s.path.endsWith(".jsonl") ? "jsonl" : "json"),
        timestamp: known?.timestamp ?? null,
        records: known?.records ?? null,
        bytes: s.bytes,
        current: s.path === this.h.scan.manifest.currentSnapshot,
      };
    });
  }

  private statsWarnings(archives: ArchiveSegmentInfo[]): StoreSummary["warnings"] {
    const { stats, currentSnapshot } = this.h.scan.manifest;
    const inSnapshot = this.h.snapshotInfo.get(currentSnapshot)?.records;
    const out: StoreSummary["warnings"] = [];
    if (inSnapshot != null && inSnapshot !== stats.activeRecords) {
      out.push({ code: "stats-mismatch", severity: "info", file: "manifest.json", message: `manifest.json says the last checkpoint held ${stats.activeRecords} record(s), but ${currentSnapshot} holds ${inSnapshot}.` });
    }
    const archived = archives.filter((a) => a.named).reduce((n, a) => n + a.records, 0);
    if (archived !== stats.archivedRecords) {
      out.push({ code: "stats-mismatch", severity: "info", file: "manifest.json", message: `manifest.json counts ${stats.archivedRecords} archived record(s); the archive segments hold ${archived} (re-archiving an id counts it twice in opslog's tally).` });
    }
    return out;
  }

  async timelineInfo(): Promise<TimelineInfo> {
    const { table, timeline } = this.h;
    let min = -1;
    let max = -1;
    for (let p = 0; p < timeline.length; p++) {
      const e = timeline.get(p);
      const ms = table.tsMs(e);
      if (min === -1 || ms < table.tsMs(min)) min = e;
      if (max === -1 || ms > table.tsMs(max)) max = e;
    }
    return { total: timeline.length, links: this.h.links.map((l) => ({ ...l })), tsRange: min === -1 ? null : [table.ts(min), table.ts(max)] };
  }

  async ops(req: OpsRequest): Promise<Page<TimelineOp>> {
    const predicate = compileFilter(req.filter);
    const plain = req.agent === undefined && !req.id && !req.op && !req.from && !req.to && !predicate;
    if (plain) {
      const end = Math.min(this.total, req.offset + req.limit);
      const positions: number[] = [];
      for (let p = req.offset; p < end; p++) positions.push(p);
      return { rows: this.timelineOps(positions), total: this.total, offset: req.offset, limit: req.limit };
    }
    const positions = this.matching(req, predicate);
    return { rows: this.timelineOps(positions.slice(req.offset, req.offset + req.limit)), total: positions.length, offset: req.offset, limit: req.limit };
  }

  /** matchingPositions, kept for the last request (the one being scrolled). */
  private matching(req: EventsRequest, predicate: ((doc: unknown) => boolean) | null): number[] {
    const key = JSON.stringify([this.total, req.agent, req.id ?? null, req.op ?? null, req.from ?? null, req.to ?? null, req.filter ?? null]);
    if (this.opsCache?.key !== key) this.opsCache = { key, positions: this.matchingPositions(req, predicate) };
    return this.opsCache.positions;
  }

  async timelineEvents(req: EventsRequest = {}): Promise<TimelineEvent[]> {
    const predicate = compileFilter(req.filter);
    const plain = req.agent === undefined && !req.id && !req.op && !req.from && !req.to && !predicate;
    return placeEvents(await eventsOf(this.dir, this.h), req, plain ? null : this.matching(req, predicate));
  }

  /** Timeline positions whose op passes the request's conditions; the data is read only if the filter looks at it. */
  private matchingPositions(req: EventsRequest, predicate: ((doc: unknown) => boolean) | null): number[] {
    const { table, timeline, versions } = this.h;
    const agent = req.agent === undefined ? undefined : req.agent === null ? 0 : this.h.agents.names.indexOf(req.agent);
    const rec = req.id ? versions.recOf(req.id) : undefined;
    if (agent === -1 || (req.id && rec === undefined)) return [];
    const after = timeBound(req.from);
    const before = timeBound(req.to);
    const candidates: number[] = [];
    for (let p = 0; p < timeline.length; p++) {
      const e = timeline.get(p);
      if (agent !== undefined && table.agent(e) !== agent) continue;
      if (rec !== undefined && table.rec(e) !== rec) continue;
      if (req.op && table.op(e) !== req.op) continue;
      if (after && after.below(table, e)) continue;
      if (before && before.above(table, e)) continue;
      candidates.push(p);
    }
    if (!predicate) return candidates;
    const matched: number[] = [];
    if (!mentionsFields(req.filter!, ["data", "prev"])) {
      // Only the op's own fields are asked about: no need to read anything.
      for (const p of candidates) {
        const e = timeline.get(p);
        const light = { pos: p, epoch: table.epoch(e), file: this.file(e), line: table.line(e), offset: table.offset(e), ts: table.ts(e), agent: this.agentOf(e), clock: table.clock(e), op: table.op(e), id: this.idOf(e), encoding: table.encoding(e) };
        if (predicate(light)) matched.push(p);
      }
      return matched;
    }
    for (let b = 0; b < candidates.length; b += SCAN_BATCH) {
      const batch = candidates.slice(b, b + SCAN_BATCH);
      this.timelineOps(batch).forEach((op, i) => {
        if (predicate(op)) matched.push(batch[i]);
      });
    }
    return matched;
  }

  async op(pos: number): Promise<TimelineOp | null> {
    if (!Number.isInteger(pos) || pos < 0 || pos >= this.total) return null;
    return this.timelineOps([pos])[0];
  }

  async lanes(): Promise<AgentLane[]> {
    const { table, agents } = this.h;
    const lost = new Set(this.h.lost);
    return this.h.lanes.map((lane) => {
      let clockMin = Infinity;
      let clockMax = -Infinity;
      let first = -1;
      let last = -1;
      let lostOps = 0;
      let agent = 0;
      for (let i = 0; i < lane.entries.length; i++) {
        const e = lane.entries.get(i);
        const clock = table.clock(e);
        if (clock !== null) {
          if (clock < clockMin) clockMin = clock;
          if (clock > clockMax) clockMax = clock;
        }
        if (first === -1 || table.tsMs(e) < table.tsMs(first)) first = e;
        if (last === -1 || table.tsMs(e) > table.tsMs(last)) last = e;
        if (lost.has(e)) lostOps++;
        if (agent === 0) agent = table.agent(e);
      }
      return {
        path: lane.entry.path,
        agent: lane.entry.agent ?? agents.names[agent],
        named: lane.named,
        ops: lane.entries.length,
        bytes: lane.end,
        clockRange: clockMin === Infinity ? null : [clockMin, clockMax],
        tsRange: first === -1 ? null : [table.ts(first), table.ts(last)],
        malformedLines: lane.skipped.length,
        lostOps,
      };
    });
  }

  async laneOps(path: string, req: PageRequest): Promise<Page<LaneOp>> {
    const lane = this.h.lanes.find((l) => l.entry.path === path);
    if (!lane) throw new OpslogError("not-found", `No WAL file ${path} in this store.`);
    const { table, versions } = this.h;
    const entries: number[] = [];
    for (let i = req.offset; i < Math.min(lane.entries.length, req.offset + req.limit); i++) entries.push(lane.entries.get(i));
    const ops = this.h.reader.many(entries);
    // Replayed ops show the state before them; the others, what their writer thought it was.
    const prevSrcs = entries.map((e) => (table.pos(e) >= 0 ? versions.srcAt(table.rec(e), table.pos(e)) : ABSENT));
    const prevs = this.values(prevSrcs);
    const rows = entries.map((e, i): LaneOp => {
      const op = ops.get(e)!;
      const pos = table.pos(e);
      const prev = pos >= 0 ? prevs[i] : prevOf(op);
      return { file: path, line: op.line, offset: op.offset, ts: op.ts, agent: op.agent, clock: op.clock, op: op.op, id: op.id, data: op.data, prev, encoding: op.encoding, pos: pos >= 0 ? pos : null, epoch: pos >= 0 ? table.epoch(e) : null, lost: isLost(this.h, e) };
    });
    return { rows, total: lane.entries.length, offset: req.offset, limit: req.limit };
  }

  private checkAt(at: number | undefined): number {
    if (at === undefined) return this.total;
    if (!Number.isInteger(at) || at < 0 || at > this.total) throw new OpslogError("bad-argument", `Position ${at} is outside the timeline (0..${this.total}).`);
    return at;
  }

  /** Records alive at `at`, in id order; one position cached (the one being scrolled). */
  private aliveRecs(at: number): Int32Array {
    const key = `${at}/${this.total}/${this.h.versions.size}`;
    if (this.aliveCache?.key !== key) {
      const { versions } = this.h;
      const all = versions.sortedRecs();
      const alive = new Int32Array(this.h.alive.get(at));
      let n = 0;
      for (let i = 0; i < all.length && n < alive.length; i++) if (this.holds(versions.srcAt(all[i], at))) alive[n++] = all[i];
      this.aliveCache = { key, recs: alive.subarray(0, n) };
    }
    return this.aliveCache.recs;
  }

  /** A page of the records alive at `at`, in id order, reading only that page's values. */
  private alivePage(at: number, offset: number, limit: number): RecordRow[] {
    const { versions } = this.h;
    const recs: number[] = [];
    const srcs: number[] = [];
    if (offset < DIRECT_WALK_LIMIT) {
      let seen = 0;
      for (const rec of versions.sortedRecs()) {
        if (recs.length >= limit) break;
        const src = versions.srcAt(rec, at);
        if (!this.holds(src) || seen++ < offset) continue;
        recs.push(rec);
        srcs.push(src);
      }
    } else {
      for (const rec of this.aliveRecs(at).subarray(offset, offset + limit)) {
        recs.push(rec);
        srcs.push(versions.srcAt(rec, at));
      }
    }
    // Now: the current state is in memory. A past state: read the page's values back.
    const values = at === this.total ? this.h.head.getMany(recs) : this.values(srcs);
    return recs.map((rec, i) => ({ id: versions.ids[rec], data: values[i]! }));
  }

  /**
   * Every record alive at `at` whose id contains `idContains`, with its value.
   * A past state is read from disk once and kept while the user filters and
   * sorts at that position; moving to another position reads back only the
   * values that differ from the kept state's (a step in the Timeline reads one).
   */
  private rowsAt(at: number, idContains: string | undefined): RecordRow[] {
    const { versions } = this.h;
    const match = (id: string) => !idContains || id.includes(idContains);
    if (at === this.total) {
      const rows: RecordRow[] = [];
      for (const [rec, data] of this.h.head.entries()) if (match(versions.ids[rec])) rows.push({ id: versions.ids[rec], data });
      return rows.sort((x, y) => compareIds(x.id, y.id));
    }
    const key = `${at}/${this.total}`;
    if (this.stateCache?.key === key) return idContains ? this.stateCache.rows.filter((r) => match(r.id)) : this.stateCache.rows;
    const recs = [...this.aliveRecs(at)].filter((rec) => match(versions.ids[rec]));
    const srcs = recs.map((rec) => versions.srcAt(rec, at));
    const values = this.valuesReusing(srcs, this.stateCache);
    const rows = recs.map((rec, i) => ({ id: versions.ids[rec], data: values[i]! }));
    if (!idContains) this.stateCache = { key, rows, srcs };
    return rows;
  }

  async records(req: RecordsRequest): Promise<Page<RecordRow>> {
    const at = this.checkAt(req.at);
    if (!req.filter && !req.sort && !req.idContains) {
      return { rows: this.alivePage(at, req.offset, req.limit), total: this.h.alive.get(at), offset: req.offset, limit: req.limit };
    }
    const matching = this.recordFilter().matching({ at, filter: req.filter, sort: req.sort, idContains: req.idContains });
    if (matching) return this.recordsPage(matching, at, req);
    const predicate = compileFilter(req.filter); // first: it refuses a filter too deep for JSON.stringify
    const key = JSON.stringify([at, this.total, req.filter ?? null, req.sort ?? null, req.idContains ?? ""]);
    if (this.recordsCache?.key !== key) {
      let rows = this.rowsAt(at, req.idContains);
      if (predicate) rows = rows.filter((r) => predicate(r.data));
      if (req.sort) rows = sortRows(rows, req.sort.field, req.sort.dir);
      this.recordsCache = { key, rows };
    }
    return page(this.recordsCache.rows, req);
  }

  /** The filter over columns (filtered-records.ts), for the history as it is now. */
  private recordFilter(): RecordFilter {
    if (this.filtered?.h !== this.h) {
      this.filtered?.close();
      this.filtered = new RecordFilter(this.h, this.dir, this.parallel);
    }
    return this.filtered;
  }

  /** Resolves once the column sweep the open started is over: for benchmarks and tests (not part of InspectorApi). */
  async columnsSwept(): Promise<void> {
    await this.recordFilter().swept();
  }

  /** A page of these records (numbers, in order) as they are at `at`, reading only the page's values. */
  private recordsPage(recs: number[], at: number, req: PageRequest): Page<RecordRow> {
    const slice = recs.slice(req.offset, req.offset + req.limit);
    const values = at === this.total ? this.h.head.getMany(slice) : this.values(slice.map((rec) => this.h.versions.srcAt(rec, at)));
    return { rows: slice.map((rec, i) => ({ id: this.h.versions.ids[rec], data: values[i]! })), total: recs.length, offset: req.offset, limit: req.limit };
  }

  async record(id: string, at?: number): Promise<Doc | null> {
    return this.valueAt(this.h.versions.recOf(id), this.checkAt(at));
  }

  async columns(at?: number): Promise<Column[]> {
    const counts = new Map<string, { count: number; types: Set<string> }>();
    const rows = (await this.records({ at: this.checkAt(at), offset: 0, limit: 1000 })).rows;
    for (const { data } of rows) {
      for (const [field, value] of Object.entries(data)) {
        const entry = counts.get(field) ?? { count: 0, types: new Set<string>() };
        entry.count++;
        entry.types.add(value === null ? "null" : Array.isArray(value) ? "array" : typeof value);
        counts.set(field, entry);
      }
    }
    // Most common first; among equals, the order the records themselves use (a Map keeps first-seen order).
    return [...counts].map(([field, e]) => ({ field, count: e.count, types: [...e.types].sort() })).sort((a, b) => b.count - a.count);
  }

  async diff(a: number, b: number, req: PageRequest): Promise<DiffPage> {
    this.checkAt(a);
    this.checkAt(b);
    const key = `${a}/${b}/${this.total}`;
    if (this.diffCache?.key !== key) {
      const { refs } = this.diffRefs(a, b);
      this.diffCache = { key, refs, counts: labelArchived(await eventsOf(this.dir, this.h), this.h, refs, b) };
    }
    const { refs, counts } = this.diffCache;
    const slice = refs.slice(req.offset, req.offset + req.limit);
    const values = this.values(slice.flatMap((r) => [r.before, r.after]));
    const rows = slice.map((r, i): DiffRow => ({ id: this.h.versions.ids[r.rec], kind: r.kind, before: values[2 * i], after: values[2 * i + 1], ...(r.segment ? { segment: r.segment } : {}) }));
    return { rows, total: refs.length, offset: req.offset, limit: req.limit, counts };
  }

  /** Which records differ between states a and b, and how; values are read only where both hold one. */
  private diffRefs(a: number, b: number): { refs: DiffRef[] } {
    const { versions, timeline, table } = this.h;
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    const touched = new Set<number>();
    for (let p = lo; p < hi; p++) touched.add(table.rec(timeline.get(p)));
    for (const jump of this.h.jumps) if (jump.k > lo && jump.k <= hi) for (const id of jump.ids) touched.add(versions.intern(id));
    const refs: DiffRef[] = [];
    const both: DiffRef[] = [];
    for (const rec of [...touched].sort((x, y) => compareIds(versions.ids[x], versions.ids[y]))) {
      const before = versions.srcAt(rec, a);
      const after = versions.srcAt(rec, b);
      if (before === after) continue;
      const had = this.holds(before);
      const has = this.holds(after);
      if (!had && !has) continue;
      const ref: DiffRef = { rec, kind: had ? (has ? "changed" : "removed") : "added", before, after };
      refs.push(ref);
      if (had && has && !this.recordFilter().knownDifferent(before, after)) both.push(ref); // their hashes differ: changed, nothing to read
    }
    // Two versions can hold equal values (a set that changed nothing): those are not changes.
    const unchanged = new Set<DiffRef>();
    for (let i = 0; i < both.length; i += SCAN_BATCH) {
      const batch = both.slice(i, i + SCAN_BATCH);
      const values = this.values(batch.flatMap((r) => [r.before, r.after]));
      batch.forEach((r, j) => {
        if (jsonEqual(values[2 * j], values[2 * j + 1])) unchanged.add(r);
      });
    }
    return { refs: unchanged.size === 0 ? refs : refs.filter((r) => !unchanged.has(r)) };
  }

  async recordHistory(id: string): Promise<HistoryEntry[]> {
    const { versions, table } = this.h;
    const rec = versions.recOf(id);
    if (rec === undefined) return [];
    const list = versions.list(rec);
    const values = this.values(list.src);
    const ops = this.h.reader.many(list.src.filter((s) => s >= 0));
    const events = await eventsOf(this.dir, this.h);
    const out: HistoryEntry[] = [];
    list.src.forEach((src, i) => {
      const archived = src < 0 && i > 0 ? archiveEntry(events, rec, list.k[i], values[i - 1]) : null;
      if (archived) out.push(archived);
      if (src < 0) return;
      const op = ops.get(src)!;
      out.push({ pos: table.pos(src), ts: op.ts, agent: op.agent, clock: op.clock, op: op.op, before: i > 0 ? values[i - 1] : null, after: values[i], file: this.file(src), line: op.line });
    });
    return out;
  }

  private ref(op: ScannedOp): OpRef & { data: Doc | null; op: "set" | "delete" } {
    const pos = this.h.table.pos(op.entry);
    return { pos: pos >= 0 ? pos : null, file: this.file(op.entry), line: op.line, agent: op.agent, clock: op.clock, ts: op.ts, data: op.data, op: op.op };
  }

  async conflicts(req: ConflictsRequest): Promise<Page<Conflict>> {
    const { table } = this.h;
    const all = req.pos === undefined ? this.h.conflicts : this.h.conflicts.filter((c) => table.pos(c.winner) === req.pos || c.losers.some((l) => table.pos(l) === req.pos));
    const slice = all.slice(req.offset, req.offset + req.limit);
    const ops = this.h.reader.many(slice.flatMap((c) => [c.winner, ...c.losers]));
    const rows = slice.map((c) => {
      const winner = ops.get(c.winner)!;
      const losers = c.losers.map((l) => ops.get(l)!);
      const read = readVersion(this.h, c, winner, (srcs) => this.values(srcs));
      const explanation = explainConflict({ id: winner.id, winner: { agent: winner.agent, op: winner.op }, loser: { agent: losers[0].agent, pos: this.ref(losers[0]).pos }, read });
      return { id: winner.id, winner: this.ref(winner), losers: losers.map((l) => this.ref(l)), explanation };
    });
    return { rows, total: all.length, offset: req.offset, limit: req.limit };
  }

  async lostWrites(req: PageRequest): Promise<Page<LostWrite>> {
    const slice = this.h.lost.slice(req.offset, req.offset + req.limit);
    const ops = this.h.reader.many(slice);
    const rows = slice.map((e): LostWrite => lostWriteRow(this.h, e, ops.get(e)!, this.file(e)));
    return { rows, total: this.h.lost.length, offset: req.offset, limit: req.limit };
  }

  async archiveSegments(): Promise<ArchiveSegmentInfo[]> {
    return (await this.archiveEntries()).map((a) => a.info);
  }

  private async archiveEntries(): Promise<ArchiveEntry[]> {
    const named = new Set(this.h.scan.manifest.archiveSegments);
    const out: ArchiveEntry[] = [];
    for (const entry of this.h.scan.archives) out.push(await this.loadArchive(entry.path, named.has(entry.path)));
    return out;
  }

  /** A segment as it reads now; one that cannot be read says why (error), once, however often it is asked for. */
  private async loadArchive(path: string, named: boolean): Promise<ArchiveEntry> {
    const full = join(this.dir, path);
    const info = await stat(full).catch(() => null);
    if (!info) throw new OpslogError("missing-file", `Archive segment ${path} is missing.`, { file: path });
    const key = `${info.ino}/${info.size}/${info.mtimeMs}/${info.ctimeMs}/${named}`;
    const cached = this.archiveCache.get(path);
    if (cached?.key === key) return cached;
    let entry: ArchiveEntry;
    try {
      const segment = await readArchiveSegmentFile(full);
      const records = Object.keys(segment.records).sort(compareIds).map((id) => ({ id, data: segment.records[id] as Doc }));
      entry = { key, records, error: null, info: { path, period: segment.period, timestamp: segment.timestamp, records: records.length, bytes: info.size, named } };
    } catch (err) {
      entry = { key, records: [], error: (err as Error).message, info: { path, period: path.replace(/^archive\/archive-|\.json$/g, ""), timestamp: null, records: 0, bytes: info.size, named } };
    }
    this.archiveCache.set(path, entry);
    return entry;
  }

  async archivePage(path: string, req: PageRequest & { filter?: Query; idContains?: string }): Promise<Page<RecordRow>> {
    if (!this.h.scan.archives.some((a) => a.path === path)) throw new OpslogError("not-found", `No archive segment ${path} in this store.`);
    let rows = (await this.loadArchive(path, this.h.scan.manifest.archiveSegments.includes(path))).records;
    const predicate = compileFilter(req.filter);
    if (predicate) rows = rows.filter((r) => predicate(r.data));
    if (req.idContains) rows = rows.filter((r) => r.id.includes(req.idContains!));
    return page(rows, req);
  }

  async posAtTime(ts: string): Promise<number> {
    const { table, timeline } = this.h;
    const bound = timeBound(ts)!;
    let pos = 0;
    for (let p = 0; p < timeline.length; p++) if (!bound.above(table, timeline.get(p))) pos = p + 1;
    return pos;
  }

  /** Catch up with the disk (see live.ts): tail the live WALs, or build again; either way, every cache of what changed goes. */
  async refresh(): Promise<RefreshResult> {
    const polled = await this.live.poll(this.h);
    if (polled.rebuild) return this.rebuild();
    if (polled.newOps > 0) this.dropCaches();
    return { newOps: polled.newOps, rebuilt: false, ...(polled.summaryChanged ? { summaryChanged: true } : {}) };
  }

  private async rebuild(): Promise<RefreshResult> {
    const before = this.total;
    const h = await buildHistory(this.dir, this.parallel);
    const live = await LiveTail.start(this.dir, h);
    this.h.reader.close();
    this.h = h;
    this.live = live;
    this.dropCaches();
    this.recordFilter();
    return { newOps: Math.max(0, this.total - before), rebuilt: true };
  }

  /** Forget everything read or derived: what is asked next is read from the history as it is now. */
  private dropCaches(): void {
    this.recordsCache = null;
    this.aliveCache = null;
    this.opsCache = null;
    this.diffCache = null;
    this.stateCache = null;
    this.filtered?.forgetAnswer();
    this.archiveCache.clear();
    this.h.reader.close(); // its parsed ops, too
  }

  async close(): Promise<void> {
    this.filtered?.close();
    this.dropCaches();
    this.archiveCache.clear();
    this.h.reader.close();
  }
}

/**
 * A time bound on ops: compared as instants when both sides parse as dates
 * (an op written with an offset, +02:00, compares by its UTC instant), else
 * as strings.
 */
function timeBound(ts: string | undefined) {
  if (!ts) return null;
  const ms = Date.parse(ts);
  const exact = !Number.isNaN(ms);
  return {
    below: (table: History["table"], e: number) => (exact && !Number.isNaN(table.tsMs(e)) ? table.tsMs(e) < ms : table.ts(e) < ts),
    above: (table: History["table"], e: number) => (exact && !Number.isNaN(table.tsMs(e)) ? table.tsMs(e) > ms : table.ts(e) > ts),
  };
}

function sortRows(rows: RecordRow[], field: string, dir: 1 | -1): RecordRow[] {
  const key = (r: RecordRow) => (field === "id" ? r.id : valueAtPath(r.data, field));
  return [...rows].sort((a, b) => dir * compareValues(key(a), key(b)) || compareIds(a.id, b.id));
}
