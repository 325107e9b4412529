/**
 * Builds the store's whole history from what is on disk: the chain
 * snapshot -> WALs -> next snapshot -> ... back to creation, replayed in
 * opslog's order into per-record versions, with each link verified, and
 * conflicts and lost writes found on the way. The WALs stream through once,
 * merged as they are read; each op leaves a compact entry in the op index
 * (OpTable) and its data is dropped, except the current value of each record.
 * Reads only; never writes.
 */
import { isDeepStrictEqual } from "node:util";
import { join } from "node:path";
import { readArchiveSegmentFile } from "../archive.js";
import { compareOps } from "../store.js";
import { readSnapshotFile } from "../snapshot.js";
import { ArchiveCheck, planLinks } from "./chain.js";
import type { PlannedLink } from "./chain.js";
import { markLostWrites, unseenByCompaction } from "./lost-writes.js";
import type { ConflictRecord } from "./conflicts.js";
import { AgentTable, IntList, OpTable, canonicalMs } from "./optable.js";
import { OpReader } from "./opreader.js";
import { OutOfOrder, mergeInReplayOrder } from "./order.js";
import type { MergeSource } from "./order.js";
import { scanDirectory } from "./scan.js";
import type { DirectoryScan, FileEntry, WalEntry } from "./scan.js";
import { ParallelScan, ScanWorkerFailed } from "./parallel.js";
import type { LaneSource } from "./parallel.js";
import { LaneReader, unreadableFrom } from "./walscan.js";
import type { ScannedOp, SkippedWalLine, UnreadableFile } from "./walscan.js";
import { unreadableSnapshotWarning, unreadableWalWarning } from "./unreadable.js";
import { CurrentState, RecordVersions } from "./versions.js";
import type { ChainLink, Doc, StoreKind, StoreWarning } from "./types.js";

export interface Lane {
  entry: WalEntry;
  named: boolean;
  live: boolean;
  /** The op index entries of this WAL's ops, in file order */
  entries: IntList;
  skipped: SkippedWalLine[];
  /** Where the next tail read starts */
  end: number;
  nextLine: number;
  /** The WAL exists but could not be read (from `end` on) */
  unreadable?: UnreadableFile | null;
}

export interface History {
  scan: DirectoryScan;
  lanes: Lane[];
  table: OpTable;
  agents: AgentTable;
  /** Timeline position -> op entry */
  timeline: IntList;
  links: ChainLink[];
  versions: RecordVersions;
  /** The current state, as parsed, by record number */
  head: CurrentState;
  /** alive[k] = number of records in state k (the state after k timeline ops) */
  alive: IntList;
  conflicts: ConflictRecord[];
  /** Entries of every lost op, in WAL order (see lost-writes.ts) */
  lost: number[];
  /** Entries of replayed ops that a compaction which had not seen them left out of its snapshot */
  dropped: Set<number>;
  /** State indexes where a snapshot replaced the replayed state, the ids it changed, and which of them it left out (events.ts) */
  jumps: { k: number; ids: string[]; epoch: number; removed: string[] }[];
  warnings: StoreWarning[];
  kind: StoreKind;
  multiWriter: boolean;
  snapshotInfo: Map<string, { timestamp: string | null; records: number | null; format: "json" | "jsonl" | null }>;
  reader: OpReader;
  /** The worker reading the WALs during the build, if any */
  parallel: ParallelScan | null;
}

/**
 * The history of the store in `dir`. WALs are merged as they stream in; if
 * one turns out not to be in clock order, the build starts over and sorts
 * each link's ops in memory instead (slower, and rare: opslog never writes that).
 */
export async function buildHistory(dir: string, parallel: ParallelMode = "auto"): Promise<History> {
  for (let sortInMemory = false; ; ) {
    try {
      return await build(dir, sortInMemory, parallel);
    } catch (err) {
      if (err instanceof OutOfOrder && !sortInMemory) sortInMemory = true;
      else if (err instanceof ScanWorkerFailed && parallel === "auto") parallel = "never";
      else throw err;
    }
  }
}

/**
 * Whether the WALs are read and parsed in a worker thread while this one
 * indexes: "auto" does so when they are big enough to repay starting it, and
 * reads in this thread if the worker fails; "always" fails with it.
 */
export type ParallelMode = "auto" | "always" | "never";
const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;

