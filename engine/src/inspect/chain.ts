/**
 * Plans the history chain: which WALs continue from which snapshot. The
 * live link's WALs are the ones the manifest names (a fact). The manifest
 * names no older link's WALs, so for those the names must do: the published
 * opslog names every WAL by the ms it creates it in, after the snapshot of
 * the link it joins (a compaction writes its snapshot, then its WAL; an
 * agent opening or refreshing reads the manifest, then creates its WAL), so
 * a WAL belongs to the link after the last snapshot named at or before it.
 * Except a WAL a compaction started a few ms before naming its snapshot
 * (this project's engine did so until it was fixed; other writers may
 * still): a WAL named just before a snapshot whose ops were all written
 * after it, by a writer with an older WAL (it had opened the store before
 * it compacted) and no other WAL in the next link, is that snapshot's own
 * WAL, unless a WAL named after that snapshot by the time it was first
 * written to is there (the published opslog's compaction WAL: the one
 * before is an older one, retired). Names are by the ms: two files of one
 * ms cannot be ordered, a known fault of opslog 0.8.1. Reads at most the
 * first line of such WALs; never writes.
 * Then verifies each link: replaying it must give the snapshot that follows,
 * but for records dropped by a compaction that had not seen them (lost
 * writes) or archived (archive-ends.ts, once the whole chain is read); the
 * timeline follows the snapshot either way.
 */
import { open } from "node:fs/promises";
import { isDeepStrictEqual } from "node:util";
import { join } from "node:path";
import { readSnapshotFile } from "../snapshot.js";
import type { OnShareParsed } from "../snapshot.js";
import type { StoreIndex, Lane } from "./store-index.js";
import type { SegmentNow } from "./archive-reading.js";
import { jsonEqual } from "./json.js";
import { unseenByCompaction } from "./lost-writes.js";
import type { DirectoryScan, FileEntry, WalEntry } from "./scan.js";
import { unreadableSnapshotWarning } from "./unreadable.js";
import { unreadableFrom } from "./walscan.js";
import type { ChainLink, Doc } from "./types.js";

export interface PlannedLink {
  snapshot: FileEntry | null;
  next: FileEntry | null;
  lanes: Lane[];
  live: boolean;
}

/** How far before its snapshot's a compaction's WAL name may be and still be that snapshot's. */
export const WAL_BEFORE_SNAPSHOT_MS = 10;

/** Group WALs under the snapshot they continue from. */
export async function planLinks(dir: string, scan: DirectoryScan, lanes: Lane[]): Promise<PlannedLink[]> {
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
  await moveEarlyNamedWals(dir, links);
  return links;
}

/** Move each WAL named a few ms before the snapshot it continues from into that snapshot's link. */
async function moveEarlyNamedWals(dir: string, links: PlannedLink[]): Promise<void> {
  for (let i = 0; i + 1 < links.length; i++) {
    const link = links[i];
    const after = links[i + 1];
    // The live link's WALs are the ones the manifest names, whatever their names say.
    if (after.live || !link.next || link.next.ms === null) continue;
    const snapMs = link.next.ms;
    for (const lane of [...link.lanes]) {
      const ms = lane.entry.ms;
      if (ms === null || ms >= snapMs || ms < snapMs - WAL_BEFORE_SNAPSHOT_MS) continue;
      // A writer starts one WAL per link: a second one of its own there means this one is older.
      if (after.lanes.some((l) => l.entry.agent === lane.entry.agent)) continue;
      // A compaction's WAL is its writer's second at least: opening the store registered one before it could compact.
      if (!links.some((l) => l.lanes.some((o) => o !== lane && o.entry.agent === lane.entry.agent && o.entry.ms !== null && o.entry.ms < ms))) continue;
      const first = await firstOpMs(dir, lane.entry);
      if (first === null || first < snapMs) continue;
      // The published opslog names a compaction's WAL after its snapshot (however slowly that goes): a WAL named after the snapshot, by the time this one was first written to, is that compaction's, and this one is older (retired).
      if (after.lanes.some((l) => l.entry.ms !== null && l.entry.ms >= snapMs && l.entry.ms <= first)) continue;
      link.lanes.splice(link.lanes.indexOf(lane), 1);
      after.lanes.unshift(lane);
    }
  }
}

const FIRST_LINE_MAX = 1024 * 1024;

/** When the WAL's first op was written (Infinity: it has none yet); null when that cannot be read. */
async function firstOpMs(dir: string, entry: WalEntry): Promise<number | null> {
  if (entry.bytes === 0) return Infinity;
  let file;
  try {
    file = await open(join(dir, entry.path), "r");
    const buf = Buffer.alloc(Math.min(entry.bytes, FIRST_LINE_MAX));
    const { bytesRead } = await file.read(buf, 0, buf.length, 0);
    const text = buf.toString("utf-8", 0, bytesRead);
    const end = text.indexOf("\n");
    const op = JSON.parse(end === -1 ? text : text.slice(0, end)) as { ts?: unknown };
    const ms = typeof op.ts === "string" ? Date.parse(op.ts) : NaN;
    return Number.isNaN(ms) ? null : ms;
  } catch {
    return null; // unreadable or malformed: keep the plan the names give
  } finally {
    await file?.close();
  }
}

