/**
 * The records alive at a position, with where each one's value is, in the
 * order of those sources (op entries ascending, snapshot values first): the
 * columns a filter reads are laid out by entry, so reading them in that
 * order walks memory forward instead of jumping once per record (at ten
 * million ops the jumps were most of a filter's time). Made by one pass over
 * the records in record-number order (their version lists lie in that
 * order) and a radix sort (grouping by block of entries alone left half
 * the jumps: a block's columns and op table are larger than a core's
 * cache). The set of the records alive now is kept by the
 * filter across queries and brought up to date when the live tail appends
 * ops (`advanced`): only the records those ops touched are looked at again.
 */
import type { StoreIndex } from "./store-index.js";
import { ABSENT, SNAPSHOT_ABSENT } from "./versions.js";

export interface AliveSet {
  /** The position, and the timeline's length it was made for */
  at: number;
  total: number;
  /** Record numbers, in the order of srcs */
  recs: Int32Array;
  /** Each record's version source at `at`, ascending (every one holds a value) */
  srcs: Int32Array;
}

/** Whether a version source holds a record (not absent, not a delete). */
export function holds(h: StoreIndex, src: number): boolean {
  if (src >= 0) return !h.table.isDelete(src);
  return src !== ABSENT && src !== SNAPSHOT_ABSENT; // every other snapshot source is a value (versions.snapshotSrc): not read to tell
}

/** The records alive at `at` (<= the timeline's length), by ascending source. */
export function aliveSet(h: StoreIndex, at: number): AliveSet {
  const total = h.timeline.length;
  const { versions } = h;
  const size = versions.size;
  const recs = new Int32Array(size);
  const srcs = new Int32Array(size);
  let n = 0;
  const all = new Int32Array(size);
  // Every version holds from a position <= total: a record's latest is its value now, no search.
  if (at === total) versions.lastSrcs(all);
  else versions.srcsAt(at, all);
  for (let rec = 0; rec < size; rec++) {
    const src = all[rec];
    if (src === ABSENT || src === SNAPSHOT_ABSENT) continue;
    recs[n] = rec;
    srcs[n++] = src;
  }
  sortBySource(srcs, recs, n);
  // The deletes are told apart in source order: the op table is read forward.
  let kept = 0;
  for (let i = 0; i < n; i++) {
    if (!holds(h, srcs[i])) continue;
    recs[kept] = recs[i];
    srcs[kept++] = srcs[i];
  }
  return { at, total, recs: recs.subarray(0, kept), srcs: srcs.subarray(0, kept) };
}

/**
 * The set of the records alive now, moved from `was` (made when the
 * timeline was shorter, on the same index) to now: the live tail only
 * appends ops, so only the records of the ops past was.total (and of
 * snapshots taken since) can differ. Null when too many did to repay it.
 */
export function advanced(h: StoreIndex, was: AliveSet): AliveSet | null {
  const total = h.timeline.length;
  const { versions, timeline, table } = h;
  if (was.at !== was.total || total < was.total) return null;
  if (total - was.total > was.recs.length / 4) return null;
  const touched = new Uint8Array(versions.size);
  const fresh: number[] = [];
  const touch = (rec: number) => {
    if (touched[rec]) return;
    touched[rec] = 1;
    fresh.push(rec);
  };
  for (let p = was.total; p < total; p++) touch(table.rec(timeline.get(p)));
  for (const jump of h.jumps) {
    if (jump.k <= was.total || jump.k > total) continue;
    for (const id of jump.ids) {
      const rec = versions.recOf(id);
      if (rec !== undefined) touch(rec);
    }
  }
  const added = fresh.map((rec) => ({ rec, src: versions.lastSrc(rec) })).filter((a) => holds(h, a.src));
  added.sort((a, b) => a.src - b.src);
  const size = was.recs.length + added.length;
  const recs = new Int32Array(size);
  const srcs = new Int32Array(size);
  let n = 0;
  let k = 0;
  // A merge of the untouched records (in source order already) with the touched ones alive now.
  for (let i = 0; i < was.recs.length; i++) {
    const rec = was.recs[i];
    if (touched[rec]) continue;
    const src = was.srcs[i];
    for (; k < added.length && added[k].src < src; k++, n++) {
      recs[n] = added[k].rec;
      srcs[n] = added[k].src;
    }
    recs[n] = rec;
    srcs[n++] = src;
  }
  for (; k < added.length; k++, n++) {
    recs[n] = added[k].rec;
    srcs[n] = added[k].src;
  }
  return { at: total, total, recs: recs.subarray(0, n), srcs: srcs.subarray(0, n) };
}

/** Bits of the key a radix pass sorts on */
const RADIX_BITS = 12;
const RADIX = 1 << RADIX_BITS;

/** Sort the first n (src, rec) pairs by src, in place (an LSD radix sort: a sort by comparison of a million pairs costs ten times as much). */
export function sortBySource(srcs: Int32Array, recs: Int32Array, n: number): void {
  if (n < 2) return;
  let min = srcs[0];
  let max = srcs[0];
  for (let i = 1; i < n; i++) {
    const s = srcs[i];
    if (s < min) min = s;
    else if (s > max) max = s;
  }
  const range = max - min;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = srcs[i - 1] <= srcs[i];
  if (sorted) return;
  let fromSrcs: Int32Array = srcs;
  let fromRecs: Int32Array = recs;
  let toSrcs: Int32Array = new Int32Array(n);
  let toRecs: Int32Array = new Int32Array(n);
  const counts = new Int32Array(RADIX);
  for (let shift = 0; shift < 32 && (shift === 0 || range >>> shift > 0); shift += RADIX_BITS) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((fromSrcs[i] - min) >>> shift) & (RADIX - 1)]++;
    let sum = 0;
    for (let d = 0; d < RADIX; d++) {
      const c = counts[d];
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const j = counts[((fromSrcs[i] - min) >>> shift) & (RADIX - 1)]++;
      toSrcs[j] = fromSrcs[i];
      toRecs[j] = fromRecs[i];
    }
    [fromSrcs, toSrcs] = [toSrcs, fromSrcs];
    [fromRecs, toRecs] = [toRecs, fromRecs];
  }
  if (fromSrcs !== srcs) {
    srcs.set(fromSrcs.subarray(0, n));
    recs.set(fromRecs.subarray(0, n));
  }
}
