/**
 * Every value each record has had, as a list of versions per record: version
 * (k, src) holds from state k (the state after k timeline ops) until the next
 * version. A version's value is an op's data (src >= 0: the op's entry in the
 * op index, read from disk when shown) or a value a snapshot set (src < 0,
 * kept here). A seek is a binary search per record, never a replay from zero.
 */
import { IdIndex } from "./id-index.js";
import { IntList } from "./optable.js";
import { RecordIds } from "./record-ids.js";
import { SnapshotValues } from "./snapshot-values.js";
import type { OpTable } from "./optable.js";
import type { Doc } from "./types.js";

// The current state is its own concern (current-state.ts); build.ts still imports it from here.
export { CurrentState } from "./current-state.js";

/** No version at all: the record did not exist yet. */
export const ABSENT = -0x7fffffff;
/** A snapshot left the record out: absent from there on. */
export const SNAPSHOT_ABSENT = -1;

export interface VersionList {
  /** State index from which each version holds; non-decreasing */
  k: number[];
  /** Where each version's value is: an op entry (>= 0) or a snapshot value (< 0) */
  src: number[];
}

export class RecordVersions {
  /** Record number -> id (ids.at(rec)); one string shared by every op on the record while the index is built */
  readonly ids = new RecordIds();
  private index = new IdIndex(this.ids);
  /** The values snapshots set: source -1 - j is value j (-1 itself: absent) */
  private snapshotValues = new SnapshotValues();
  private sorted: Int32Array | null = null;
  /** Per record, side by side: its latest source and the agent of that op (what replay asks for each op) */
  private latest = new IntList();
  /**
   * While the index is built, the versions ops give are the timeline itself
   * (the op at position p holds from state p + 1 on), and the few a
   * snapshot gives are logged here, in push order; the first query seals
   * both into one compact array grouped by record (start[rec]..start[rec + 1]).
   * Versions pushed after that (tailing a live store) go to `extra`, per record.
   */
  private log: { rec: IntList; k: IntList; src: IntList } | null = { rec: new IntList(), k: new IntList(), src: new IntList() };
  private start = new Int32Array(1);
  private ks = new Int32Array(0);
  private srcs = new Int32Array(0);
  private extra = new Map<number, VersionList>();

  /** `timeline`: position -> op entry in `table`, as the build fills it (see `log`). */
  constructor(
    private readonly table: OpTable,
    private readonly timeline: IntList,
  ) {}

  /** The record number of id, allocated on first sight. */
  intern(id: string): number {
    let rec = this.index.get(id);
    if (rec === -1) {
      rec = this.ids.push(id);
      this.index.add(id, rec);
      this.latest.push(ABSENT);
      this.latest.push(0);
      this.sorted = null;
    }
    return rec;
  }

  recOf(id: string): number | undefined {
    const rec = this.index.get(id);
    return rec === -1 ? undefined : rec;
  }

  /**
   * From state k on, rec's value is src (an op by `agent`, or 0). While the
   * index is built, an op's version is pushed as it joins the timeline (k is
   * its position + 1) and a snapshot's at the timeline's end (k = its length).
   */
  push(rec: number, k: number, src: number, agent = 0): void {
    if (this.log) {
      if (src < 0) {
        this.log.rec.push(rec);
        this.log.k.push(k);
        this.log.src.push(src);
      }
    } else {
      let list = this.extra.get(rec);
      if (!list) this.extra.set(rec, (list = { k: [], src: [] }));
      list.k.push(k);
      list.src.push(src);
    }
    this.latest.set(2 * rec, src);
    this.latest.set(2 * rec + 1, agent);
  }

  /**
   * Group the versions by record, in push order (a counting sort: stable,
   * so each record's stay in order): the timeline's, with the logged
   * snapshot versions among them (one at k goes after the op at position
   * k - 1, as it was pushed). Done once the index is built; later versions
   * go to `extra`.
   */
  seal(): void {
    const log = this.log;
    if (!log) return;
    this.log = null;
    const { table, timeline } = this;
    const ops = timeline.length;
    const logged = log.rec.length;
    const start = new Int32Array(this.ids.length + 1);
    for (let p = 0; p < ops; p++) start[table.rec(timeline.get(p)) + 1]++;
    for (let i = 0; i < logged; i++) start[log.rec.get(i) + 1]++;
    for (let r = 0; r < this.ids.length; r++) start[r + 1] += start[r];
    const next = start.slice(0, this.ids.length);
    const ks = new Int32Array(ops + logged);
    const srcs = new Int32Array(ops + logged);
    const put = (rec: number, k: number, src: number) => {
      const j = next[rec]++;
      ks[j] = k;
      srcs[j] = src;
    };
    let i = 0;
    for (let p = 0; p < ops; p++) {
      for (; i < logged && log.k.get(i) <= p; i++) put(log.rec.get(i), log.k.get(i), log.src.get(i));
      const e = timeline.get(p);
      put(table.rec(e), p + 1, e);
    }
    for (; i < logged; i++) put(log.rec.get(i), log.k.get(i), log.src.get(i)); // the last snapshot's, at the timeline's end
    this.start = start;
    this.ks = ks;
    this.srcs = srcs;
  }

