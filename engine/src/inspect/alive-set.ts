/**
 * The records alive at a position, with where each one's value is, grouped
 * by where those values lie: snapshot values first, then op entries by the
 * block of 65,536 entries they fall in (the columns a filter reads and the
 * op table hold their entries in blocks that size), blocks ascending. A
 * filter then reads each block's arrays together instead of jumping to
 * another place of them once per record (at ten million ops the jumps were
 * most of a filter's time). Made by one pass over the records in
 * record-number order (their version lists lie in that order) and a
 * counting sort by block. The set of the records alive now is kept by the
 * filter across queries and brought up to date when the live tail appends
 * ops (`advanced`): only the records those ops touched are looked at again.
 */
import type { StoreIndex } from "./store-index.js";
import { ABSENT, SNAPSHOT_ABSENT } from "./versions.js";

/** Entries per block: kept-columns.ts's and optable.ts's chunks */
export const BLOCK_BITS = 16;

/** A source's group: 0 for snapshot values, 1 + its block for op entries. */
export function groupOf(src: number): number {
  return src < 0 ? 0 : 1 + (src >>> BLOCK_BITS);
}

export interface AliveSet {
  /** The position, and the timeline's length it was made for */
  at: number;
  total: number;
  /** Record numbers, in the order of srcs */
  recs: Int32Array;
  /** Each record's version source at `at`, grouped (groupOf ascending; every one holds a value) */
  srcs: Int32Array;
}

/** Whether a version source holds a record (not absent, not a delete). */
export function holds(h: StoreIndex, src: number): boolean {
  if (src >= 0) return !h.table.isDelete(src);
  return src !== ABSENT && src !== SNAPSHOT_ABSENT; // every other snapshot source is a value (versions.snapshotSrc): not read to tell
}

/** The records alive at `at` (<= the timeline's length), grouped by source. */
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
  groupBySource(srcs, recs, n);
  // The deletes are told apart in groups: the op table is read a block at a time.
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
  added.sort((a, b) => groupOf(a.src) - groupOf(b.src));
  const size = was.recs.length + added.length;
  const recs = new Int32Array(size);
  const srcs = new Int32Array(size);
  let n = 0;
  let k = 0;
  // A merge of the untouched records (grouped already) with the touched ones alive now.
  for (let i = 0; i < was.recs.length; i++) {
    const rec = was.recs[i];
    if (touched[rec]) continue;
    const src = was.srcs[i];
    for (; k < added.length && groupOf(added[k].src) < groupOf(src); k++, n++) {
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

/**
 * Group the first n (src, rec) pairs by groupOf(src), groups ascending, in
 * place: a counting sort, one pass to count and one to place (a sort by
 * source of a million pairs costs several times as much, for no gain: a
 * block's arrays are read together either way).
 */
export function groupBySource(srcs: Int32Array, recs: Int32Array, n: number): void {
  if (n < 2) return;
  let groups = 1;
  for (let i = 0; i < n; i++) {
    const g = groupOf(srcs[i]);
    if (g >= groups) groups = g + 1;
  }
  const starts = new Int32Array(groups + 1);
  let grouped = true;
  let last = 0;
  for (let i = 0; i < n; i++) {
    const g = groupOf(srcs[i]);
    starts[g + 1]++;
    if (g < last) grouped = false;
    last = g;
  }
  if (grouped) return;
  for (let g = 0; g < groups; g++) starts[g + 1] += starts[g];
  const toSrcs = new Int32Array(n);
  const toRecs = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const j = starts[groupOf(srcs[i])]++;
    toSrcs[j] = srcs[i];
    toRecs[j] = recs[i];
  }
  srcs.set(toSrcs);
  recs.set(toRecs);
}
