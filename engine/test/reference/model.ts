/**
 * The reference model of a store: the plainest replay of what files.ts read.
 * The chain runs snapshot -> its WALs -> next snapshot (a WAL belongs to the
 * last snapshot named before it; the live link takes the WALs the manifest
 * names). Each link's ops are merged by (clock, agent), file order breaking
 * ties; an op written after the next snapshot was taken is not replayed, nor
 * is an op in a WAL the manifest no longer names. The state after every
 * position is kept whole (slow, and obviously right); at a link's end the
 * state becomes the next snapshot, and what changed there is told apart by
 * a reading of the archives: which segment each link's end moved which of
 * the left-out ids into. The files do not always tell (a reused segment keeps
 * only each id's last value, and an agent archives from its own view), so
 * the model follows a given reading: what happened, from the program's
 * journal of the library's own calls, or the inspector's, which the
 * comparison accepts when the files allow it and it explains them no less
 * fully (readingFaults, score). The rest is the writes the compaction had not
 * seen. Lost writes and conflicts follow the explorer's stated definitions (README, lost-writes.ts and
 * conflicts.ts doc comments), written here anew.
 */
import { readFiles } from "./files.js";
import type { Doc, RefFiles, RefOp, RefSegment, RefSnapshot, RefWal } from "./files.js";
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
  /** The reading of the archives this model follows (the files may allow more than one: see buildModel) */
  reading: Reading;
  /** Why the files rule that reading out (none for a reading they allow) */
  readingFaults: string[];
  /** How much of the files the reading leaves unexplained: [ids whose change at a link's end nothing explains, segment entries whose value no archive of it moved]; lower is fuller */
  score: [number, number];
}

/** One archive as a reading of the files takes it: the segment it wrote, and the ids it moved of those its link's end left out. */
export interface ArchiveRead {
  segment: string;
  ids: string[];
}

/** Per link (by epoch), the archive at its end; a link not in it ends in a plain compaction. */
export type Reading = Map<number, ArchiveRead>;

/** A link's end as the files give it, before any reading. */
export interface LinkEnd {
  epoch: number;
  /** The snapshot that ends it */
  snapshot: string;
  startMs: number;
  endMs: number;
  /** The ids in the replayed state that the snapshot left out, sorted */
  removed: string[];
}

const ms = (ts: string) => Date.parse(ts);
const byName = (a: string | null, b: string | null) => ((a ?? "") < (b ?? "") ? -1 : (a ?? "") > (b ?? "") ? 1 : 0);

export async function readModel(dir: string, journal: ArchiveJournal[] = []): Promise<Model> {
  return buildModel(dir, await readFiles(dir), (ends) => journalReading(journal, ends));
}

/** What happened, as far as the files can show it: each archive of the journal, with the ids it moved that a reader saw leave the state. */
export function journalReading(journal: ArchiveJournal[], ends: LinkEnd[]): Reading {
  const out: Reading = new Map();
  for (const end of ends) {
    const j = journal.find((x) => x.snapshot === end.snapshot);
    const ids = j ? end.removed.filter((id) => j.moved.has(id)) : [];
    if (j && ids.length > 0) out.set(end.epoch, { segment: j.segment, ids });
  }
  return out;
}

/** One link's ops: those replayed (merged by clock, agent; file order on ties) and those its WALs hold but no reader replays. */
function linkOps(wals: RefWal[], liveNames: Set<string>, snap: RefSnapshot, next: RefSnapshot | null) {
  const live = next === null;
  const linkWals = wals.filter((w) => (live ? w.ms >= snap.ms || liveNames.has(w.path) : !liveNames.has(w.path) && w.ms >= snap.ms && w.ms < next.ms));
  const replayed: RefOp[] = [];
  const notReplayed: RefOp[] = [];
  for (const wal of linkWals) {
    for (const op of wal.ops) {
      const after = next !== null && ms(op.ts) > ms(next.timestamp);
      if (after || (live && !liveNames.has(wal.path))) notReplayed.push(op);
      else replayed.push(op);
    }
  }
  // Stable: equal (clock, agent) keep file order.
  replayed.sort((a, b) => (a.clock ?? 0) - (b.clock ?? 0) || byName(a.agent, b.agent));
  return { wals: linkWals, replayed, notReplayed };
}

