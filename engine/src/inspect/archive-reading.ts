/**
 * Which segment each link's archive wrote, and which records it moved, read
 * once for the whole chain from the files: the one reading the chain's
 * verification, the lost writes and the timeline's archive events all
 * follow, so they cannot disagree. opslog's archive() writes one segment and
 * then compacts, so each link's end holds at most one archive, of records
 * the next snapshot left out. A segment's file is no record of each archive,
 * though: archiving to a name again merges into it, keeping only each id's
 * last value and the last write's time; and an agent archives from its own
 * view, which may lack writes other agents made. So the files can allow
 * more than one reading, and this one is the fullest they allow, found from
 * the newest archive back:
 * - a segment last written within a link's time span was written by that
 *   link's archive (no other segment can be its), and no archive after that
 *   link wrote it;
 * - an archive moves an id into a segment that holds it when a later archive
 *   moved it there again (its value here is gone), or when the segment's
 *   value is what it had here, or one of the link's writes whose later
 *   writes were all other agents', unseen by the archiving agent (they are
 *   lost), or a value it held before the link that every write of the
 *   link was unseen by (another agent's); or, when nothing else explains
 *   the id leaving the state, when the segment was written again after the
 *   link, with a value some file gives the id (a later archive, maybe of
 *   records no reader saw leave, holds it now), or, failing that, as a
 *   mismatch of this link (the archives before it moved the id freely),
 *   unless an earlier link left the id out with the very value the
 *   segment holds: its archive wrote that value, and this link leaves the
 *   id out unexplained;
 * - of the segments an archive may have written, it is the one that leaves
 *   fewest left-out records unexplained, then moves most records no later
 *   archive moved there, then fewest whose value there it says was replaced
 *   (an earlier archive may have written that value), then most records,
 *   most with the values they had here, then the one the manifest lists
 *   first (opslog lists each when first written).
 * Reads only.
 */
import { join } from "node:path";
import { readArchiveSegmentFile } from "../archive.js";
import type { StoreIndex } from "./store-index.js";
import type { Doc } from "./types.js";

/** A segment as read now. */
export interface SegmentNow {
  path: string;
  /** Its timestamp in ms: its last archive's time (NaN: unknown) */
  ms: number;
  records: Record<string, unknown>;
  /** Its place in the manifest's archiveSegments (Infinity: not listed) */
  order: number;
}

/** A link's end where the snapshot left out records. */
export interface EndToRead {
  /** ms of the snapshot the link starts from (NaN: none, or unknown) */
  startMs: number;
  /** ms of the snapshot that ends it (NaN: unknown) */
  endMs: number;
  /** The ids it left out */
  removed: string[];
}

/** How the link's ops explain a value written for an id at an end. */
export interface EndValues {
  /** Whether segment `i` (of those read) holds the very value id had just before the end left it out */
  had(id: string, i: number): boolean;
  /**
   * Whether a compaction's blind spot explains writing value (null: leaving
   * id out) for id: the link's later writes to it were unseen (archive-ends.ts)
   */
  explains(id: string, value: Doc | null): boolean;
  /** Whether any file gives id this value (an op, replayed or not, or a snapshot): one an agent may hold unseen */
  plausible(id: string, value: unknown): boolean;
}

/** The archive at a link's end: the segment it wrote, the ids it moved, and those it moved with the segment's value, not the one they had here. */
export interface ArchiveRead {
  segment: string;
  ids: string[];
  /** id -> the value it moved, for the ids whose moved value is not the one they had (the segment's; the link's later writes were unseen) */
  otherValues: Map<string, unknown>;
  /** The ids it moved whose value in the segment nothing explains: this link's mismatch */
  unexplained: string[];
}

