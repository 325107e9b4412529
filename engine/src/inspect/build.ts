/**
 * Builds the store's history index from what is on disk, the one owner of
 * it: the chain snapshot -> WALs -> next snapshot -> ... back to creation,
 * each op indexed in opslog's replay order into per-record versions, each
 * link verified (chain.ts), conflicts and lost writes found on the way. The
 * WALs stream through once, merged as they are read; each op leaves a compact
 * entry in the op index (OpTable) and the short values and hash of its data
 * (KeptColumns), and its data is dropped, except the current value of each
 * record. Reads only; never writes.
 */
import { ArchiveCheck, compactorOf, jumpToSnapshot, loadArchivedRecords, missingLiveWals, planLinks, settleLink } from "./chain.js";
import type { PlannedLink } from "./chain.js";
import { detectConflict } from "./conflicts.js";
import { EntryRuns } from "./entry-runs.js";
import type { History, Lane, ParallelMode } from "./history.js";
import { markLostWrites } from "./lost-writes.js";
import { AgentTable, IntList, OpTable } from "./optable.js";
import { OpReader } from "./opreader.js";
import { OutOfOrder, compareOps, mergeInReplayOrder } from "./order.js";
import type { MergeSource } from "./order.js";
import { KeptColumns } from "./kept-columns.js";
import { BATCH_I32, I_REC, ParallelScan, ScanWorkerFailed } from "./parallel.js";
import { BuildMeter } from "./progress.js";
import { PARSE_SHARE, countChunk, indexSnapshot, readSnapshot } from "./metered-reads.js";
import type { OnBuildProgress } from "./progress.js";
import type { LaneSource, ScanBatch } from "./parallel.js";
import { missingSnapshotMessage, scanDirectory } from "./scan.js";
import type { DirectoryScan } from "./scan.js";
import { canonicalMs } from "./time.js";
import { unreadableWalWarning } from "./unreadable.js";
import { LaneReader } from "./walscan.js";
import type { ScannedOp, SkippedWalLine } from "./walscan.js";
import { CurrentState, RecordVersions } from "./versions.js";
import type { ChainLink, StoreKind } from "./types.js";

/**
 * The history of the store in `dir`. WALs are merged as they stream in; if
 * one turns out not to be in clock order, the build starts over and sorts
 * each link's ops in memory instead (slower, and rare: opslog never writes that).
 */
export async function buildHistory(dir: string, parallel: ParallelMode = "auto", onProgress?: OnBuildProgress): Promise<History> {
  const meter = new BuildMeter(onProgress);
  for (let sortInMemory = false; ; ) {
    try {
      return await build(dir, sortInMemory, parallel, meter);
    } catch (err) {
      if (err instanceof OutOfOrder && !sortInMemory) sortInMemory = true;
      else if (err instanceof ScanWorkerFailed && parallel === "auto") parallel = "never";
      else throw err;
    }
  }
}

const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;

async function build(dir: string, sortInMemory: boolean, mode: ParallelMode, meter: BuildMeter): Promise<History> {
  const scan = await scanDirectory(dir);
  const walBytes = scan.wals.reduce((sum, w) => sum + w.bytes, 0);
  const parallel = mode === "always" || (mode === "auto" && walBytes >= PARALLEL_MIN_BYTES) ? ParallelScan.start() : null;
  try {
    const history = await buildFrom(dir, scan, sortInMemory, parallel, meter);
    history.parallel = null; // the worker is for the build: tailing reads in this thread
    return history;
  } finally {
    await parallel?.close();
  }
}