async function build(dir: string, sortInMemory: boolean, mode: ParallelMode): Promise<History> {
  const scan = await scanDirectory(dir);
  const walBytes = scan.wals.reduce((sum, w) => sum + w.bytes, 0);
  const parallel = mode === "always" || (mode === "auto" && walBytes >= PARALLEL_MIN_BYTES) ? ParallelScan.start() : null;
  try {
    const history = await buildFrom(dir, scan, sortInMemory, parallel);
    history.parallel = null; // the worker is for the build: tailing reads in this thread
    return history;
  } finally {
    await parallel?.close();
  }
}

async function buildFrom(dir: string, scan: DirectoryScan, sortInMemory: boolean, parallel: ParallelScan | null): Promise<History> {
  const { manifest } = scan;
  const named = new Set([manifest.activeOps, ...Object.values(manifest.activeAgentOps ?? {})]);
  const liveWals = new Set(manifest.activeAgentOps ? Object.values(manifest.activeAgentOps) : [manifest.activeOps]);
  const lanes: Lane[] = scan.wals.map((entry) => ({ entry, named: named.has(entry.path), live: liveWals.has(entry.path), entries: new IntList(), skipped: [], end: 0, nextLine: 1 }));
  const table = new OpTable();
  const versions = new RecordVersions();
  const history: History = {
    scan,
    lanes,
    table,
    agents: new AgentTable(),
    timeline: new IntList(),
    links: [],
    versions,
    head: new CurrentState(),
    alive: new IntList(),
    conflicts: [],
    lost: [],
    dropped: new Set(),
    jumps: [],
    warnings: [...scan.warnings],
    kind: "single-writer",
    multiWriter: manifest.activeAgentOps !== undefined,
    snapshotInfo: new Map(),
    reader: new OpReader(dir, table, scan.wals.map((w) => w.path), (e) => versions.ids[table.rec(e)]),
    parallel,
  };
  history.alive.push(0);
  // Values the parallel scan left on disk: each record's latest version.
  history.head.load = (recs) => {
    const ops = history.reader.many(recs.map((rec) => versions.lastSrc(rec)));
    return recs.map((rec) => ops.get(versions.lastSrc(rec))!.data!);
  };
  try {
    const plan = await planLinks(dir, scan, lanes);
    await replayChain(dir, history, plan, sortInMemory);
    // WALs outside the chain (newer than the current snapshot, say): read, but never replayed.
    const inPlan = new Set(plan.flatMap((p) => p.lanes));
    for (const lane of lanes) if (!inPlan.has(lane)) await readWholeLane(dir, history, lane, () => true);
    for (const lane of lanes) {
      if (lane.unreadable) history.warnings.push(unreadableWalWarning(lane.entry, lane.unreadable, lane.end, lane.nextLine, history.links.find((l) => l.wals.includes(lane.entry.path)), lane.live));
    }
    history.kind = storeKind(history);
    markLostWrites(history);
    // Group the versions by record and sort the ids once now, not on the first seek.
    versions.seal();
    versions.sortedRecs();
  } catch (err) {
    history.reader.close();
    throw err;
  }
  return history;
}

export function skippedWarning(path: string, s: SkippedWalLine): StoreWarning {
  return s.torn
    ? { code: "torn-line", severity: "warning", file: path, line: s.line, message: `${path}:${s.line}: ${s.reason}. opslog skips this line; if no writer is running, it was never saved.` }
    : { code: "malformed-line", severity: "warning", file: path, line: s.line, message: `${path}:${s.line} is skipped by opslog: ${s.reason}.` };
}

async function loadSnapshot(dir: string, history: History, entry: FileEntry): Promise<Map<string, unknown> | null> {
  try {
    const snap = await readSnapshotFile(join(dir, entry.path));
    history.snapshotInfo.set(entry.path, { timestamp: snap.timestamp, records: snap.records.size, format: snap.format });
    return snap.records;
  } catch (err) {
    history.snapshotInfo.set(entry.path, { timestamp: null, records: null, format: null });
    const current = entry.path === history.scan.manifest.currentSnapshot;
    if ((err as NodeJS.ErrnoException).code) history.warnings.push(unreadableSnapshotWarning(entry.path, unreadableFrom(err), current)); // EACCES...: not damage
    else history.warnings.push({ code: "unreadable-file", severity: current ? "error" : "warning", file: entry.path, message: `${(err as Error).message}${current ? " The current state below is rebuilt without it and may be incomplete." : ""}` });
    return null;
  }
}

