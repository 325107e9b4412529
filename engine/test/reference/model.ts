/**
 * The reference model of a store: the plainest replay of what files.ts read.
 * The chain runs snapshot -> its WALs -> next snapshot (a WAL belongs to the
 * last snapshot named before it; the live link takes the WALs the manifest
 * names). Each link's ops are merged by (clock, agent), file order breaking
 * ties; an op written after the next snapshot was taken is not replayed, nor
 * is an op in a WAL the manifest no longer names. The state after every
 * position is kept whole (slow, and obviously right); at a link's end the
 * state becomes the next snapshot, and what changed there is told apart:
 * records an archive moved (as its journal, from the library's own calls,
 * says), and writes the compaction had not seen. Lost writes and conflicts
 * follow the explorer's stated definitions (README, lost-writes.ts and
 * conflicts.ts doc comments), written here anew.
 */
import { readFiles } from "./files.js";
import type { Doc, RefFiles, RefOp, RefSnapshot, RefWal } from "./files.js";
import { jsonEq, resolvePrev } from "./json.js";

/** What one archive() call did, as the program saw it through the published library. */
export interface ArchiveJournal {
  /** The snapshot its compaction wrote (manifest.currentSnapshot right after) */
  snapshot: string;
  segment: string;
  /** The ids it moved, with the values it moved */
  moved: Map<string, Doc>;
}

export interface ModelOp extends RefOp {
  pos: number;
  epoch: number;
}

export interface ModelLink {
  epoch: number;
  snapshot: string | null;
  next: string | null;
  wals: string[];
  startPos: number;
  endPos: number;
  /** Ids whose change at the link's end nothing explains */
  unexplained: string[];
  dropped: number;
}

export interface ModelEvent {
  kind: "archive" | "compaction";
  position: number;
  epoch: number;
  time: string;
  snapshot: string;
  segment: string | null;
  /**
   * An archive's segments the files cannot tell from `segment` (the one the
   * program's journal says it wrote): see possibleSegments. A reader of the
   * files may name any of them.
   */
  alsoPossible: string[];
  ids: string[];
  opsFolded: number;
}

export type LostReason = "retired-wal" | "unseen-by-compaction" | "torn-by-undo";

export interface ModelLost {
  op: RefOp;
  pos: number | null;
  reason: LostReason;
  heldAnyway: boolean;
}

export interface ModelConflict {
  winner: ModelOp;
  loser: ModelOp;
}

/** One record's version: from state k on it holds value (null: absent), set by an op, a snapshot, or an archive. */
export interface Version {
  k: number;
  value: Doc | null;
  by: { op: ModelOp } | { archive: ModelEvent } | { snapshot: string };
}

export interface Model {
  dir: string;
  files: RefFiles;
  timeline: ModelOp[];
  /** states[p]: the records after p ops (jumps to a snapshot included) */
  states: Map<string, Doc>[];
  links: ModelLink[];
  events: ModelEvent[];
  versions: Map<string, Version[]>;
  lost: ModelLost[];
  conflicts: ModelConflict[];
  /** Each WAL's ops in file order, torn-recovered ones in their line's place */
  laneOps: Map<string, RefOp[]>;
  multiWriter: boolean;
}

const ms = (ts: string) => Date.parse(ts);
const byName = (a: string | null, b: string | null) => ((a ?? "") < (b ?? "") ? -1 : (a ?? "") > (b ?? "") ? 1 : 0);

export async function readModel(dir: string, journal: ArchiveJournal[] = []): Promise<Model> {
  return buildModel(dir, await readFiles(dir), journal);
}