async function buildFrom(dir: string, scan: DirectoryScan, sortInMemory: boolean, parallel: ParallelScan | null, meter: BuildMeter): Promise<History> {
  const { manifest } = scan;
  const named = new Set([manifest.activeOps, ...Object.values(manifest.activeAgentOps ?? {})]);
  const liveWals = new Set(manifest.activeAgentOps ? Object.values(manifest.activeAgentOps) : [manifest.activeOps]);
  const lanes: Lane[] = scan.wals.map((entry) => ({ entry, named: named.has(entry.path), live: liveWals.has(entry.path), entries: new EntryRuns(), skipped: [], end: 0, nextLine: 1 }));
  const table = new OpTable();
  const timeline = new IntList();
  const versions = new RecordVersions(table, timeline);
  const history: History = {
    scan,
    lanes,
    table,
    agents: new AgentTable(),
    timeline,
    links: [],
    versions,
    head: new CurrentState(),
    alive: new IntList(),
    conflicts: [],
    lost: [],
    dropped: new Set(),
    tornByUndo: new Set(),
    jumps: [],
    warnings: [...scan.warnings],
    unknownFrom: null,
    kind: "single-writer",
    multiWriter: manifest.activeAgentOps !== undefined,
    snapshotInfo: new Map(),
    reader: new OpReader(dir, table, scan.wals.map((w) => w.path), (e) => versions.ids[table.rec(e)]),
    parallel,
    columns: new KeptColumns(),
  };
  history.alive.push(0);
  // Values the parallel scan left on disk: each record's latest version.
  history.head.load = (recs) => {
    const ops = history.reader.many(recs.map((rec) => versions.lastSrc(rec)));
    return recs.map((rec) => ops.get(versions.lastSrc(rec))!.data!);
  };
  try {
    const plan = await planLinks(dir, scan, lanes);
    const snapshotBytes = plan.reduce((sum, p, i) => sum + (i === 0 ? (p.snapshot?.bytes ?? 0) : 0) + (p.next?.bytes ?? 0), 0);
    meter.begin(snapshotBytes + scan.wals.reduce((sum, w) => sum + w.bytes, 0));
    await replayChain(dir, history, plan, sortInMemory, meter);
    // WALs outside the chain (newer than the current snapshot, say): read, but never replayed.
    const inPlan = new Set(plan.flatMap((p) => p.lanes));
    for (const lane of lanes) if (!inPlan.has(lane)) await readWholeLane(dir, history, lane, () => true, meter);
    meter.phase("finishing");
    for (const lane of lanes) {
      if (lane.unreadable) history.warnings.push(unreadableWalWarning(lane.entry, lane.unreadable, lane.end, lane.nextLine, history.links.find((l) => l.wals.includes(lane.entry.path)), lane.live));
    }
    history.kind = storeKind(history);
    markLostWrites(history);
    // Group the versions by record and sort the ids once now, not on the first seek.
    versions.seal();
    versions.sortedRecs();
    trimIndex(history);
  } catch (err) {
    history.reader.close();
    throw err;
  }
  return history;
}

async function replayChain(dir: string, history: History, plan: PlannedLink[], sortInMemory: boolean, meter: BuildMeter): Promise<void> {
  const archive = new ArchiveCheck(await loadArchivedRecords(dir, history));
  const first = plan[0]?.snapshot ?? null;
  const base: Map<string, unknown> | null = first ? await readSnapshot(dir, history, first, meter, PARSE_SHARE) : new Map();
  if (base) indexSnapshot(history, base, first ? first.bytes - Math.floor(PARSE_SHARE * first.bytes) : 0, meter);
  else if (first) meter.read(first.bytes - Math.floor(PARSE_SHARE * first.bytes)); // unreadable: nothing to index
  if (first?.missing) history.unknownFrom = { k: 0, snapshot: first.path };
  const verified: { link: ChainLink; differing: string[]; walsMissing: boolean }[] = [];
  for (const [epoch, planned] of plan.entries()) {
    const startPos = history.timeline.length;
    const nextSnap = planned.next ? await readSnapshot(dir, history, planned.next, meter) : null;
    // A missing snapshot's time is its name's (opslog names it as it writes it): ops after it in a retired WAL are lost whatever it held.
    const missingAt = planned.next?.missing && planned.next.ms !== null ? new Date(planned.next.ms).toISOString() : null;
    const cutoff = planned.next ? history.snapshotInfo.get(planned.next.path)?.timestamp ?? missingAt : null;
    meter.phase("wals");
    await replayLink(dir, history, planned, epoch, cutoff, sortInMemory, meter);
    const link: ChainLink = {
      epoch,
      snapshot: planned.snapshot?.path ?? null,
      wals: planned.lanes.map((l) => l.entry.path),
      next: planned.next?.path ?? null,
      startPos,
      endPos: history.timeline.length,
      missing: planned.live ? [...missingLiveWals(history), ...(planned.snapshot?.missing ? [planned.snapshot.path] : [])] : [],
      verified: planned.live ? "live" : "unverifiable",
      mismatchIds: [],
      mismatchCount: 0,
      droppedWrites: 0,
    };
    // A missing snapshot ends what can be known: every later state starts from it.
    if (planned.next?.missing && !history.unknownFrom) history.unknownFrom = { k: link.endPos, snapshot: planned.next.path };
    if (!planned.live && nextSnap) verified.push({ link, differing: jumpToSnapshot(history, link, nextSnap, archive, compactorOf(plan[epoch + 1])), walsMissing: planned.lanes.length === 0 });
    history.links.push(link);
  }
  // Whether an archived id's value was the link's can be told only once every later archive is known.
  const unaccounted = archive.unaccounted();
  for (const { link, differing, walsMissing } of verified) settleLink(history, link, [...differing, ...(unaccounted.get(link) ?? [])], walsMissing);
  // The scan named the missing snapshot; now the positions that depend on it are known too.
  const unknown = history.unknownFrom;
  const said = unknown ? history.warnings.findIndex((w) => w.code === "missing-file" && w.file === unknown.snapshot) : -1;
  if (unknown && said !== -1) history.warnings[said] = { ...history.warnings[said], message: missingSnapshotMessage(unknown.snapshot, unknown.k) };
}