async function replayChain(dir: string, history: History, plan: PlannedLink[], sortInMemory: boolean): Promise<void> {
  const archive = new ArchiveCheck(await loadArchivedRecords(dir, history));
  const base: Map<string, unknown> | null = plan[0]?.snapshot ? await loadSnapshot(dir, history, plan[0].snapshot) : new Map();
  if (base) for (const [id, value] of base) setFromSnapshot(history, id, 0, value as Doc);
  const verified: { link: ChainLink; differing: string[]; walsMissing: boolean }[] = [];
  for (const [epoch, planned] of plan.entries()) {
    const startPos = history.timeline.length;
    const nextSnap = planned.next ? await loadSnapshot(dir, history, planned.next) : null;
    const cutoff = planned.next ? history.snapshotInfo.get(planned.next.path)?.timestamp ?? null : null;
    await replayLink(dir, history, planned, epoch, cutoff, sortInMemory);
    const link: ChainLink = {
      epoch,
      snapshot: planned.snapshot?.path ?? null,
      wals: planned.lanes.map((l) => l.entry.path),
      next: planned.next?.path ?? null,
      startPos,
      endPos: history.timeline.length,
      missing: planned.live ? missingLiveWals(history) : [],
      verified: planned.live ? "live" : "unverifiable",
      mismatchIds: [],
      mismatchCount: 0,
      droppedWrites: 0,
    };
    if (!planned.live && nextSnap) verified.push({ link, differing: jumpToSnapshot(history, link, nextSnap, archive, compactorOf(plan[epoch + 1])), walsMissing: planned.lanes.length === 0 });
    history.links.push(link);
  }
  // Whether an archived id's value was the link's can be told only once every later archive is known.
  const unaccounted = archive.unaccounted();
  for (const { link, differing, walsMissing } of verified) settleLink(history, link, [...differing, ...(unaccounted.get(link) ?? [])], walsMissing);
}

/** The agent that wrote a link's snapshot: the compaction starts the first WAL named after it (null: not known). */
function compactorOf(planned: PlannedLink | undefined): string | null {
  let first: Lane | null = null;
  for (const lane of planned?.lanes ?? []) if (lane.entry.ms !== null && (first === null || lane.entry.ms < first.entry.ms!)) first = lane;
  return first?.entry.agent ?? null;
}

/** Every archived record's value in each readable segment, to tell archiving from damage. */
async function loadArchivedRecords(dir: string, history: History): Promise<Map<string, unknown[]>> {
  const archived = new Map<string, unknown[]>();
  for (const entry of history.scan.archives) {
    try {
      const segment = await readArchiveSegmentFile(join(dir, entry.path));
      for (const [id, value] of Object.entries(segment.records)) archived.set(id, [...(archived.get(id) ?? []), value]);
    } catch (err) {
      history.warnings.push({ code: "unreadable-file", severity: "warning", file: entry.path, message: (err as Error).message });
    }
  }
  return archived;
}

function missingLiveWals(history: History): string[] {
  return history.warnings.filter((w) => w.code === "missing-file" && w.file?.startsWith("ops/")).map((w) => w.file!);
}

/** Add a chunk of a lane's ops to the index; the ones `replayed` accepts go on to be replayed. */
export function addToIndex(history: History, lane: Lane, ops: ScannedOp[], replayed: (op: ScannedOp) => boolean): ScannedOp[] {
  const out: ScannedOp[] = [];
  for (const op of ops) {
    const rec = history.versions.intern(op.id);
    op.id = history.versions.ids[rec]; // one id string per record, not one per op
    op.agentIdx = history.agents.intern(op.agent);
    op.entry = history.table.add(op, op.agentIdx, rec);
    lane.entries.push(op.entry);
    if (replayed(op)) out.push(op);
  }
  return out;
}

/** Read a lane from its start: through the worker if there is one, unless `here`. */
async function openLane(dir: string, history: History, lane: Lane, here = false): Promise<LaneSource> {
  const fileIdx = history.lanes.indexOf(lane);
  return history.parallel && !here ? await history.parallel.lane(dir, lane.entry.path, fileIdx) : new LaneReader(dir, lane.entry.path, fileIdx, 0, 1, false);
}

/** The share of a link's WAL bytes this thread parses itself while the worker parses the rest (it also indexes all of them). */
const LOCAL_SHARE = 0.3;

