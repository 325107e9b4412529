/**
 * The records alive at a position, with where each one's value is, in an
 * order that walks the columns a filter reads forward (at ten million ops
 * the jumps of a walk in id order were most of a filter's time). Made by one
 * pass over the records in record-number order (their version lists lie in
 * that order); when the sources met in that order are already nearly in
 * the order their values lie (a store read from one snapshot: value j is
 * the j-th record), the set keeps that order and nothing is sorted; else
 * the pairs are radix-sorted by source (grouping by block of entries alone
 * left half the jumps: a block's columns and op table are larger than a
 * core's cache). The set of the records alive now is kept by the filter
 * across queries and brought up to date when the live tail appends ops
 * (`advanced`): only the records those ops touched are looked at again.
 */
import type { StoreIndex } from "./store-index.js";
import { ABSENT, SNAPSHOT_ABSENT } from "./versions.js";

export interface AliveSet {
  /** The position, and the timeline's length it was made for */
  at: number;
  total: number;
  /** Record numbers, in the order of srcs */
  recs: Int32Array;
  /** Each record's version source at `at` (every one holds a value): snapshot sources (< 0) first, then entries */
  srcs: Int32Array;
  /** Sorted by source (ascending); else each part (snapshot sources, entries) by record number, the sources nearly in place already */
  bySource: boolean;
}

/** A walk in record order may step back in the columns once per this many records and still skip the sort. */
const NEARLY = 64;

/** Where a source's value lies, as one ascending number: snapshot values by number (source -1 - j), then op entries. */
function place(src: number): number {
  return src >= 0 ? src : -1 - src - 0x80000000;
}

/** How many times the first n sources step back in place order. */
function stepsBack(srcs: Int32Array, n: number): number {
  let back = 0;
  for (let i = 1; i < n; i++) if (place(srcs[i]) < place(srcs[i - 1])) back++;
  return back;
}

/** Whether a version source holds a record (not absent, not a delete). */
export function holds(h: StoreIndex, src: number): boolean {
  if (src >= 0) return !h.table.isDelete(src);
  return src !== ABSENT && src !== SNAPSHOT_ABSENT; // every other snapshot source is a value (versions.snapshotSrc): not read to tell
}

/**
 * The records alive at `at` (<= the timeline's length): those of snapshot
 * values, then those of ops, each part in record order when the sources
 * met in record order nearly lie in order already; else by ascending source.
 */
export function aliveSet(h: StoreIndex, at: number): AliveSet {
  const total = h.timeline.length;
  const { versions } = h;
  const size = versions.size;
  const recs = new Int32Array(size);
  const srcs = new Int32Array(size);
  const all = new Int32Array(size);
  // Every version holds from a position <= total: a record's latest is its value now, no search.
  if (at === total) versions.lastSrcs(all);
  else versions.srcsAt(at, all);
  let n = 0;
  let snapshots = 0;
  let back = 0;
  let last = -Infinity;
  for (let rec = 0; rec < size; rec++) {
    const src = all[rec];
    if (src === ABSENT || src === SNAPSHOT_ABSENT) continue;
    n++;
    if (src < 0) snapshots++;
    const p = place(src);
    if (p < last) back++;
    last = p;
  }
  const bySource = back * NEARLY > n;
  let a = 0;
  let b = bySource ? 0 : snapshots; // in place order, the entries go after the snapshot values
  for (let rec = 0; rec < size; rec++) {
    const src = all[rec];
    if (src === ABSENT || src === SNAPSHOT_ABSENT) continue;
    const i = bySource || src < 0 ? a++ : b++;
    recs[i] = rec;
    srcs[i] = src;
  }
  if (bySource) sortBySource(srcs, recs, n);
  // The deletes are told apart in the set's order: the op table is read forward.
  let kept = 0;
  for (let i = 0; i < n; i++) {
    if (!holds(h, srcs[i])) continue;
    recs[kept] = recs[i];
    srcs[kept++] = srcs[i];
  }
  return { at, total, recs: recs.subarray(0, kept), srcs: srcs.subarray(0, kept), bySource };
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
  // Merged in the set's own order: by source, or by record within each part.
  const key = was.bySource ? (a: { src: number }) => a.src : (a: { rec: number; src: number }) => (a.src < 0 ? 0 : 0x80000000) + a.rec;
  added.sort((a, b) => key(a) - key(b));
  const size = was.recs.length + added.length;
  const recs = new Int32Array(size);
  const srcs = new Int32Array(size);
  let n = 0;
  let k = 0;
  // A merge of the untouched records (in the set's order already) with the touched ones alive now.
  for (let i = 0; i < was.recs.length; i++) {
    const rec = was.recs[i];
    if (touched[rec]) continue;
    const src = was.srcs[i];
    const at = was.bySource ? src : (src < 0 ? 0 : 0x80000000) + rec;
    for (; k < added.length && key(added[k]) < at; k++, n++) {
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
  // A set in record order whose new sources scatter its walk is made again (and sorted).
  if (!was.bySource && stepsBack(srcs, n) * NEARLY > n) return null;
  return { at: total, total, recs: recs.subarray(0, n), srcs: srcs.subarray(0, n), bySource: was.bySource };
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