/**
 * Add a chunk of a lane's ops to the index, and keep their data's values
 * (from the worker's batch they came in, if they did); the ones `replayed`
 * accepts go on to be replayed.
 */
export function addToIndex(history: History, lane: Lane, ops: ScannedOp[], replayed: (op: ScannedOp) => boolean, batch: ScanBatch | null = null): ScannedOp[] {
  const out: ScannedOp[] = [];
  const { versions, parallel } = history;
  for (let j = 0; j < ops.length; j++) {
    const op = ops[j];
    // The worker numbered the batch's records already: no lookup by id.
    const rec = batch ? parallel!.recOf(batch.i32[j * BATCH_I32 + I_REC], versions) : versions.intern(op.id);
    op.id = versions.ids[rec]; // one id string per record, not one per op
    op.agentIdx = history.agents.intern(op.agent);
    op.entry = history.table.add(op, op.agentIdx, rec);
    lane.entries.push(op.entry);
    if (op.tornByUndo) history.tornByUndo.add(op.entry); // opslog skips its whole line: a lost write
    else if (replayed(op)) out.push(op);
  }
  // A chunk's ops are added one after the other: their entries run on from the first's.
  if (batch && ops.length > 0) history.columns.keepScanned(ops[0].entry, batch, parallel!.fields);
  else history.columns.keepParsed(ops, history.table);
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

async function readWholeLane(dir: string, history: History, lane: Lane, lost: (op: ScannedOp) => boolean, meter: BuildMeter): Promise<ScannedOp[]> {
  const reader = await openLane(dir, history, lane);
  const out: ScannedOp[] = [];
  for (let chunk = await reader.next(); chunk; chunk = await reader.next()) {
    countChunk(meter, chunk);
    for (const op of addToIndex(history, lane, chunk, (o) => !lost(o), reader.batch)) out.push(op);
  }
  finishLane(lane, reader);
  return out;
}

/**
 * Replay one link's ops in opslog's order. Ops appended after the next
 * snapshot was taken, and ops in a WAL of the live link that the manifest no
 * longer names, are not replayed: they are lost-write candidates.
 */
async function replayLink(dir: string, history: History, planned: PlannedLink, epoch: number, cutoff: string | null, sortInMemory: boolean, meter: BuildMeter): Promise<void> {
  const cutoffMs = cutoff === null ? NaN : canonicalMs(cutoff);
  const lost = (lane: Lane) => (op: ScannedOp) => (cutoff !== null && writtenAfter(op, cutoff, cutoffMs)) || (planned.live && !lane.live);
  if (sortInMemory) {
    const runs: ScannedOp[] = [];
    for (const lane of planned.lanes) for (const op of await readWholeLane(dir, history, lane, lost(lane), meter)) runs.push(op);
    runs.sort(compareOps); // stable: equal keys keep WAL order
    for (const op of runs) indexOp(history, op, epoch);
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
          countChunk(meter, chunk);
          source.buf = addToIndex(history, lane, chunk, (op) => !isLost(op), reader.batch);
          source.i = 0;
        }
      },
    };
    return source;
  });
  try {
    await mergeInReplayOrder(sources, () => history.agents.ranks, (op) => indexOp(history, op, epoch));
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

/** Index one op at build time (and as the live tail reads it): its timeline place, the record's new version, the current state, and whether it is a conflict. */
export function indexOp(history: History, op: ScannedOp, epoch: number): void {
  const { table, versions, head } = history;
  const pos = history.timeline.length;
  table.place(op.entry, pos, epoch);
  history.timeline.push(op.entry);
  const rec = table.rec(op.entry);
  detectConflict(history, op, rec);
  versions.push(rec, pos + 1, op.entry, op.agentIdx);
  if (op.loaded || op.op === "delete") head.set(rec, op.data);
  else head.setLazy(rec, op.dataHash0, op.dataHash1);
  history.alive.push(head.size);
}

/** The build is over: give back the room left at the end of the index's growable lists. */
function trimIndex(history: History): void {
  history.table.trim();
  history.timeline.trim();
  history.alive.trim();
  history.versions.trim();
  for (const lane of history.lanes) lane.entries.trim();
}

export function storeKind(history: History): StoreKind {
  const total = history.timeline.length;
  if (total === 0 && history.head.size === 0 && !history.unknownFrom) return "empty";
  const live = history.links[history.links.length - 1];
  let withAgent = 0;
  const start = live ? live.startPos : total;
  for (let p = start; p < total; p++) if (history.table.agent(history.timeline.get(p)) !== 0) withAgent++;
  if (history.multiWriter) return withAgent < total - start ? "mixed" : "multi-writer";
  return withAgent > 0 ? "mixed" : "single-writer";
}
