/**
 * Builds the store's whole history from what is on disk: the chain
 * snapshot -> WALs -> next snapshot -> ... back to creation, replayed in
 * opslog's order into per-record versions, with each link verified, and
 * conflicts and lost writes found on the way. Reads only; never writes.
 */
import { isDeepStrictEqual } from "node:util";
import { join } from "node:path";
import { readArchiveSegmentFile } from "../archive.js";
import { readSnapshotFile } from "../snapshot.js";
import { mergeInReplayOrder } from "./order.js";
import { scanDirectory } from "./scan.js";
import type { DirectoryScan, FileEntry, WalEntry } from "./scan.js";
import { readWalLines } from "./walscan.js";
import type { ScannedOp, SkippedWalLine } from "./walscan.js";
import { RecordVersions } from "./versions.js";
import type { VersionList } from "./versions.js";
import { ConflictFinder } from "./conflicts.js";
import type { ChainLink, Conflict, Doc, StoreKind, StoreWarning } from "./types.js";

/** An op with its timeline place (pos, epoch, lost), as the index keeps it. */
export type IndexedOp = ScannedOp;

export interface Lane {
  entry: WalEntry;
  named: boolean;
  live: boolean;
  ops: IndexedOp[];
  skipped: SkippedWalLine[];
  /** Where the next tail read starts */
  end: number;
  nextLine: number;
}

export interface History {
  scan: DirectoryScan;
  lanes: Lane[];
  timeline: IndexedOp[];
  links: ChainLink[];
  versions: RecordVersions;
  head: Map<string, Doc>;
  /** alive[k] = number of records in state k (the state after k timeline ops) */
  alive: number[];
  conflicts: ConflictFinder;
  lost: IndexedOp[];
  /** State indexes where a snapshot replaced the replayed state, and the ids it changed */
  jumps: { k: number; ids: string[] }[];
  warnings: StoreWarning[];
  kind: StoreKind;
  multiWriter: boolean;
  snapshotInfo: Map<string, { timestamp: string | null; records: number | null; format: "json" | "jsonl" | null }>;
}

interface PlannedLink {
  snapshot: FileEntry | null;
  next: FileEntry | null;
  lanes: Lane[];
  live: boolean;
}

export async function buildHistory(dir: string): Promise<History> {
  const scan = await scanDirectory(dir);
  const { manifest } = scan;
  const named = new Set([manifest.activeOps, ...Object.values(manifest.activeAgentOps ?? {})]);
  const liveWals = new Set(manifest.activeAgentOps ? Object.values(manifest.activeAgentOps) : [manifest.activeOps]);
  const lanes: Lane[] = [];
  const warnings = [...scan.warnings];
  for (const [fileIdx, entry] of scan.wals.entries()) {
    const read = await readWalLines(dir, entry.path, fileIdx, 0, 1, false);
    const lane: Lane = { entry, named: named.has(entry.path), live: liveWals.has(entry.path), ops: read.ops, skipped: read.skipped, end: read.end, nextLine: read.nextLine };
    if (read.end < entry.bytes) lane.skipped.push({ line: read.nextLine, reason: "incomplete last line: a crash mid-append, or a write in progress", torn: true });
    lanes.push(lane);
    for (const s of lane.skipped) warnings.push(skippedWarning(entry.path, s));
  }
  const history: History = {
    scan,
    lanes,
    timeline: [],
    links: [],
    versions: new RecordVersions(),
    head: new Map(),
    alive: [0],
    conflicts: new ConflictFinder(),
    lost: [],
    jumps: [],
    warnings,
    kind: "single-writer",
    multiWriter: manifest.activeAgentOps !== undefined,
    snapshotInfo: new Map(),
  };
  await replayChain(dir, history, planLinks(scan, lanes));
  history.kind = storeKind(history);
  markLostWrites(history);
  history.versions.ids(); // sort the ids once now, not on the first seek
  return history;
}

