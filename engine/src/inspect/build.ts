/**
 * Builds the store's history index from what is on disk, the one owner of
 * it: the chain snapshot -> WALs -> next snapshot -> ... back to creation,
 * each op indexed in opslog's replay order into per-record versions, each
 * link verified (chain.ts), conflicts and lost writes found on the way. The
 * WALs stream through once (link-replay.ts), merged as they are read; each op leaves a compact
 * entry in the op index (OpTable) and the short values and hash of its data
 * (KeptColumns), and its data is dropped, except the current value of each
 * record. Reads only; never writes.
 */
import { compactorOf, jumpToSnapshot, missingLiveWals, planLinks, settleLink } from "./chain.js";
import { settleArchives } from "./archive-ends.js";
import { readSegmentsNow } from "./archive-reading.js";
import type { LeftOut, PlannedLink } from "./chain.js";
import { EntryRuns } from "./entry-runs.js";
import type { StoreIndex, Lane, ParallelMode } from "./store-index.js";
import { readWholeLane, replayLink } from "./link-replay.js";
import { markLostWrites } from "./lost-writes.js";
import { AgentTable, IntList, OpTable } from "./optable.js";
import { OpReader } from "./opreader.js";
import { OutOfOrder } from "./order.js";
import { KeptColumns } from "./kept-columns.js";
import { ParallelScan } from "./parallel.js";
import { BuildMeter } from "./progress.js";
import { PARSE_SHARE, indexSnapshot, readSnapshot } from "./metered-reads.js";
import type { OnBuildProgress } from "./progress.js";
import { missingSnapshotMessage, scanDirectory } from "./scan.js";
import type { DirectoryScan } from "./scan.js";
import { ScanWorkerFailed } from "./scan-protocol.js";
import { unreadableWalWarning } from "./unreadable.js";
import type { WalCuts } from "./wal-segments.js";
import { CurrentState, RecordVersions } from "./versions.js";
import type { ChainLink, StoreKind } from "./types.js";

/**
 * The history of the store in `dir`. WALs are merged as they stream in; if
 * one turns out not to be in clock order, the build starts over and sorts
 * each link's ops in memory instead (slower, and rare: opslog never writes that).
 */
export async function buildHistory(dir: string, parallel: ParallelMode = "auto", onProgress?: OnBuildProgress, cuts?: WalCuts): Promise<StoreIndex> {
  const meter = new BuildMeter(onProgress);
  for (let sortInMemory = false; ; ) {
    try {
      return await build(dir, sortInMemory, parallel, meter, cuts);
    } catch (err) {
      if (err instanceof OutOfOrder && !sortInMemory) sortInMemory = true;
      else if (err instanceof ScanWorkerFailed && parallel === "auto") parallel = "never";
      else throw err;
    }
  }
}

const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;

async function build(dir: string, sortInMemory: boolean, mode: ParallelMode, meter: BuildMeter, cuts?: WalCuts): Promise<StoreIndex> {
  const scan = await scanDirectory(dir);
  const walBytes = scan.wals.reduce((sum, w) => sum + w.bytes, 0);
  const parallel = mode === "always" || (mode === "auto" && walBytes >= PARALLEL_MIN_BYTES) ? ParallelScan.start(cuts) : null;
  try {
    const history = await buildFrom(dir, scan, sortInMemory, parallel, meter);
    history.parallel = null; // the workers are for the build: tailing reads in this thread
    return history;
  } finally {
    await parallel?.close();
  }
}

async function buildFrom(dir: string, scan: DirectoryScan, sortInMemory: boolean, parallel: ParallelScan | null, meter: BuildMeter): Promise<StoreIndex> {
  const { manifest } = scan;
  const named = new Set([manifest.activeOps, ...Object.values(manifest.activeAgentOps ?? {})]);
  const liveWals = new Set(manifest.activeAgentOps ? Object.values(manifest.activeAgentOps) : [manifest.activeOps]);
  const lanes: Lane[] = scan.wals.map((entry) => ({ entry, named: named.has(entry.path), live: liveWals.has(entry.path), entries: new EntryRuns(), skipped: [], end: 0, nextLine: 1 }));
  const table = new OpTable();
  const timeline = new IntList();
  const versions = new RecordVersions(table, timeline);
  const history: StoreIndex = {
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
    reader: new OpReader(dir, table, scan.wals.map((w) => w.path), (e) => versions.ids.at(table.rec(e))),
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

async function replayChain(dir: string, history: StoreIndex, plan: PlannedLink[], sortInMemory: boolean, meter: BuildMeter): Promise<void> {
  const segments = await readSegmentsNow(dir, history, (file, err) => history.warnings.push({ code: "unreadable-file", severity: "warning", file, message: err.message }));
  const ends: LeftOut[] = [];
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
    if (!planned.live && nextSnap) {
      const { differing, leftOut } = jumpToSnapshot(history, link, nextSnap, segments, compactorOf(plan[epoch + 1]));
      verified.push({ link, differing, walsMissing: planned.lanes.length === 0 });
      ends.push(leftOut);
    }
    history.links.push(link);
  }
  // Which records an archive moved can be told only once every later archive is known: a reused segment holds the last one's values.
  const unaccounted = settleArchives(history, ends, segments);
  for (const { link, differing, walsMissing } of verified) settleLink(history, link, [...differing, ...(unaccounted.get(link) ?? [])], walsMissing);
  // The scan named the missing snapshot; now the positions that depend on it are known too.
  const unknown = history.unknownFrom;
  const said = unknown ? history.warnings.findIndex((w) => w.code === "missing-file" && w.file === unknown.snapshot) : -1;
  if (unknown && said !== -1) history.warnings[said] = { ...history.warnings[said], message: missingSnapshotMessage(unknown.snapshot, unknown.k) };
}

/** The build is over: give back the room left at the end of the index's growable lists. */
function trimIndex(history: StoreIndex): void {
  history.table.trim();
  history.timeline.trim();
  history.alive.trim();
  history.versions.trim();
  for (const lane of history.lanes) lane.entries.trim();
}

/**
 * What kind of store the history shows, from its live link's ops. `known`:
 * the kind of the same history up to timeline position `until` (the live
 * tail's ops came after it), so only the ops after it are looked at.
 */
export function storeKind(history: StoreIndex, known?: { kind: StoreKind; until: number }): StoreKind {
  const total = history.timeline.length;
  if (total === 0 && history.head.size === 0 && !history.unknownFrom) return "empty";
  const live = history.links[history.links.length - 1];
  let withAgent = 0;
  let start = live ? live.startPos : total;
  // The live link's ops so far all had an agent ("multi-writer") or none had ("single-writer"); "mixed" stays mixed.
  const resumable = known && known.kind !== "empty" && known.until >= start && known.until <= total;
  if (resumable && known.kind === "mixed") return "mixed";
  if (resumable) start = known.until;
  for (let p = start; p < total; p++) if (history.table.agent(history.timeline.get(p)) !== 0) withAgent++;
  if (history.multiWriter) return withAgent < total - start || (resumable && known.kind !== "multi-writer") ? "mixed" : "multi-writer";
  return withAgent > 0 || (resumable && known.kind !== "single-writer") ? "mixed" : "single-writer";
}