export function buildModel(dir: string, files: RefFiles, read: (ends: LinkEnd[]) => Reading): Model {
  const { manifest, snapshots, wals } = files;
  const multiWriter = manifest.activeAgentOps !== undefined;
  const liveNames = new Set(multiWriter ? Object.values(manifest.activeAgentOps!) : [manifest.activeOps]);
  const chain = snapshots.slice(0, snapshots.findIndex((s) => s.path === manifest.currentSnapshot) + 1);
  const links = chain.map((snap, epoch) => linkOps(wals, liveNames, snap, chain[epoch + 1] ?? null));
  // Each link's end as the files give it: what the next snapshot left out of the replayed state.
  const ends: LinkEnd[] = chain.slice(1).map((next, i) => {
    const state = new Map(chain[i].records);
    for (const op of links[i].replayed) {
      if (op.op === "set") state.set(op.id, op.data!);
      else state.delete(op.id);
    }
    return { epoch: i, snapshot: next.path, startMs: ms(chain[i].timestamp), endMs: ms(next.timestamp), removed: [...state.keys()].filter((id) => !next.records.has(id)).sort() };
  });
  const reading = read(ends);
  const model: Model = {
    dir, files, timeline: [], states: [], links: [], events: [], versions: new Map(), lost: [], conflicts: [], laneOps: new Map(), multiWriter,
    reading, readingFaults: readingFaults(reading, ends, files.segments), score: [0, files.segments.reduce((n, seg) => n + seg.records.size, 0)],
  };
  const notReplayed = new Set<RefOp>(links.flatMap((l) => l.notReplayed));
  const dropped = new Set<RefOp>();
  let state = new Map<string, Doc>(chain[0]?.records ?? []);
  for (const [id, value] of state) model.versions.set(id, [{ k: 0, value, by: { snapshot: chain[0].path } }]);
  model.states.push(new Map(state));
  const lastWriter = new Map<string, ModelOp | null>();
  const inLinks = new Set(links.flatMap((l) => [...l.replayed, ...l.notReplayed]));
  const offTimeline = [...notReplayed, ...wals.flatMap((w) => [...w.ops.filter((op) => !inLinks.has(op)), ...w.torn])];
  /** Whether id held value in a state up to k (Infinity: in any snapshot of the chain, or any op), or an op no reader replays wrote it. */
  const everHeld = (id: string, value: Doc, k: number): boolean => {
    const setsIt = (op: RefOp) => op.id === id && op.op === "set" && jsonEq(op.data!, value);
    if (k === Infinity) return chain.some((snap) => jsonEq(snap.records.get(id) ?? null, value)) || wals.some((w) => w.ops.some(setsIt) || w.torn.some(setsIt));
    return (model.versions.get(id) ?? []).some((v) => v.k <= k && jsonEq(v.value, value)) || offTimeline.some(setsIt);
  };

  chain.forEach((snap, epoch) => {
    const next = chain[epoch + 1] ?? null;
    const { replayed } = links[epoch];
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
    const link: ModelLink = { epoch, snapshot: snap.path, next: next?.path ?? null, wals: links[epoch].wals.map((w) => w.path), startPos, endPos: model.timeline.length, unexplained: [], dropped: 0 };
    model.links.push(link);
    if (next === null) return;
    // The link's end: the state becomes the next snapshot; the reading says which of the records it left out an archive moved, and where.
    const k = link.endPos;
    const compactor = firstAgent(wals, next.ms, chain[epoch + 2]?.ms ?? Infinity);
    const archive = reading.get(epoch) ?? null;
    const segment = files.segments.find((s) => s.path === archive?.segment);
    const event = (kind: ModelEvent["kind"], segmentPath: string | null, ids: string[]): ModelEvent => ({ kind, position: k, epoch, time: next.timestamp, snapshot: next.path, segment: segmentPath, ids, opsFolded: k - startPos });
    const archiveEvent = archive ? event("archive", archive.segment, [...archive.ids].sort()) : null;
    if (archiveEvent) model.events.push(archiveEvent);
    model.events.push(event("compaction", null, []));
    /**
     * The link's ops on id that an archiving agent moving value had not seen: those after the last that wrote it (unseenOps), or all of
     * them, when each is another agent's and id held value before the link (an agent that had not refreshed since). Null: none explains it.
     */
    const archivedUnseen = (id: string, value: Doc): RefOp[] | null => {
      const unseen = unseenOps(replayed, id, value, compactor);
      if (unseen !== null) return unseen;
      const onId = replayed.filter((op) => op.id === id);
      return onId.every((op) => op.agent !== null && op.agent !== compactor) && everHeld(id, value, startPos) ? onId : null;
    };
    const ids = [...new Set([...state.keys(), ...next.records.keys()])].sort();
    for (const id of ids) {
      const had = state.get(id) ?? null;
      const kept = next.records.get(id) ?? null;
      if (jsonEq(had, kept)) continue;
      const moved = archive !== null && archive.ids.includes(id);
      // What the compaction (or the archive) wrote for this id; the link's ops its agent had not seen are lost.
      let written = kept;
      if (moved) {
        // The value it moved: the segment's, when no later archive of the reading moved id there (a reused segment keeps each id's last
        // value) and the link explains it (what id had, or one of its writes, its later writes unseen by the archiving agent); else the one
        // id had here, and the segment's value is a later archive's: one of the reading, or one that moved it no reader saw leave the state.
        const held = segment?.records.get(id);
        const later = [...reading].some(([e, a]) => e > epoch && a.segment === archive.segment && a.ids.includes(id));
        const fits = held !== undefined && (jsonEq(held, had) || archivedUnseen(id, held) !== null);
        written = !later && fits ? held : had;
        if (!later && fits) model.score[1]--; // the segment's entry is this archive's
        // Else a later archive (maybe of records no reader saw leave) wrote the segment's value, one some file gives id; or nothing explains it.
        else if (!later && segment && (ms(segment.timestamp) <= ms(next.timestamp) || !everHeld(id, held!, Infinity))) link.unexplained.push(id);
      }
      if (!jsonEq(had, written)) {
        const unseen = moved ? archivedUnseen(id, written!) : unseenOps(replayed, id, written, compactor);
        if (unseen === null) link.unexplained.push(id);
        else for (const op of unseen) dropped.add(op);
      }
      lastWriter.set(id, null);
      pushVersion(model, id, { k, value: kept, by: moved ? { archive: archiveEvent! } : { snapshot: next.path } });
    }
    model.score[0] += link.unexplained.length;
    link.dropped = replayed.filter((op) => dropped.has(op)).length;
    // A record the snapshot holds unchanged keeps its version (its value as the op wrote it, keys in that order).
    state = new Map([...next.records].map(([id, value]) => [id, state.has(id) && jsonEq(state.get(id)!, value) ? state.get(id)! : value]));
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
 * Why the files rule a reading out (none: they allow it). Each archive moved
 * some of the ids its link's end left out, all into one segment that holds
 * them; that segment was written after the link began. A segment's time is
 * its last archive's: the link whose span holds it ended in an archive into
 * that segment, or in one that moved nothing a reader saw leave the state.
 */
function readingFaults(reading: Reading, ends: LinkEnd[], segments: RefSegment[]): string[] {
  const faults: string[] = [];
  for (const [epoch, a] of reading) {
    const end = ends.find((e) => e.epoch === epoch);
    const segment = segments.find((s) => s.path === a.segment);
    if (!end) faults.push(`an archive at link ${epoch}, which ends in no snapshot`);
    else if (!segment) faults.push(`link ${epoch}'s archive into ${a.segment}, which is no readable segment`);
    else {
      if (a.ids.length === 0) faults.push(`link ${epoch}'s archive moves no id`);
      for (const id of a.ids) if (!end.removed.includes(id)) faults.push(`link ${epoch}'s archive moves ${JSON.stringify(id)}, which its end did not leave out`);
      for (const id of a.ids) if (!segment.records.has(id)) faults.push(`link ${epoch}'s archive moves ${JSON.stringify(id)} into ${a.segment}, which does not hold it`);
      if (ms(segment.timestamp) <= end.startMs) faults.push(`link ${epoch}'s archive into ${a.segment}, last written before the link began`);
    }
  }
  for (const s of segments) {
    const t = ms(s.timestamp);
    const end = ends.find((e) => t > e.startMs && t <= e.endMs);
    const there = end ? reading.get(end.epoch) : undefined;
    if (there && there.segment !== s.path) faults.push(`${s.path} was last written within link ${end!.epoch}, whose archive the reading puts into ${there.segment}`);
  }
  return faults;
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