export function buildModel(dir: string, files: RefFiles, journal: ArchiveJournal[]): Model {
  const { manifest, snapshots, wals } = files;
  const multiWriter = manifest.activeAgentOps !== undefined;
  const liveNames = new Set(multiWriter ? Object.values(manifest.activeAgentOps!) : [manifest.activeOps]);
  const chain = snapshots.slice(0, snapshots.findIndex((s) => s.path === manifest.currentSnapshot) + 1);
  const model: Model = { dir, files, timeline: [], states: [], links: [], events: [], versions: new Map(), lost: [], conflicts: [], laneOps: new Map(), multiWriter };
  const notReplayed = new Set<RefOp>();
  const dropped = new Set<RefOp>();
  let state = new Map<string, Doc>(chain[0]?.records ?? []);
  for (const [id, value] of state) model.versions.set(id, [{ k: 0, value, by: { snapshot: chain[0].path } }]);
  model.states.push(new Map(state));
  const lastWriter = new Map<string, ModelOp | null>();
  /** id -> the values it had each time a link's end left it out */
  const removedEarlier = new Map<string, Doc[]>();

  chain.forEach((snap, epoch) => {
    const next = chain[epoch + 1] ?? null;
    const live = next === null;
    const linkWals = wals.filter((w) => (live ? w.ms >= snap.ms || liveNames.has(w.path) : !liveNames.has(w.path) && w.ms >= snap.ms && w.ms < next.ms));
    const replayed: RefOp[] = [];
    for (const wal of linkWals) {
      for (const op of wal.ops) {
        const after = next !== null && ms(op.ts) > ms(next.timestamp);
        if (after || (live && !liveNames.has(wal.path))) notReplayed.add(op);
        else replayed.push(op);
      }
    }
    // Stable: equal (clock, agent) keep file order.
    replayed.sort((a, b) => (a.clock ?? 0) - (b.clock ?? 0) || byName(a.agent, b.agent));
    const startPos = model.timeline.length;
    for (const raw of replayed) {
      const op: ModelOp = { ...raw, pos: model.timeline.length, epoch };
      const before = state.get(op.id) ?? null;
      const last = lastWriter.get(op.id);
      // A conflict: another agent wrote the key last, and this op's writer had not seen that write.
      if (last && last.agent !== null && op.agent !== null && last.agent !== op.agent && !jsonEq(resolvePrev(op), before)) model.conflicts.push({ winner: op, loser: last });
      if (op.op === "set") state.set(op.id, op.data!);
      else state.delete(op.id);
      lastWriter.set(op.id, op);
      model.timeline.push(op);
      pushVersion(model, op.id, { k: op.pos + 1, value: op.op === "set" ? op.data : null, by: { op } });
      model.states.push(new Map(state));
    }
    const link: ModelLink = { epoch, snapshot: snap.path, next: next?.path ?? null, wals: linkWals.map((w) => w.path), startPos, endPos: model.timeline.length, unexplained: [], dropped: 0 };
    model.links.push(link);
    if (next === null) return;
    // The link's end: the state becomes the next snapshot.
    const k = link.endPos;
    const compactor = firstAgent(wals, next.ms, chain[epoch + 2]?.ms ?? Infinity);
    const at = journal.findIndex((j) => j.snapshot === next.path);
    const own = at === -1 ? null : { ...journal[at], moved: new Map([...journal[at].moved, ...reArchived(journal, at, journal[at].segment, state, next.records)]) };
    // An archive that moved none of what the link held into a segment written again later leaves the files of a plain compaction: read as one.
    const ownSegment = files.segments.find((s) => s.path === own?.segment);
    const unseenOnly = own !== null && ![...own.moved.keys()].some((id) => state.has(id) && !next.records.has(id)) && ownSegment !== undefined && Date.parse(ownSegment.timestamp) > Date.parse(next.timestamp);
    const archive = own === null || unseenOnly ? archivedUnseen(journal, next.path, state, next.records, files.segments) : own;
    const event = (kind: ModelEvent["kind"], segment: string | null, ids: string[]): ModelEvent => ({ kind, position: k, epoch, time: next.timestamp, snapshot: next.path, segment, alsoPossible: [], ids, opsFolded: k - startPos });
    const segmentFile = files.segments.find((s) => s.path === archive?.segment);
    const segmentNow = segmentFile?.records;
    const moved = archive ? [...archive.moved.keys()].filter((id) => state.has(id) && !heldSinceEarlier(segmentNow, id, state.get(id)!, removedEarlier)).sort() : [];
    const archiveEvent = archive && moved.length > 0 ? event("archive", archive.segment, moved) : null;
    if (archiveEvent) {
      archiveEvent.alsoPossible = possibleSegments(files, archiveEvent, snap, (id) => archive!.moved.get(id)!);
      model.events.push(archiveEvent);
    }
    model.events.push(event("compaction", null, []));
    /**
     * The value the files say this archive moved. A segment written again
     * after this link's end holds the later archive's value; when that is a
     * value one of this link's ops wrote (its start value included), an
     * archiving agent that had not seen the link's later writes writes the
     * same bytes, so the files read it as moved here, the writes after it
     * unseen. (E.g. carol's and alice's writes to "a"; bob, who saw neither,
     * compacts; alice archives her own value: carol's write is nowhere.)
     */
    const archivedAs = (id: string, had: Doc | null, journalled: Doc): Doc => {
      const held = segmentNow?.get(id);
      const rewritten = segmentFile !== undefined && Date.parse(segmentFile.timestamp) > Date.parse(next.timestamp);
      if (held === undefined || !rewritten || jsonEq(held, had) || jsonEq(held, journalled)) return journalled;
      return unseenOps(replayed, id, held, compactor) !== null ? held : journalled;
    };
    const ids = [...new Set([...state.keys(), ...next.records.keys()])].sort();
    for (const id of ids) {
      const had = state.get(id) ?? null;
      const kept = next.records.get(id) ?? null;
      if (jsonEq(had, kept)) continue;
      const archivedValue = archiveEvent && moved.includes(id) ? archivedAs(id, had, archive!.moved.get(id)!) : undefined;
      // What the compaction (or the archive) wrote for this id; the link's ops it did not see are lost.
      const written = archivedValue ?? kept;
      if (!jsonEq(had, written)) {
        const unseen = unseenOps(replayed, id, written, compactor);
        if (unseen === null) link.unexplained.push(id);
        else for (const op of unseen) dropped.add(op);
      }
      lastWriter.set(id, null);
      pushVersion(model, id, { k, value: kept, by: archivedValue !== undefined ? { archive: archiveEvent! } : { snapshot: next.path } });
    }
    for (const id of state.keys()) if (!next.records.has(id)) removedEarlier.set(id, [...(removedEarlier.get(id) ?? []), state.get(id)!]);
    link.dropped = replayed.filter((op) => dropped.has(op)).length;
    state = new Map(next.records);
    model.states[k] = new Map(state);
  });

  for (const wal of wals) {
    const inFile = [...wal.ops, ...wal.torn].sort((a, b) => a.line - b.line);
    model.laneOps.set(wal.path, inFile);
  }
  const posOf = new Map(model.timeline.map((op) => [`${op.file}:${op.line}`, op.pos]));
  const now = model.states[model.states.length - 1];
  for (const wal of wals) {
    for (const op of model.laneOps.get(wal.path)!) {
      const torn = wal.torn.includes(op);
      const reason: LostReason | null = torn ? "torn-by-undo" : dropped.has(op) ? "unseen-by-compaction" : notReplayed.has(op) || !posOf.has(`${op.file}:${op.line}`) ? "retired-wal" : null;
      if (reason === null) continue;
      const effect = op.op === "set" ? op.data : null;
      model.lost.push({ op, pos: torn ? null : (posOf.get(`${op.file}:${op.line}`) ?? null), reason, heldAnyway: jsonEq(now.get(op.id) ?? null, effect) });
    }
  }
  return model;
}

