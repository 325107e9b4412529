/**
 * Replaying a link's WALs into the index, the build's inner loop: each WAL
 * is read (through the scan workers when there are any, else in this
 * thread), each chunk of its ops added to the op index with its kept values,
 * and the ops merged in opslog's replay order and indexed one by one: a
 * timeline place, the record's new version, the current state, conflicts.
 * The live tail (live.ts) adds and indexes the ops it reads the same way.
 * Reads only; never writes.
 */
import type { PlannedLink } from "./chain.js";
import { detectConflict } from "./conflicts.js";
import type { StoreIndex, Lane } from "./store-index.js";
import { compareOps, mergeInReplayOrder } from "./order.js";
import type { MergeSource } from "./order.js";
import type { LaneSource } from "./parallel.js";
import type { BuildMeter } from "./progress.js";
import { countChunk } from "./metered-reads.js";
import { BATCH_I32, I_REC } from "./scan-protocol.js";
import type { ScanBatch } from "./scan-protocol.js";
import type { ScanThread } from "./scan-thread.js";
import { canonicalMs } from "./time.js";
import { LaneReader } from "./walscan.js";
import type { ScannedOp, SkippedWalLine } from "./walscan.js";
import { keepParsed } from "./index-cache-columns.js";

/**
 * Add a chunk of a lane's ops to the index, and keep their data's values
 * (from the worker's batch they came in, if they did: `thread` sent it); the
 * ones `replayed` accepts go on to be replayed.
 */
export function addToIndex(history: StoreIndex, lane: Lane, ops: ScannedOp[], replayed: (op: ScannedOp) => boolean, batch: ScanBatch | null = null, thread?: ScanThread): ScannedOp[] {
  const out: ScannedOp[] = [];
  const { versions } = history;
  for (let j = 0; j < ops.length; j++) {
    const op = ops[j];
    // The worker numbered the batch's records already: no lookup by id.
    const rec = batch ? thread!.recOf(batch.i32[j * BATCH_I32 + I_REC], versions) : versions.intern(op.id);
    op.id = versions.ids.at(rec); // one id string per record, not one per op
    op.agentIdx = history.agents.intern(op.agent);
    op.entry = history.table.add(op, op.agentIdx, rec);
    lane.entries.push(op.entry);
    if (op.lineHash) lane.lastLong = { entry: op.entry, hash: op.lineHash };
    if (op.tornByUndo) history.tornByUndo.add(op.entry); // opslog skips its whole line: a lost write
    else if (replayed(op)) out.push(op);
  }
  // A chunk's ops are added one after the other: their entries run on from the first's.
  if (batch && ops.length > 0) history.columns.keepScanned(ops[0].entry, batch, thread!.fields);
  else keepParsed(history, ops); // while a cached index's columns are still in the cache file (index-cache-columns.ts), once they are in
  return out;
}

/** Read a lane from its start: through the workers if there are any. */
function openLane(dir: string, history: StoreIndex, lane: Lane): LaneSource {
  const fileIdx = history.lanes.indexOf(lane);
  return history.parallel ? history.parallel.lane(dir, lane.entry.path, fileIdx, lane.entry.bytes) : new LaneReader(dir, lane.entry.path, fileIdx, 0, 1, false);
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

export async function readWholeLane(dir: string, history: StoreIndex, lane: Lane, lost: (op: ScannedOp) => boolean, meter: BuildMeter): Promise<ScannedOp[]> {
  const reader = openLane(dir, history, lane);
  const out: ScannedOp[] = [];
  for (let chunk = await reader.next(); chunk; chunk = await reader.next()) {
    countChunk(meter, chunk);
    for (const op of addToIndex(history, lane, chunk, (o) => !lost(o), reader.batch, reader.thread)) out.push(op);
  }
  finishLane(lane, reader);
  return out;
}

/**
 * Replay one link's ops in opslog's order. Ops appended after the next
 * snapshot was taken, and ops in a WAL of the live link that the manifest no
 * longer names, are not replayed: they are lost-write candidates.
 */
export async function replayLink(dir: string, history: StoreIndex, planned: PlannedLink, epoch: number, cutoff: string | null, sortInMemory: boolean, meter: BuildMeter): Promise<void> {
  const cutoffMs = cutoff === null ? NaN : canonicalMs(cutoff);
  const lost = (lane: Lane) => (op: ScannedOp) => (cutoff !== null && writtenAfter(op, cutoff, cutoffMs)) || (planned.live && !lane.live);
  if (sortInMemory) {
    const runs: ScannedOp[] = [];
    for (const lane of planned.lanes) for (const op of await readWholeLane(dir, history, lane, lost(lane), meter)) runs.push(op);
    runs.sort(compareOps); // stable: equal keys keep WAL order
    for (const op of runs) indexOp(history, op, epoch);
    return;
  }
  const readers = planned.lanes.map((lane) => openLane(dir, history, lane));
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
          source.buf = addToIndex(history, lane, chunk, (op) => !isLost(op), reader.batch, reader.thread);
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
export function indexOp(history: StoreIndex, op: ScannedOp, epoch: number): void {
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