export function skippedWarning(path: string, s: SkippedWalLine): StoreWarning {
  return s.torn
    ? { code: "torn-line", severity: "warning", file: path, line: s.line, message: `${path}:${s.line}: ${s.reason}. opslog skips this line; if no writer is running, it was never saved.` }
    : { code: "malformed-line", severity: "warning", file: path, line: s.line, message: `${path}:${s.line} is skipped by opslog: ${s.reason}.` };
}

/** Group WALs under the snapshot they continue from, by the ms timestamps in their names. */
function planLinks(scan: DirectoryScan, lanes: Lane[]): PlannedLink[] {
  const current = scan.manifest.currentSnapshot;
  const currentIdx = scan.snapshots.findIndex((s) => s.path === current);
  // Snapshots after the current one are not part of the history (a compaction in progress).
  const chain = currentIdx === -1 ? [] : scan.snapshots.slice(0, currentIdx + 1);
  const links: PlannedLink[] = [];
  const first = chain[0]?.ms ?? Infinity;
  const early = lanes.filter((l) => (l.entry.ms ?? 0) < first && !l.live);
  if (early.length > 0) links.push({ snapshot: null, next: chain[0] ?? null, lanes: early, live: false });
  chain.forEach((snapshot, i) => {
    const next = chain[i + 1] ?? null;
    const live = next === null;
    const inRange = lanes.filter((l) => {
      if (l.live) return live;
      const ms = l.entry.ms ?? 0;
      return ms >= snapshot.ms! && (next === null || ms < next.ms!);
    });
    links.push({ snapshot, next, lanes: inRange, live });
  });
  return links;
}

async function loadSnapshot(dir: string, history: History, entry: FileEntry): Promise<Map<string, unknown> | null> {
  try {
    const snap = await readSnapshotFile(join(dir, entry.path));
    history.snapshotInfo.set(entry.path, { timestamp: snap.timestamp, records: snap.records.size, format: snap.format });
    return snap.records;
  } catch (err) {
    history.snapshotInfo.set(entry.path, { timestamp: null, records: null, format: null });
    const current = entry.path === history.scan.manifest.currentSnapshot;
    history.warnings.push({ code: "unreadable-file", severity: current ? "error" : "warning", file: entry.path, message: `${(err as Error).message}${current ? " The current state below is rebuilt without it and may be incomplete." : ""}` });
    return null;
  }
}

async function replayChain(dir: string, history: History, plan: PlannedLink[]): Promise<void> {
  const archived = await loadArchivedRecords(dir, history);
  const base: Map<string, unknown> | null = plan[0]?.snapshot ? await loadSnapshot(dir, history, plan[0].snapshot) : new Map();
  if (base) for (const [id, value] of base) setValue(history, id, 0, value as Doc, -1);
  for (const [epoch, planned] of plan.entries()) {
    const startPos = history.timeline.length;
    const nextSnap = planned.next ? await loadSnapshot(dir, history, planned.next) : null;
    const cutoff = planned.next ? history.snapshotInfo.get(planned.next.path)?.timestamp ?? null : null;
    replayLink(history, planned, epoch, cutoff);
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
    };
    if (!planned.live && nextSnap) jumpToSnapshot(history, link, nextSnap, planned.lanes.length === 0, archived);
    history.links.push(link);
  }
}

/** Every archived record (later segments win), to tell archiving from damage. */
async function loadArchivedRecords(dir: string, history: History): Promise<Map<string, unknown>> {
  const archived = new Map<string, unknown>();
  for (const entry of history.scan.archives) {
    try {
      const segment = await readArchiveSegmentFile(join(dir, entry.path));
      for (const [id, value] of Object.entries(segment.records)) archived.set(id, value);
    } catch (err) {
      history.warnings.push({ code: "unreadable-file", severity: "warning", file: entry.path, message: (err as Error).message });
    }
  }
  return archived;
}

function missingLiveWals(history: History): string[] {
  return history.warnings.filter((w) => w.code === "missing-file" && w.file?.startsWith("ops/")).map((w) => w.file!);
}