/** Per end (same order), the archive it holds, or null; `values(i)`: how end i's link explains values. */
export function readArchives(ends: EndToRead[], segments: SegmentNow[], values: (i: number) => EndValues): (ArchiveRead | null)[] {
  const out: (ArchiveRead | null)[] = ends.map(() => null);
  /** Per segment: the ids a later archive moved there (their value there is that one's) */
  const settled = new Map(segments.map((s) => [s, new Set<string>()]));
  const lastWrittenIn = new Map(segments.map((s) => [s, endWhoseSpanHolds(s.ms, ends)]));
  let leftOutBy: Set<string>[] | null = null;
  /** Whether an end before i left id out holding the value segment `index` has for it: that end's archive may have written it */
  const earlierArchiveHad = (id: string, index: number, i: number): boolean => {
    leftOutBy ??= ends.map((end) => new Set(end.removed));
    for (let j = i - 1; j >= 0; j--) if (leftOutBy[j].has(id) && values(j).had(id, index)) return true;
    return false;
  };
  for (let i = ends.length - 1; i >= 0; i--) {
    const { startMs, removed } = ends[i];
    if (removed.length === 0) continue;
    const v = values(i);
    const forced = segments.filter((s) => lastWrittenIn.get(s) === i);
    // Written within this link's span: this archive wrote it. Else any segment written after the link began, and not last written in an earlier link.
    const candidates = forced.length > 0 ? forced : segments.filter((s) => !(s.ms <= startMs) && !((lastWrittenIn.get(s) ?? Infinity) < i));
    const unexplainedLeftOut = new Map<string, boolean>();
    /** Whether nothing explains id leaving the state at this end without an archive (a compaction's blind spot) */
    const leftOutUnexplained = (id: string) => {
      let u = unexplainedLeftOut.get(id);
      if (u === undefined) unexplainedLeftOut.set(id, (u = !v.explains(id, null)));
      return u;
    };
    let best: { s: SegmentNow; read: ArchiveRead; score: number[] } | null = null;
    for (const s of candidates) {
      const index = segments.indexOf(s);
      // Written again after this link: a later archive (maybe of records no reader saw leave the state) may hold the values now.
      const rewrittenLater = lastWrittenIn.get(s) !== i;
      const read: ArchiveRead = { segment: s.path, ids: [], otherValues: new Map(), unexplained: [] };
      let same = 0;
      let fresh = 0;
      /** Moved with a value since replaced: the segment's entry is then no earlier archive's either */
      let replaced = 0;
      for (const id of removed) {
        if (!Object.hasOwn(s.records, id)) continue;
        const held = s.records[id];
        if (settled.get(s)!.has(id)) {
          read.ids.push(id); // a later archive's value is there: this one's is gone
        } else if (v.had(id, index) || v.explains(id, held as Doc)) {
          read.ids.push(id);
          fresh++;
          if (v.had(id, index)) same++;
          else read.otherValues.set(id, held);
        } else if (leftOutUnexplained(id)) {
          // Nothing else explains it leaving: moved, its value since replaced by a later archive's that some file gives it; or nothing explains
          // its value either, a mismatch here, while the archives before this one moved it freely. Unless an earlier link left the id out with
          // the segment's very value: that archive wrote it, and this link leaves the id out unexplained without moving it.
          const mismatch = !rewrittenLater || !v.plausible(id, held);
          if (mismatch && earlierArchiveHad(id, index, i)) continue;
          read.ids.push(id);
          if (mismatch) read.unexplained.push(id);
          else replaced++;
        }
      }
      if (read.ids.length === 0) continue;
      const moved = new Set(read.ids);
      const unexplained = removed.filter((id) => !moved.has(id) && leftOutUnexplained(id)).length + read.unexplained.length;
      const score = [-unexplained, fresh, -replaced, read.ids.length, same, -s.order];
      if (!best || compareScores(score, best.score) > 0) best = { s, read, score };
    }
    if (!best) continue; // a plain compaction, or an archive that moved nothing a reader saw leave the state
    for (const id of best.read.ids) settled.get(best.s)!.add(id);
    out[i] = best.read;
  }
  return out;
}

/** The end whose link's span holds ms, strictly after the link began (the archive ending the link before wrote in its snapshot's ms or before). */
function endWhoseSpanHolds(ms: number, ends: EndToRead[]): number | null {
  if (Number.isNaN(ms)) return null;
  for (let i = ends.length - 1; i >= 0; i--) if (!(ms <= ends[i].startMs) && !(ms > ends[i].endMs)) return i;
  return null;
}

/** Every readable segment as it is now; `onUnreadable` hears each one that is not. */
export async function readSegmentsNow(dir: string, index: StoreIndex, onUnreadable?: (path: string, err: Error) => void): Promise<SegmentNow[]> {
  const out: SegmentNow[] = [];
  const listed = index.scan.manifest.archiveSegments;
  for (const entry of index.scan.archives) {
    try {
      const segment = await readArchiveSegmentFile(join(dir, entry.path));
      const order = listed.indexOf(entry.path);
      out.push({ path: entry.path, ms: Date.parse(segment.timestamp), records: segment.records, order: order === -1 ? Infinity : order });
    } catch (err) {
      onUnreadable?.(entry.path, err as Error);
    }
  }
  return out;
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
