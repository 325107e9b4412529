/**
 * The inspector: a strictly read-only view of one store directory. It never
 * takes a lock and never writes a byte; it answers what the Store API cannot
 * (timeline, lanes, history chain, replay, conflicts, lost writes), in pages.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { readArchiveSegmentFile } from "../archive.js";
import { OpslogError } from "../errors.js";
import { compareOps } from "../store.js";
import { appendToTimeline, buildHistory, skippedWarning } from "./history.js";
import type { History, IndexedOp } from "./history.js";
import { explainConflict } from "./conflicts.js";
import { compareValues, compileFilter, valueAtPath } from "./query.js";
import { prevOf, readWalLines } from "./walscan.js";
import { compareIds } from "./versions.js";
import type {
  AgentLane,
  ArchiveSegmentInfo,
  Column,
  Conflict,
  DiffPage,
  DiffRow,
  Doc,
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
  TimelineInfo,
  TimelineOp,
} from "./types.js";

export type * from "./types.js";

export async function openInspector(dir: string): Promise<InspectorApi> {
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new OpslogError("not-a-store", `${dir} does not exist or is not a folder. Choose the folder that contains manifest.json.`, { file: dir });
  return new Inspector(dir, await buildHistory(dir));
}

function page<T>(rows: T[], req: PageRequest): Page<T> {
  return { rows: rows.slice(req.offset, req.offset + req.limit), total: rows.length, offset: req.offset, limit: req.limit };
}

class Inspector implements InspectorApi {
  private recordsCache: { key: string; rows: RecordRow[] } | null = null;
  private aliveCache: { key: string; ids: string[] } | null = null;
  private archiveCache = new Map<string, { mtime: number; records: RecordRow[]; info: ArchiveSegmentInfo }>();

  constructor(
    readonly dir: string,
    private h: History,
  ) {}

  private get total(): number {
    return this.h.timeline.length;
  }

  private file(op: IndexedOp): string {
    return this.h.scan.wals[op.fileIdx].path;
  }

  private toTimelineOp(op: IndexedOp): TimelineOp {
    const pos = op.pos!;
    return {
      pos,
      epoch: op.epoch!,
      file: this.file(op),
      line: op.line,
      offset: op.offset,
      ts: op.ts,
      agent: op.agent,
      clock: op.clock,
      op: op.op,
      id: op.id,
      data: op.data,
      prev: this.h.versions.valueAt(op.id, pos),
      encoding: op.encoding,
    };
  }

  async summary(): Promise<StoreSummary> {
    const h = this.h;
    const archives = await this.archiveSegments();
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
        conflicts: h.conflicts.found.length,
      },
      agents,
      snapshots: this.snapshotInfos(),
      lanes: await this.lanes(),
      archiveSegments: archives,
      locks: h.scan.locks,
      warnings: [...h.warnings, ...this.statsWarnings(archives)],
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
    const t = this.h.timeline;
    let min: string | null = null;
    let max: string | null = null;
    for (const op of t) {
      if (min === null || op.ts < min) min = op.ts;
      if (max === null || op.ts > max) max = op.ts;
    }
    return { total: t.length, links: this.h.links.map((l) => ({ ...l })), tsRange: min && max ? [min, max] : null };
  }

  async ops(req: OpsRequest): Promise<Page<TimelineOp>> {
    const predicate = compileFilter(req.filter);
    const plain = req.agent === undefined && !req.id && !req.op && !req.from && !req.to && !predicate;
    if (plain) return { ...page(this.h.timeline, req), rows: this.h.timeline.slice(req.offset, req.offset + req.limit).map((op) => this.toTimelineOp(op)) };
    const rows: TimelineOp[] = [];
    let total = 0;
    for (const op of this.h.timeline) {
      if (req.agent !== undefined && op.agent !== req.agent) continue;
      if (req.id && op.id !== req.id) continue;
      if (req.op && op.op !== req.op) continue;
      if (req.from && op.ts < req.from) continue;
      if (req.to && op.ts > req.to) continue;
      if (predicate && !predicate(this.toTimelineOp(op))) continue;
      if (total >= req.offset && rows.length < req.limit) rows.push(this.toTimelineOp(op));
      total++;
    }
    return { rows, total, offset: req.offset, limit: req.limit };
  }

  async op(pos: number): Promise<TimelineOp | null> {
    const op = this.h.timeline[pos];
    return op ? this.toTimelineOp(op) : null;
  }

  async lanes(): Promise<AgentLane[]> {
    const lost = new Set(this.h.lost);
    return this.h.lanes.map((lane) => {
      let clockRange: [number, number] | null = null;
      let tsRange = null as [string, string] | null;
      for (const op of lane.ops) {
        if (op.clock !== null) clockRange = clockRange ? [Math.min(clockRange[0], op.clock), Math.max(clockRange[1], op.clock)] : [op.clock, op.clock];
        tsRange = tsRange ? [op.ts < tsRange[0] ? op.ts : tsRange[0], op.ts > tsRange[1] ? op.ts : tsRange[1]] : [op.ts, op.ts];
      }
      const agent = lane.entry.agent ?? lane.ops.find((op) => op.agent !== null)?.agent ?? null;
      const lostOps = lane.ops.filter((op) => op.pos === null && lost.has(op)).length;
      return { path: lane.entry.path, agent, named: lane.named, ops: lane.ops.length, bytes: lane.end, clockRange, tsRange, malformedLines: lane.skipped.length, lostOps };
    });
  }

  async laneOps(path: string, req: PageRequest): Promise<Page<LaneOp>> {
    const lane = this.h.lanes.find((l) => l.entry.path === path);
    if (!lane) throw new OpslogError("not-found", `No WAL file ${path} in this store.`);
    const rows = lane.ops.slice(req.offset, req.offset + req.limit).map((op): LaneOp => {
      const prev = op.pos !== null ? this.h.versions.valueAt(op.id, op.pos) : prevOf(op);
      return { file: path, line: op.line, offset: op.offset, ts: op.ts, agent: op.agent, clock: op.clock, op: op.op, id: op.id, data: op.data, prev, encoding: op.encoding, pos: op.pos, epoch: op.epoch, lost: op.pos === null };
    });
    return { rows, total: lane.ops.length, offset: req.offset, limit: req.limit };
  }

  private checkAt(at: number | undefined): number {
    if (at === undefined) return this.total;
    if (!Number.isInteger(at) || at < 0 || at > this.total) throw new OpslogError("bad-argument", `Position ${at} is outside the timeline (0..${this.total}).`);
    return at;
  }

  /** Ids alive at `at`, in id order; one position cached (the one being scrolled). */
  private aliveIds(at: number): string[] {
    const key = `${at}/${this.total}/${this.h.versions.size}`;
    if (this.aliveCache?.key !== key) {
      const ids = this.h.versions.ids().filter((id) => this.h.versions.valueAt(id, at) !== null);
      this.aliveCache = { key, ids };
    }
    return this.aliveCache.ids;
  }

  private rowsAt(at: number): RecordRow[] {
    if (at === this.total) {
      const ids = [...this.h.head.keys()].sort(compareIds);
      return ids.map((id) => ({ id, data: this.h.head.get(id)! }));
    }
    return this.h.versions.aliveAt(at);
  }

  async records(req: RecordsRequest): Promise<Page<RecordRow>> {
    const at = this.checkAt(req.at);
    if (!req.filter && !req.sort && !req.idContains) {
      const total = this.h.alive[at] ?? 0;
      // Early pages of a seek: walk ids from the start (cheap). Deep pages: the position's alive ids, kept for scrolling.
      if (req.offset < DIRECT_WALK_LIMIT) return { rows: this.h.versions.alivePage(at, req.offset, req.limit), total, offset: req.offset, limit: req.limit };
      return { rows: this.aliveIds(at).slice(req.offset, req.offset + req.limit).map((id) => ({ id, data: this.h.versions.valueAt(id, at)! })), total, offset: req.offset, limit: req.limit };
    }
    const key = JSON.stringify([at, this.total, req.filter ?? null, req.sort ?? null, req.idContains ?? ""]);
    if (this.recordsCache?.key !== key) {
      let rows = this.rowsAt(at);
      const predicate = compileFilter(req.filter);
      if (predicate) rows = rows.filter((r) => predicate(r.data));
      if (req.idContains) rows = rows.filter((r) => r.id.includes(req.idContains!));
      if (req.sort) rows = sortRows(rows, req.sort.field, req.sort.dir);
      this.recordsCache = { key, rows };
    }
    return page(this.recordsCache.rows, req);
  }

  async record(id: string, at?: number): Promise<Doc | null> {
    return this.h.versions.valueAt(id, this.checkAt(at));
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
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    const touched = new Set<string>();
    for (let p = lo; p < hi; p++) touched.add(this.h.timeline[p].id);
    for (const jump of this.h.jumps) if (jump.k > lo && jump.k <= hi) jump.ids.forEach((id) => touched.add(id));
    const rows: DiffRow[] = [];
    const counts = { added: 0, removed: 0, changed: 0 };
    for (const id of [...touched].sort(compareIds)) {
      const before = this.h.versions.valueAt(id, a);
      const after = this.h.versions.valueAt(id, b);
      const kind = before === null ? (after === null ? null : "added") : after === null ? "removed" : JSON.stringify(before) === JSON.stringify(after) ? null : "changed";
      if (!kind) continue;
      counts[kind]++;
      rows.push({ id, kind, before, after });
    }
    return { ...page(rows, req), counts };
  }

  async recordHistory(id: string): Promise<HistoryEntry[]> {
    const list = this.h.versions.list(id);
    if (!list) return [];
    const out: HistoryEntry[] = [];
    for (let i = 0; i < list.k.length; i++) {
      if (list.pos[i] < 0) continue;
      const op = this.h.timeline[list.pos[i]];
      out.push({ pos: op.pos!, ts: op.ts, agent: op.agent, clock: op.clock, op: op.op, before: i > 0 ? list.value[i - 1] : null, after: list.value[i], file: this.file(op), line: op.line });
    }
    return out;
  }

  private ref(op: IndexedOp): OpRef & { data: Doc | null; op: "set" | "delete" } {
    return { pos: op.pos, file: this.file(op), line: op.line, agent: op.agent, clock: op.clock, ts: op.ts, data: op.data, op: op.op };
  }

  async conflicts(req: PageRequest): Promise<Page<Conflict>> {
    const all = this.h.conflicts.found;
    const rows = all.slice(req.offset, req.offset + req.limit).map((c) => ({
      id: c.id,
      winner: this.ref(c.winner as IndexedOp),
      losers: c.losers.map((l) => this.ref(l as IndexedOp)),
      explanation: explainConflict(c.id, c.winner.agent, c.losers.map((l) => l.agent)),
    }));
    return { rows, total: all.length, offset: req.offset, limit: req.limit };
  }

  async lostWrites(req: PageRequest): Promise<Page<LostWrite>> {
    const rows = this.h.lost.map((op): LostWrite => {
      const file = this.file(op);
      return {
        file, line: op.line, offset: op.offset, ts: op.ts, agent: op.agent, clock: op.clock, op: op.op, id: op.id, data: op.data,
        explanation: `${op.agent ?? "A writer"} appended this ${op.op} of "${op.id}" to ${file} after that WAL was retired by a compaction (manifest.json no longer names it). No reader replays it, so the store never saw it, though its writer believes it saved.`,
      };
    });
    return page(rows, req);
  }

  async archiveSegments(): Promise<ArchiveSegmentInfo[]> {
    const named = new Set(this.h.scan.manifest.archiveSegments);
    const out: ArchiveSegmentInfo[] = [];
    for (const entry of this.h.scan.archives) out.push((await this.loadArchive(entry.path, named.has(entry.path))).info);
    return out;
  }

  private async loadArchive(path: string, named: boolean) {
    const full = join(this.dir, path);
    const info = await stat(full).catch(() => null);
    if (!info) throw new OpslogError("missing-file", `Archive segment ${path} is missing.`, { file: path });
    const cached = this.archiveCache.get(path);
    if (cached && cached.mtime === info.mtimeMs) return cached;
    let segment;
    try {
      segment = await readArchiveSegmentFile(full);
    } catch (err) {
      const records: RecordRow[] = [];
      const entry = { mtime: info.mtimeMs, records, info: { path, period: path.replace(/^archive\/archive-|\.json$/g, ""), timestamp: null, records: 0, bytes: info.size, named } };
      this.h.warnings.push({ code: "unreadable-file", severity: "warning", file: path, message: (err as Error).message });
      return entry;
    }
    const records = Object.keys(segment.records).sort(compareIds).map((id) => ({ id, data: segment.records[id] as Doc }));
    const entry = { mtime: info.mtimeMs, records, info: { path, period: segment.period, timestamp: segment.timestamp, records: records.length, bytes: info.size, named } };
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
    let pos = 0;
    this.h.timeline.forEach((op, i) => {
      if (op.ts <= ts) pos = i + 1;
    });
    return pos;
  }

  async refresh(): Promise<RefreshResult> {
    if (await this.needsRebuild()) {
      const before = this.total;
      this.h = await buildHistory(this.dir);
      this.recordsCache = null;
      this.aliveCache = null;
      return { newOps: Math.max(0, this.total - before), rebuilt: true };
    }
    const fresh: IndexedOp[] = [];
    for (const lane of this.h.lanes.filter((l) => l.live)) {
      const read = await readWalLines(this.dir, lane.entry.path, this.h.scan.wals.indexOf(lane.entry), lane.end, lane.nextLine, false);
      for (const s of read.skipped) this.h.warnings.push(skippedWarning(lane.entry.path, s));
      const ops = read.ops;
      for (const op of ops) lane.ops.push(op);
      lane.end = read.end;
      lane.nextLine = read.nextLine;
      for (const op of ops) fresh.push(op);
    }
    if (fresh.length === 0) return { newOps: 0, rebuilt: false };
    if (fresh.some((op) => op.clock !== null)) fresh.sort(compareOps);
    const last = this.h.timeline[this.total - 1];
    if (last && last.clock !== null && compareOps(fresh[0], last) < 0) {
      this.h = await buildHistory(this.dir); // arrived out of replay order: replay again
      this.recordsCache = null;
      this.aliveCache = null;
      return { newOps: fresh.length, rebuilt: true };
    }
    const live = this.h.links[this.h.links.length - 1];
    for (const op of fresh) appendToTimeline(this.h, op, live.epoch);
    live.endPos = this.total;
    this.recordsCache = null;
    this.aliveCache = null;
    return { newOps: fresh.length, rebuilt: false };
  }

  /** The manifest changed, or a WAL appeared, vanished or shrank, or a retired WAL grew. */
  private async needsRebuild(): Promise<boolean> {
    const manifest = await stat(join(this.dir, "manifest.json")).catch(() => null);
    if (!manifest || manifest.mtimeMs !== this.h.scan.manifestMtime) return true;
    const names = await readdir(join(this.dir, "ops")).catch(() => [] as string[]);
    if (names.filter((n) => n.endsWith(".jsonl")).length !== this.h.lanes.length) return true;
    for (const lane of this.h.lanes) {
      const info = await stat(join(this.dir, lane.entry.path)).catch(() => null);
      if (!info || info.size < lane.end) return true;
      if (!lane.live && info.size !== lane.entry.bytes) return true;
    }
    return false;
  }

  async close(): Promise<void> {
    this.recordsCache = null;
    this.aliveCache = null;
    this.archiveCache.clear();
  }
}

const DIRECT_WALK_LIMIT = 2000;

function sortRows(rows: RecordRow[], field: string, dir: 1 | -1): RecordRow[] {
  const key = (r: RecordRow) => (field === "id" ? r.id : valueAtPath(r.data, field));
  return [...rows].sort((a, b) => dir * compareValues(key(a), key(b)) || compareIds(a.id, b.id));
}