/**
 * Ids this archive (journal entry `at`, or, not `own`, a compaction after it) left
 * out that the files cannot tell it did not move into `segment`: a reader
 * of the files must take them as moved here, with the value they had here.
 * opslog merges a reused segment, keeping only each id's last value, and
 * writes nothing that says which call moved an id. So an id a later archive
 * moved into the segment may have been moved here too, e.g. bob archives
 * "a" without having seen alice's "x"; alice then archives "x" into the same
 * segment: byte for byte what bob's archiving both (after a refresh) and
 * alice's archiving "x" again would leave. And an id an earlier archive left
 * there with the very value it had here may have been moved here too (with
 * another value it was not: the segment would hold this one's).
 */
function reArchived(journal: ArchiveJournal[], at: number, segment: string, state: Map<string, Doc>, next: Map<string, Doc>, own = true): [string, Doc][] {
  const out: [string, Doc][] = [];
  for (const [id, value] of state) {
    if (next.has(id)) continue;
    // The archive whose value of id the segment holds in the end.
    let src = -1;
    journal.forEach((j, k) => void (j.segment === segment && j.moved.has(id) && (src = k)));
    // src === at: this archive's own move (already in its journal entry), unless this is a compaction after entry `at`.
    const earlier = src !== -1 && (src < at || (src === at && !own));
    if (src > at || (earlier && jsonEq(journal[src].moved.get(id)!, value))) out.push([id, value]);
  }
  return out;
}

/**
 * A compaction (no archive) that left out ids which a later archive's
 * segment may have taken from it (reArchived): the files are the same as if
 * it had been an archive into that segment (which the later one rewrote),
 * so a reader of the files takes it as one, into the segment that holds
 * most of those ids with the values they had here, then most of them.
 */