/** Replay one link's ops in opslog's order; ops appended after the next snapshot was taken are lost. */
function replayLink(history: History, planned: PlannedLink, epoch: number, cutoff: string | null): void {
  const runs: IndexedOp[][] = [];
  for (const lane of planned.lanes) {
    const run: IndexedOp[] = [];
    for (const op of lane.ops) {
      if (cutoff !== null && op.ts > cutoff) op.lost = true;
      else if (!planned.live || lane.live) run.push(op);
      else op.lost = true; // a WAL of the live link that the manifest does not name
    }
    runs.push(run);
  }
  for (const op of mergeInReplayOrder(runs)) appendToTimeline(history, op, epoch);
}

export function appendToTimeline(history: History, op: IndexedOp, epoch: number): void {
  const pos = history.timeline.length;
  op.pos = pos;
  op.epoch = epoch;
  const list = setValue(history, op.id, pos + 1, op.data, pos);
  op.id = list.id; // share one id string per record, not one per op
  const lastPos = list.pos.length > 1 ? list.pos[list.pos.length - 2] : -1;
  history.conflicts.observe(op, lastPos >= 0 ? history.timeline[lastPos] : null);
  history.timeline.push(op);
  op.rawPrev = null; // recoverable from the versions; dropping it halves the index's memory
}

/** Returns id's version list (pos -1 marks a version a snapshot set). */
function setValue(history: History, id: string, k: number, value: Doc | null, pos: number): VersionList {
  const list = history.versions.push(id, k, value, pos);
  if (value === null) history.head.delete(id);
  else history.head.set(id, value);
  history.alive[k] = history.head.size;
  return list;
}

/** Verify a link against the snapshot that follows it, then continue from that snapshot. */
function jumpToSnapshot(history: History, link: ChainLink, next: Map<string, unknown>, walsMissing: boolean, archived: Map<string, unknown>): void {
  const k = history.timeline.length;
  const differing: string[] = [];
  const changed: string[] = [];
  for (const [id, value] of next) if (!isDeepStrictEqual(history.head.get(id), value)) differing.push(id);
  for (const [id, value] of history.head) {
    if (next.has(id)) continue;
    changed.push(id);
    // store.archive() removes records without an op: gone into an archive segment is not a mismatch.
    if (!isDeepStrictEqual(archived.get(id), value)) differing.push(id);
  }
  changed.push(...differing.filter((id) => next.has(id)));
  for (const id of changed) setValue(history, id, k, (next.get(id) as Doc | undefined) ?? null, -1);
  if (changed.length > 0) history.jumps.push({ k, ids: changed });
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

/** Lost: not part of the history, and the current state does not hold what they wrote. */
function markLostWrites(history: History): void {
  for (const lane of history.lanes) {
    for (const op of lane.ops) {
      if (op.pos !== null) continue;
      op.lost = true;
      const now = history.head.get(op.id) ?? null;
      const holds = op.op === "set" ? isDeepStrictEqual(now, op.data) : now === null;
      if (!holds) history.lost.push(op);
    }
  }
  if (history.lost.length > 0) {
    const files = [...new Set(history.lost.map((op) => history.scan.wals[op.fileIdx].path))];
    history.warnings.push({ code: "lost-writes", severity: "warning", message: `${history.lost.length} write(s) in ${files.join(", ")} are not part of the store: their agent kept appending to a WAL that a compaction had already retired. Their writers believe them saved.` });
  }
}

function storeKind(history: History): StoreKind {
  if (history.timeline.length === 0 && history.head.size === 0) return "empty";
  const live = history.links[history.links.length - 1];
  let withAgent = 0;
  const start = live ? live.startPos : history.timeline.length;
  for (let p = start; p < history.timeline.length; p++) if (history.timeline[p].agent !== null) withAgent++;
  if (history.multiWriter) return withAgent < history.timeline.length - start ? "mixed" : "multi-writer";
  return withAgent > 0 ? "mixed" : "single-writer";
}

export type { Conflict };
