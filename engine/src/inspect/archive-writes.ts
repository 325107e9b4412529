/**
 * Which segment each archive wrote, and which ids it moved, told from what
 * happened at its position. opslog's archive() writes one segment and then
 * compacts, so each link end holds at most one archive: the records the next
 * snapshot left out went into one segment. A segment's file is no record of
 * each archive, though: archiving to a name again merges into it, keeping only
 * each id's last value and the last write's time. So the archives are worked
 * out from the newest back: a segment's time falls in the link of its last
 * archive; an earlier archive can only have written a segment written again
 * later that holds its ids: the one holding most of them with the values
 * they had there (a differing value may be a later archive's), then most of
 * them, then most whose last archive into it is not known already, then the
 * one the manifest lists first (opslog lists each when first written): the
 * order archive-check.ts's ArchiveCheck follows.
 * Reads only.
 */
import { jsonEqual } from "./json.js";
import type { Doc } from "./types.js";

/** A segment as read now. */
export interface SegmentNow {
  path: string;
  /** Its timestamp in ms: its last archive's time (NaN: unreadable) */
  ms: number;
  records: Record<string, unknown>;
  /** Its place in the manifest's archiveSegments (Infinity: not listed) */
  order: number;
}

/** A link end where the snapshot left out records. */
export interface LinkEnd {
  /** ms of the snapshot the link starts from (NaN: none, or unknown) */
  startMs: number;
  /** ms of the snapshot that ends it (NaN: unknown) */
  endMs: number;
  /** The ids it left out, sorted */
  removed: string[];
}

/** The archive at a link end: the segment it wrote and the ids it moved (those of `removed` in that segment). */
export interface ArchiveWrite {
  segment: string;
  ids: string[];
}

/**
 * Per link end (same order), the archive it holds, or null. `valueBefore(i,
 * id)`: the value id had just before link end i left it out.
 */
export function archiveWrites(ends: LinkEnd[], segments: SegmentNow[], valueBefore: (i: number, id: string) => Doc | null): (ArchiveWrite | null)[] {
  const held = (s: SegmentNow, i: number) => ends[i].removed.filter((id) => Object.hasOwn(s.records, id));
  const last = new Map(segments.map((s) => [s, lastArchiveOf(s, ends)]));
  /** Per segment: the ids whose last archive into it is known already (a later one) */
  const settled = new Map(segments.map((s) => [s, new Set<string>()]));
  const out: (ArchiveWrite | null)[] = ends.map(() => null);
  // s holds for id, instead of the value end i removed, exactly a value an earlier end removed: that end's archive explains s's value, and
  // had end i moved id there (as its last archive into s), s would hold end i's value. archive-check.ts's ArchiveCheck follows the same rule.
  let removedAt: Map<string, number[]> | null = null; // id -> the ends that removed it, built on first need
  const heldSinceEarlier = (s: SegmentNow, i: number, id: string) => {
    if (jsonEqual(s.records[id], valueBefore(i, id))) return false;
    removedAt ??= endsByRemovedId(ends);
    return removedAt.get(id)!.some((j) => j < i && jsonEqual(s.records[id], valueBefore(j, id)));
  };
  for (let i = ends.length - 1; i >= 0; i--) {
    let best: { s: SegmentNow; ids: string[]; score: number[] } | null = null;
    // A segment whose last write is this archive's is the one it wrote: no value need be read.
    const forced = segments.some((s) => last.get(s) === i);
    for (const s of segments) {
      const lastAt = last.get(s)!;
      if (lastAt !== null && lastAt < i) continue; // written for the last time before this archive
      if (forced && lastAt !== i) continue;
      const ids = held(s, i).filter((id) => !heldSinceEarlier(s, i, id));
      if (ids.length === 0) continue;
      const fresh = ids.filter((id) => !settled.get(s)!.has(id));
      // Most ids with the very values they had here, then most ids: ArchiveCheck's order (a value that differs may be a later archive's).
      const same = forced ? ids.length : ids.filter((id) => jsonEqual(s.records[id], valueBefore(i, id))).length;
      const score = [same, ids.length, fresh.length, -s.order];
      if (!best || compareScores(score, best.score) > 0) best = { s, ids, score };
    }
    if (!best) continue; // left out without an archive: lost writes or damage, said elsewhere
    for (const id of best.ids) settled.get(best.s)!.add(id);
    out[i] = { segment: best.s.path, ids: best.ids };
  }
  return out;
}

/**
 * The link end of a segment's last archive: the one whose time span holds the segment's time, strictly after the link began (the archive that
 * ended the link before wrote its segment in its snapshot's ms or before; archive-check.ts's ArchiveCheck, the same rule), even when the ids it moved
 * are none a reader saw (an agent archiving writes a compaction had retired). Null: not known.
 */
function lastArchiveOf(s: SegmentNow, ends: LinkEnd[]): number | null {
  if (Number.isNaN(s.ms)) return null;
  for (let i = ends.length - 1; i >= 0; i--) {
    const { startMs, endMs } = ends[i];
    if (!(s.ms <= startMs) && !(s.ms > endMs)) return i;
  }
  return null;
}

function endsByRemovedId(ends: LinkEnd[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  ends.forEach((end, j) => {
    for (const id of end.removed) {
      const list = out.get(id);
      if (list) list.push(j);
      else out.set(id, [j]);
    }
  });
  return out;
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