/** The lanes this thread reads itself: the smallest, up to LOCAL_SHARE of the bytes. */
function localLanes(lanes: Lane[]): Set<Lane> {
  const total = lanes.reduce((sum, l) => sum + l.entry.bytes, 0);
  const local = new Set<Lane>();
  let bytes = 0;
  for (const lane of [...lanes].sort((a, b) => a.entry.bytes - b.entry.bytes)) {
    if (bytes + lane.entry.bytes > LOCAL_SHARE * total) break;
    bytes += lane.entry.bytes;
    local.add(lane);
  }
  return local;
}

/** The line a WAL ends with, still without its newline: left to be read once it is complete. */
export function incompleteLastLine(line: number): SkippedWalLine {
  return { line, reason: "incomplete last line: a crash mid-append, or a write in progress", torn: true };
}

/** Where a lane's reading ended, and what it skipped. */
function finishLane(lane: Lane, reader: LaneSource): void {
  lane.end = reader.end;
  lane.nextLine = reader.nextLine;
  lane.skipped = reader.skipped;
  lane.unreadable = reader.unreadable; // said in buildFrom, once the chain's positions are known
  if (lane.end < lane.entry.bytes && !lane.unreadable) lane.skipped.push(incompleteLastLine(lane.nextLine));
  // Their warnings are the summary's, from lane.skipped: one source, however the lane was read.
}

async function readWholeLane(dir: string, history: History, lane: Lane, lost: (op: ScannedOp) => boolean): Promise<ScannedOp[]> {
  const reader = await openLane(dir, history, lane);
  const out: ScannedOp[] = [];
  for (let chunk = await reader.next(); chunk; chunk = await reader.next()) {
    for (const op of addToIndex(history, lane, chunk, (o) => !lost(o))) out.push(op);
  }
  finishLane(lane, reader);
  return out;
}

/**
 * Replay one link's ops in opslog's order. Ops appended after the next
 * snapshot was taken, and ops in a WAL of the live link that the manifest no
 * longer names, are not replayed: they are lost-write candidates.
 */
async function replayLink(dir: string, history: History, planned: PlannedLink, epoch: number, cutoff: string | null, sortInMemory: boolean): Promise<void> {
  const cutoffMs = cutoff === null ? NaN : canonicalMs(cutoff);
  const lost = (lane: Lane) => (op: ScannedOp) => (cutoff !== null && writtenAfter(op, cutoff, cutoffMs)) || (planned.live && !lane.live);
  if (sortInMemory) {
    const runs: ScannedOp[] = [];
    for (const lane of planned.lanes) for (const op of await readWholeLane(dir, history, lane, lost(lane))) runs.push(op);
    runs.sort(compareOps); // stable: equal keys keep WAL order
    for (const op of runs) replay(history, op, epoch);
    return;
  }
  const readers: LaneSource[] = [];
  const local = history.parallel ? localLanes(planned.lanes) : new Set<Lane>();
  for (const lane of planned.lanes) readers.push(await openLane(dir, history, lane, local.has(lane)));
  const sources = planned.lanes.map((lane, i): MergeSource => {
    const reader = readers[i];
    const isLost = lost(lane);
    const source: MergeSource = {
      buf: [],
      i: 0,
      async fill() {
        while (source.i >= source.buf.length) {
          const chunk = await reader.next();
          if (!chunk) return;
          source.buf = addToIndex(history, lane, chunk, (op) => !isLost(op));
          source.i = 0;
        }
      },
    };
    return source;
  });
  try {
    await mergeInReplayOrder(sources, () => history.agents.ranks, (op) => replay(history, op, epoch));
  } finally {
    for (const reader of readers) await reader.close();
  }
  planned.lanes.forEach((lane, i) => finishLane(lane, readers[i]));
}

/** Whether op was written after the ts `cutoff` (its ms when canonical, else compared as written, as opslog does). */
function writtenAfter(op: ScannedOp, cutoff: string, cutoffMs: number): boolean {
  if (!Number.isNaN(op.tsMs) && !Number.isNaN(cutoffMs)) return op.tsMs > cutoffMs;
  return (op.ts || new Date(op.tsMs).toISOString()) > cutoff;
}

