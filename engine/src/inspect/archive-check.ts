/**
 * The archive check of a chain's verification (chain.ts): which ids that
 * left the state at a link's end without an op went into an archive segment,
 * read from the segments as they are now. A segment is no record of each
 * archive (a reused name merges, keeping each id's last value), so the rule
 * for a reused segment is stated once and followed by archive-writes.ts and
 * the reference model alike. Reads only.
 */
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { readArchiveSegmentFile } from "../archive.js";
import type { SegmentNow } from "./archive-writes.js";
import type { StoreIndex } from "./store-index.js";
import type { ChainLink } from "./types.js";

/**
 * Tells archiving from damage when a link is verified: store.archive()
 * removes records without an op, into a segment. Each link ends in one
 * compaction, which writes at most one segment, so a link takes at most one
 * segment: the one its own archive last wrote if any (its time falls within
 * the link), else the one holding most of the link's left-out ids with their
 * values, then most of them, then the one the manifest lists first (opslog
 * lists each when first written). Archiving into the same segment again
 * merges over it, so a segment holds only the value of each id's last
 * archive: an id that left the state at an earlier link with another value
 * is accounted for when it left again without an op later.
 */
/** A readable segment's records, and when it was last written (NaN: unknown). */
export interface ArchivedSegment {
  path: string;
  ms: number;
  records: Map<string, unknown>;
  /** Its place in the manifest's archiveSegments (Infinity: not listed) */
  order: number;
}

export class ArchiveCheck {
  /** id -> the last link at which it left the state without an op, into an archive */
  private lastArchived = new Map<string, number>();
  private pending: { link: ChainLink; id: string; held: unknown }[] = [];
  /** id -> the links that removed it so far, with the value each removed */
  private removals = new Map<string, { epoch: number; value: unknown }[]>();

  constructor(private readonly segments: ArchivedSegment[]) {}

  /**
   * The ids of `removed` (id -> the value it held) that left the state at `link` (which began at `startMs`, ended at `endMs`) without an op
   * and that the link's one segment accounts for (some only once unaccounted() has run). A segment last written when the link began or before
   * cannot hold what left during it.
   */
  accounts(link: ChainLink, removed: Map<string, unknown>, startMs: number, endMs = NaN): Set<string> {
    const accounted = new Set<string>();
    if (removed.size === 0) return accounted;
    // Strictly after: the archive that began the link wrote its segment in its snapshot's ms or before.
    let candidates = this.segments.filter((s) => !(s.ms <= startMs) && [...removed.keys()].some((id) => s.records.has(id)));
    // A segment last written within the link is the one its archive wrote (no later archive rewrote it): its values are what that archive
    // moved, and that archive wrote no other segment, so an id it does not hold was not archived here (archive-writes.ts, the same rule).
    if (this.segments.some((s) => s.ms > startMs && s.ms <= endMs)) candidates = candidates.filter((s) => s.ms <= endMs);
    let best: { s: ArchivedSegment; held: Set<string>; score: number[] } | null = null;
    for (const s of candidates) {
      const held = [...removed].filter(([id, value]) => s.records.has(id) && !this.heldSinceEarlier(s, id, value));
      if (held.length === 0) continue;
      const score = [held.filter(([id, value]) => isDeepStrictEqual(s.records.get(id), value)).length, held.length, -s.order];
      if (!best || compareScores(score, best.score) > 0) best = { s, held: new Set(held.map(([id]) => id)), score };
    }
    this.remember(link, removed);
    if (!best) return accounted;
    for (const [id, value] of removed) {
      if (!best.held.has(id)) continue;
      accounted.add(id);
      this.lastArchived.set(id, link.epoch);
      const held = best.s.records.get(id);
      if (!isDeepStrictEqual(held, value)) this.pending.push({ link, id, held });
    }
    return accounted;
  }

  /** Keep the values this link removed, for later links' heldSinceEarlier and for unaccounted(). */
  private remember(link: ChainLink, removed: Map<string, unknown>): void {
    for (const [id, value] of removed) {
      const list = this.removals.get(id);
      if (list) list.push({ epoch: link.epoch, value });
      else this.removals.set(id, [{ epoch: link.epoch, value }]);
    }
  }

  /**
   * The segment holds for id, instead of the value this link removed, exactly a value an earlier link removed: that link's archive explains
   * the segment's value, and had this link's end moved id there, the segment would hold this link's value (archive-writes.ts, the same rule).
   */
  private heldSinceEarlier(s: ArchivedSegment, id: string, value: unknown): boolean {
    const held = s.records.get(id);
    return !isDeepStrictEqual(held, value) && (this.removals.get(id) ?? []).some((earlier) => isDeepStrictEqual(earlier.value, held));
  }

  /** The ids archived at `link` with another value than the link's, and the value a segment holds for each. */
  archivedOtherwise(link: ChainLink): Map<string, unknown> {
    return new Map(this.pending.filter((p) => p.link === link).map((p) => [p.id, p.held]));
  }

  /** These ids' difference at `link` is explained (the archiving agent had not seen the link's last writes to them). */
  settle(link: ChainLink, ids: Set<string>): void {
    this.pending = this.pending.filter((p) => p.link !== link || !ids.has(p.id));
  }

  /** Per link, the ids no segment holds with the link's value and that were not archived again later. */
  unaccounted(): Map<ChainLink, string[]> {
    const out = new Map<ChainLink, string[]>();
    for (const { link, id, held } of this.pending) {
      if (this.lastArchived.get(id)! > link.epoch) continue; // re-archived later: the segment holds that value now
      // The segment holds the value a later link removed: a later archive (of an agent that held it unseen) explains it, as heldSinceEarlier the other way.
      if ((this.removals.get(id) ?? []).some((r) => r.epoch > link.epoch && isDeepStrictEqual(r.value, held))) continue;
      let ids = out.get(link);
      if (!ids) out.set(link, (ids = []));
      ids.push(id);
    }
    return out;
  }
}

/** Every readable segment as it is now (its records, last write time, place in the manifest); `onUnreadable` hears each one that is not. */
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

/** Every readable segment's records, to tell archiving from damage; an unreadable one is a warning of the build. */
export async function loadArchivedRecords(dir: string, history: StoreIndex): Promise<ArchivedSegment[]> {
  const segments = await readSegmentsNow(dir, history, (file, err) => history.warnings.push({ code: "unreadable-file", severity: "warning", file, message: err.message }));
  return segments.map((s) => ({ ...s, records: new Map(Object.entries(s.records)) }));
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
