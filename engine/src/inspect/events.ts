/**
 * Archives and compactions as events of the timeline. Neither writes an op:
 * opslog's compact() writes a snapshot and starts a new WAL, and archive()
 * writes the records into a segment and then compacts, so archived records
 * leave the state at the end of a chain link with no delete in any WAL.
 * This file finds, at each link's end, the compaction and the archive, if
 * one ran there: the segment it wrote and the records it moved (as the
 * build read the archives: archive-reading.ts), so that diffs and
 * record histories can say "archived -> segment" where a replay alone would
 * say "deleted". Reads only.
 */
import type { StoreIndex } from "./store-index.js";
import { SNAPSHOT_ABSENT } from "./versions.js";
import type { DiffPage, DiffRow, Doc, EventsRequest, HistoryEntry, TimelineEvent } from "./types.js";

/** Where an archive removed a record: from state k on, it is in `segment`. */
export interface ArchiveMark {
  k: number;
  /** The link whose end it is: several links can end at one position (links without ops) */
  epoch: number;
  segment: string;
  time: string | null;
}

/** An event with every archived id (the API gives the first IDS_SHOWN). */
export type StoreEvent = Omit<TimelineEvent, "archivedIds" | "opsBefore"> & { ids: string[] };

export interface StoreEvents {
  /** In timeline order; at one position, an archive comes before its compaction */
  list: StoreEvent[];
  /** Per record number: the archives that moved it, oldest first */
  marks: Map<number, ArchiveMark[]>;
}

const IDS_SHOWN = 1000;

/** Computed once per built history (a rebuild makes a new one; tailing adds no link ends). */
const cache = new WeakMap<StoreIndex, Promise<StoreEvents>>();

export function eventsOf(dir: string, h: StoreIndex): Promise<StoreEvents> {
  let found = cache.get(h);
  if (!found) cache.set(h, (found = findEvents(dir, h)));
  return found;
}

async function findEvents(_dir: string, h: StoreIndex): Promise<StoreEvents> {
  const marks = new Map<number, ArchiveMark[]>();
  const list: StoreEvent[] = [];
  const readAt = new Map(h.jumps.map((j) => [j.epoch, j.archive]));
  const ended = h.links.filter((link) => link.next !== null);
  for (const link of ended) {
    const time = h.snapshotInfo.get(link.next!)?.timestamp ?? null;
    const opsFolded = link.wals.length === 0 && link.missing.length > 0 ? null : link.endPos - link.startPos;
    const base = { position: link.endPos, epoch: link.epoch, time, snapshot: link.next!, opsFolded, archivedCount: 0 };
    const write = readAt.get(link.epoch) ?? null;
    if (write) {
      list.push({ ...base, kind: "archive", segment: write.segment, ids: write.ids, archivedCount: write.ids.length });
      for (const id of write.ids) {
        const rec = h.versions.recOf(id)!;
        const mark = { k: link.endPos, epoch: link.epoch, segment: write.segment, time };
        const recMarks = marks.get(rec);
        if (recMarks) recMarks.push(mark);
        else marks.set(rec, [mark]);
      }
    }
    list.push({ ...base, kind: "compaction", segment: null, ids: [] });
  }
  return { list, marks };
}

/**
 * The link whose end set version i of rec (a snapshot's value; null: the
 * first snapshot's, or an op's). A link end pushes one version per record it
 * changed, after the ops at that position, so the versions at one position
 * that came from snapshots match, from the last back, the link ends there
 * that changed rec.
 */
export function jumpEpochOf(h: StoreIndex, rec: number, i: number): number | null {
  const { k: ks, src } = h.versions.list(rec);
  if (src[i] >= 0) return null;
  const k = ks[i];
  let after = 0;
  for (let j = i + 1; j < ks.length && ks[j] === k; j++) if (src[j] < 0) after++;
  const atK = h.jumps.filter((jump) => jump.k === k);
  if (atK.length === 1) return after === 0 ? atK[0].epoch : null; // the usual case: no search through its ids
  const id = h.versions.ids.at(rec);
  const jumps = atK.filter((jump) => jump.ids.includes(id));
  return jumps[jumps.length - 1 - after]?.epoch ?? null;
}

/** The archive that moved rec at version i of it (a removal by a snapshot), or null. */
function markOf(events: StoreEvents, h: StoreIndex, rec: number, i: number): ArchiveMark | null {
  const marks = events.marks.get(rec);
  if (!marks) return null;
  const epoch = jumpEpochOf(h, rec, i);
  return marks.find((m) => m.epoch === epoch) ?? null;
}

/** The archive that put rec where it is in state `at` (absent because archived), or null. */
export function archiveMarkAt(events: StoreEvents, h: StoreIndex, rec: number, at: number): ArchiveMark | null {
  if (!events.marks.has(rec)) return null;
  const { k: ks, src } = h.versions.list(rec);
  let i = ks.length - 1;
  while (i >= 0 && ks[i] > at) i--;
  return i >= 0 && src[i] === SNAPSHOT_ABSENT ? markOf(events, h, rec, i) : null;
}

/** Relabel the "removed" rows an archive removed (as of state b), and count the kinds. */
export function labelArchived(events: StoreEvents, h: StoreIndex, refs: { rec: number; kind: DiffRow["kind"]; segment?: string }[], b: number): DiffPage["counts"] {
  const counts = { added: 0, removed: 0, changed: 0, archived: 0 };
  for (const ref of refs) {
    const mark = ref.kind === "removed" ? archiveMarkAt(events, h, ref.rec, b) : null;
    if (mark) {
      ref.kind = "archived";
      ref.segment = mark.segment;
    }
    counts[ref.kind]++;
  }
  return counts;
}

/** The history entry of the archive that removed rec at its version i, if an archive did. */
export function archiveEntry(events: StoreEvents, h: StoreIndex, rec: number, i: number, before: Doc | null): HistoryEntry | null {
  const mark = markOf(events, h, rec, i);
  if (!mark) return null;
  const k = mark.k;
  return { pos: k, ts: mark.time ?? "", agent: null, clock: null, op: "archive", before, after: null, file: mark.segment, line: 0, segment: mark.segment };
}

/**
 * The events for a list of ops filtered by `req`: with an id, only the
 * archives that moved it; with a time range, those inside it. Each says how
 * many of the listed ops (their sorted timeline `positions`; null = all ops)
 * come before it.
 */
export function placeEvents(events: StoreEvents, req: EventsRequest, positions: number[] | null): TimelineEvent[] {
  const from = req.from ? Date.parse(req.from) : NaN;
  const to = req.to ? Date.parse(req.to) : NaN;
  const out: TimelineEvent[] = [];
  for (const { ids, ...event } of events.list) {
    if (req.id && !ids.includes(req.id)) continue;
    const ms = event.time === null ? NaN : Date.parse(event.time);
    if (!Number.isNaN(ms) && (ms < from || ms > to)) continue;
    out.push({ ...event, archivedIds: ids.slice(0, IDS_SHOWN), opsBefore: positions ? lowerBound(positions, event.position) : event.position });
  }
  return out;
}

/** How many of the sorted `values` are below x. */
function lowerBound(values: number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