export async function loadSnapshot(dir: string, history: StoreIndex, entry: FileEntry, onShare?: OnShareParsed): Promise<Map<string, unknown> | null> {
  if (entry.missing) {
    history.snapshotInfo.set(entry.path, { timestamp: null, records: null, format: null }); // warned about by the scan
    return null;
  }
  try {
    const snap = await readSnapshotFile(join(dir, entry.path), onShare);
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

/** The agent that wrote a link's snapshot: the compaction starts the first WAL named after it (null: not known). */
export function compactorOf(planned: PlannedLink | undefined): string | null {
  let first: Lane | null = null;
  for (const lane of planned?.lanes ?? []) if (lane.entry.ms !== null && (first === null || lane.entry.ms < first.entry.ms!)) first = lane;
  return first?.entry.agent ?? null;
}

export function missingLiveWals(history: StoreIndex): string[] {
  return history.warnings.filter((w) => w.code === "missing-file" && w.file?.startsWith("ops/")).map((w) => w.file!);
}

/** From state k on, id has the value a snapshot gave it (null: absent). */
export function setFromSnapshot(history: StoreIndex, id: string, k: number, value: Doc | null): void {
  const rec = history.versions.intern(id);
  history.versions.push(rec, k, history.versions.snapshotSrc(value));
  history.head.set(rec, value);
  history.alive.set(k, history.head.size);
}

/** A link's end whose snapshot left out records: what reading the archives (archive-reading.ts) needs of it, kept until the chain is read. */
export interface LeftOut {
  link: ChainLink;
  compactor: string | null;
  startMs: number;
  endMs: number;
  /** The ids the snapshot left out */
  removed: string[];
  /** id -> the segments (by index) that hold the very value it had here */
  sameIn: Map<string, Set<number>>;
}

/**
 * Continue from the snapshot that follows a link; returns the ids whose
 * replayed value differs from the snapshot's (which it holds) that a
 * compaction's blind spot (lost writes) does not explain, and the ids it
 * left out: whether an archive moved them is read once the whole chain is
 * (archive-ends.ts).
 */
export function jumpToSnapshot(history: StoreIndex, link: ChainLink, next: Map<string, unknown>, segments: SegmentNow[], compactor: string | null): { differing: string[]; leftOut: LeftOut } {
  const k = history.timeline.length;
  const differing: string[] = [];
  const changed: string[] = [];
  const { head, versions } = history;
  head.materialize();
  const startMs = link.snapshot === null ? NaN : Date.parse(history.snapshotInfo.get(link.snapshot)?.timestamp ?? "");
  const endMs = link.next === null ? NaN : Date.parse(history.snapshotInfo.get(link.next)?.timestamp ?? "");
  for (const [id, value] of next) {
    const rec = versions.recOf(id);
    if (!isDeepStrictEqual(rec === undefined ? undefined : head.get(rec), value)) differing.push(id);
  }
  const leftOut: LeftOut = { link, compactor, startMs, endMs, removed: [], sameIn: new Map() };
  for (const [rec, value] of head.entries()) {
    const id = versions.ids.at(rec);
    if (next.has(id)) continue;
    leftOut.removed.push(id);
    // Kept now, as the value it had is gone from the state once the snapshot is followed.
    segments.forEach((s, i) => {
      if (!Object.hasOwn(s.records, id) || !jsonEqual(s.records[id], value)) return;
      const same = leftOut.sameIn.get(id);
      if (same) same.add(i);
      else leftOut.sameIn.set(id, new Set([i]));
    });
  }
  for (const id of differing) changed.push(id);
  for (const id of leftOut.removed) changed.push(id); // not push(...): a spread overflows the stack past ~120k ids
  const droppedBefore = history.dropped.size;
  const unseen = unseenByCompaction(history, link, differing, next, compactor);
  link.droppedWrites = history.dropped.size - droppedBefore;
  for (const id of changed) setFromSnapshot(history, id, k, (next.get(id) as Doc | undefined) ?? null);
  if (changed.length > 0) history.jumps.push({ k, ids: changed, epoch: link.epoch, removed: leftOut.removed, archive: null });
  return { differing: differing.filter((id) => !unseen.has(id)), leftOut };
}

/** A link's verdict, from the ids nothing explains, with a warning when it is not "ok". */
export function settleLink(history: StoreIndex, link: ChainLink, differing: string[], walsMissing: boolean): void {
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