/** Apply one op: its timeline place, the record's new version, the current state; and is it a conflict? */
export function replay(history: History, op: ScannedOp, epoch: number): void {
  const { table, versions, head } = history;
  const pos = history.timeline.length;
  table.place(op.entry, pos, epoch);
  history.timeline.push(op.entry);
  const rec = table.rec(op.entry);
  const last = versions.lastSrc(rec);
  // A different agent wrote this key last, and this op's writer had not seen that write.
  if (last >= 0 && op.agentIdx !== 0) {
    const lastAgent = versions.lastAgent(rec);
    if (lastAgent !== 0 && lastAgent !== op.agentIdx && !head.prevMatches(rec, op)) history.conflicts.push({ rec, winner: op.entry, losers: [last] });
  }
  versions.push(rec, pos + 1, op.entry, op.agentIdx);
  if (op.loaded || op.op === "delete") head.set(rec, op.data);
  else head.setLazy(rec, op.dataHash0, op.dataHash1);
  history.alive.push(head.size);
}

/** From state k on, id has the value a snapshot gave it (null: absent). */
function setFromSnapshot(history: History, id: string, k: number, value: Doc | null): void {
  const rec = history.versions.intern(id);
  history.versions.push(rec, k, history.versions.snapshotSrc(value));
  history.head.set(rec, value);
  history.alive.set(k, history.head.size);
}

/**
 * Continue from the snapshot that follows a link; returns the ids whose
 * replayed value differs from it that neither an archive nor a compaction's
 * blind spot (lost writes) explains.
 */
function jumpToSnapshot(history: History, link: ChainLink, next: Map<string, unknown>, archive: ArchiveCheck, compactor: string | null): string[] {
  const k = history.timeline.length;
  const differing: string[] = [];
  const changed: string[] = [];
  const { head, versions } = history;
  head.materialize();
  for (const [id, value] of next) {
    const rec = versions.recOf(id);
    if (!isDeepStrictEqual(rec === undefined ? undefined : head.get(rec), value)) differing.push(id);
  }
  for (const [rec, value] of head.entries()) {
    const id = versions.ids[rec];
    if (next.has(id)) continue;
    changed.push(id);
    // store.archive() removes records without an op: gone into an archive segment is not a mismatch.
    if (!archive.accounts(link, id, value)) differing.push(id);
  }
  changed.push(...differing.filter((id) => next.has(id)));
  const droppedBefore = history.dropped.size;
  const unseen = unseenByCompaction(history, link, differing, next, compactor);
  link.droppedWrites = history.dropped.size - droppedBefore;
  for (const id of changed) setFromSnapshot(history, id, k, (next.get(id) as Doc | undefined) ?? null);
  if (changed.length > 0) history.jumps.push({ k, ids: changed, epoch: link.epoch, removed: changed.filter((id) => !next.has(id)) });
  return differing.filter((id) => !unseen.has(id));
}

/** A link's verdict, from the ids nothing explains, with a warning when it is not "ok". */
function settleLink(history: History, link: ChainLink, differing: string[], walsMissing: boolean): void {
  link.mismatchCount = differing.length;
  link.mismatchIds = differing.slice(0, 100);
  if (walsMissing) {
    link.missing = [`the WAL(s) between ${link.snapshot ?? "creation"} and ${link.next}`];
    link.verified = differing.length === 0 ? "ok" : "unverifiable";
    if (differing.length > 0) history.warnings.push({ code: "chain-gap", severity: "info", file: link.next ?? undefined, message: `History gap: the WAL(s) between ${link.snapshot ?? "creation"} and ${link.next} are gone, so the timeline jumps there (${differing.length} record(s) changed unseen).` });
    return;
  }
  link.verified = differing.length === 0 ? "ok" : "mismatch";
  if (differing.length > 0) {
    history.warnings.push({ code: "chain-mismatch", severity: "warning", file: link.next ?? undefined, message: `Replaying ${link.wals.join(", ")} over ${link.snapshot ?? "an empty store"} does not give ${link.next}: ${differing.length} record(s) differ (e.g. ${differing.slice(0, 3).join(", ")}). The timeline follows the snapshot there.` });
  }
}

export function storeKind(history: History): StoreKind {
  const total = history.timeline.length;
  if (total === 0 && history.head.size === 0) return "empty";
  const live = history.links[history.links.length - 1];
  let withAgent = 0;
  const start = live ? live.startPos : total;
  for (let p = start; p < total; p++) if (history.table.agent(history.timeline.get(p)) !== 0) withAgent++;
  if (history.multiWriter) return withAgent < total - start ? "mixed" : "multi-writer";
  return withAgent > 0 ? "mixed" : "single-writer";
}