  /** Give back the room left at the end of the growable lists, and join the ids (the build is over). */
  trim(): void {
    this.latest.trim();
    this.ids.compact();
  }

  /** A source for a value a snapshot set. */
  snapshotSrc(value: Doc | null): number {
    if (value === null) return SNAPSHOT_ABSENT;
    return -1 - this.snapshotValues.push(value);
  }

  snapshotValue(src: number): Doc | null {
    return src === SNAPSHOT_ABSENT ? null : this.snapshotValues.get(-1 - src);
  }

  /** A snapshot's value if it is in memory (not still in the index cache's bytes). */
  snapshotPeek(src: number): Doc | undefined {
    return src === SNAPSHOT_ABSENT ? undefined : this.snapshotValues.peek(-1 - src);
  }

  /** The values snapshots set, with their fields' columns (source src is value -1 - src). */
  get snapshots(): SnapshotValues {
    return this.snapshotValues;
  }

  /** Every version of rec, oldest first. */
  list(rec: number): VersionList {
    if (this.log) this.seal();
    const from = rec + 1 < this.start.length ? this.start[rec] : 0;
    const to = rec + 1 < this.start.length ? this.start[rec + 1] : 0;
    const extra = this.extra.get(rec);
    return { k: [...this.ks.subarray(from, to), ...(extra?.k ?? [])], src: [...this.srcs.subarray(from, to), ...(extra?.src ?? [])] };
  }

  /** The source of rec's value in state `at`: ABSENT when it had none yet. */
  srcAt(rec: number, at: number): number {
    if (this.log) this.seal();
    if (this.extra.size > 0) {
      const extra = this.extra.get(rec);
      if (extra && extra.k[0] <= at) return extra.src[lastIndexAtOrBefore(extra.k, 0, extra.k.length, at)];
    }
    if (rec + 1 >= this.start.length) return ABSENT;
    const i = lastIndexAtOrBefore(this.ks, this.start[rec], this.start[rec + 1], at);
    return i === -1 ? ABSENT : this.srcs[i];
  }

  /**
   * Every record's source in state `at` into out[rec] (ABSENT when it had
   * none yet), in one forward walk of the version lists: srcAt for each
   * record, without a call and a look at the live tail's versions per record.
   */
  srcsAt(at: number, out: Int32Array): void {
    if (this.log) this.seal();
    const { start, ks, srcs } = this;
    const sealed = Math.min(out.length, start.length - 1);
    for (let rec = 0; rec < sealed; rec++) {
      const found = lastIndexAtOrBefore(ks, start[rec], start[rec + 1], at);
      out[rec] = found === -1 ? ABSENT : srcs[found];
    }
    out.fill(ABSENT, Math.max(0, sealed));
    for (const [rec, extra] of this.extra) if (rec < out.length && extra.k[0] <= at) out[rec] = extra.src[lastIndexAtOrBefore(extra.k, 0, extra.k.length, at)];
  }

  /** Every record's latest source (lastSrc) into out[rec]. */
  lastSrcs(out: Int32Array): void {
    const n = Math.min(out.length, this.ids.length);
    for (let rec = 0; rec < n; rec++) out[rec] = this.latest.get(2 * rec);
  }

  /** The source of rec's latest value (as of the last push), or ABSENT. */
  lastSrc(rec: number): number {
    return this.latest.get(2 * rec);
  }

  /** The agent of the op that gave rec its latest value (0: none, or a snapshot). */
  lastAgent(rec: number): number {
    return this.latest.get(2 * rec + 1);
  }

  /** Every record number, in id order (cached until a new id appears). */
  sortedRecs(): Int32Array {
    if (!this.sorted) {
      const ids = this.ids.toArray();
      this.sorted = Int32Array.from(ids.keys()).sort((a, b) => compareIds(ids[a], ids[b]));
    }
    return this.sorted;
  }

  get size(): number {
    return this.ids.length;
  }
}


/** Index of the last element <= at in ks[from, to) (non-decreasing), or -1. */
function lastIndexAtOrBefore(ks: ArrayLike<number>, from: number, to: number, at: number): number {
  let lo = from;
  let hi = to - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ks[mid] <= at) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