function archivedUnseen(journal: ArchiveJournal[], snapshot: string, state: Map<string, Doc>, next: Map<string, Doc>, segments: RefFiles["segments"]): ArchiveJournal | null {
  const later = journal.map((j) => j.snapshot).findIndex((path) => path > snapshot);
  if (later === -1) return null;
  // Of the segments that may have taken some: the one holding most of them with this link's values, then most of them (first archived, on a tie).
  let best: { j: ArchiveJournal; moved: [string, Doc][]; score: [number, number] } | null = null;
  for (const j of journal.slice(later)) {
    const moved = reArchived(journal, later - 1, j.segment, state, next, false);
    const held = segments.find((s) => s.path === j.segment)?.records;
    const score: [number, number] = [moved.filter(([id, value]) => held?.has(id) && jsonEq(held.get(id)!, value)).length, moved.length];
    if (moved.length > 0 && (!best || score[0] > best.score[0] || (score[0] === best.score[0] && score[1] > best.score[1]))) best = { j, moved, score };
  }
  return best ? { snapshot, segment: best.j.segment, moved: new Map(best.moved) } : null;
}

/**
 * The files' reading of a reused segment: it holds for id, instead of the
 * value id had here, exactly a value id had when an earlier link's end left
 * it out. That earlier archive explains what the segment holds; had this one
 * moved id, the segment would hold this link's value. (An archive whose agent
 * held that older value unseen writes the same bytes: the files cannot tell.)
 */
function heldSinceEarlier(segment: Map<string, Doc> | undefined, id: string, value: Doc, removedEarlier: Map<string, Doc[]>): boolean {
  if (!segment?.has(id) || jsonEq(segment.get(id)!, value)) return false;
  return (removedEarlier.get(id) ?? []).some((earlier) => jsonEq(earlier, segment.get(id)!));
}

/**
 * The other segments the files allow this archive to have written: opslog
 * merges a reused segment and writes no record of each archive, and an
 * archiving agent may move ids no reader saw (writes to a WAL a compaction
 * retired). A segment fits when it holds every id the archive moved, was
 * last written after the link began, each id's value is the moved one or the
 * segment was written again after this archive. (The manifest's order of
 * segments is no clue: each agent writes the list as it knows it, adding
 * a segment it archives into and had not seen at the end.)
 */
function possibleSegments(files: RefFiles, e: ModelEvent, start: RefSnapshot, movedValue: (id: string) => Doc): string[] {
  const startMs = Date.parse(start.timestamp);
  const endMs = Date.parse(e.time);
  return files.segments
    .filter((s) => s.path !== e.segment)
    .filter((s) => {
      const ms = Date.parse(s.timestamp);
      if (!(ms > startMs)) return false;
      return e.ids.every((id) => s.records.has(id) && (ms > endMs || jsonEq(s.records.get(id)!, movedValue(id))));
    })
    .map((s) => s.path);
}

function pushVersion(model: Model, id: string, v: Version): void {
  const list = model.versions.get(id);
  if (list) list.push(v);
  else model.versions.set(id, [v]);
}

/** The agent of the first WAL named in [from, to): the one a compaction starts. */
function firstAgent(wals: RefWal[], from: number, to: number): string | null {
  return wals.find((w) => w.ms >= from && w.ms < to)?.agent ?? null;
}

/**
 * The explorer's definition of writes a compaction had not seen: the value it
 * wrote is the effect of one of the link's ops on the id (or what the first
 * of them started from), and every later op on the id is another agent's,
 * not the compacting agent's. Those later ops; null when that is not so.
 */
function unseenOps(replayed: RefOp[], id: string, written: Doc | null, compactor: string | null): RefOp[] | null {
  const onId = replayed.filter((op) => op.id === id);
  if (onId.length === 0) return null;
  let seen = onId.length - 1;
  while (seen >= 0 && !jsonEq(onId[seen].op === "set" ? onId[seen].data : null, written)) seen--;
  if (seen === -1 && !jsonEq(resolvePrev(onId[0]), written)) return null;
  const unseen = onId.slice(seen + 1);
  return unseen.every((op) => op.agent !== null && op.agent !== compactor) ? unseen : null;
}

/** The value of id in the state after `at` ops. */
export function valueAt(model: Model, id: string, at: number): Doc | null {
  return model.states[at].get(id) ?? null;
}
