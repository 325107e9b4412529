/**
 * Every value each record has had, as a list of versions per record: version
 * (k, src) holds from state k (the state after k timeline ops) until the next
 * version. A version's value is an op's data (src >= 0: the op's entry in the
 * op index, read from disk when shown) or a value a snapshot set (src < 0,
 * kept here). A seek is a binary search per record, never a replay from zero.
 */
import { IntList } from "./optable.js";
import type { Doc } from "./types.js";

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
  /** Record number -> id; one string shared by every op on the record */
  readonly ids: string[] = [];
  private index = new Map<string, number>();
  private snapshotValues: (Doc | null)[] = [null];
  private sorted: Int32Array | null = null;
  /** Per record, side by side: its latest source and the agent of that op (what replay asks for each op) */
  private latest = new IntList();
  /**
   * While the index is built, versions are logged in push order (cheap,
   * sequential writes); the first query seals them into one compact array
   * grouped by record (start[rec]..start[rec + 1]). Versions pushed after
   * that (tailing a live store) go to `extra`, per record.
   */
  private log: { rec: IntList; k: IntList; src: IntList } | null = { rec: new IntList(), k: new IntList(), src: new IntList() };
  private start = new Int32Array(1);
  private ks = new Int32Array(0);
  private srcs = new Int32Array(0);
  private extra = new Map<number, VersionList>();

  /** The record number of id, allocated on first sight. */
  intern(id: string): number {
    let rec = this.index.get(id);
    if (rec === undefined) {
      rec = this.ids.length;
      this.ids.push(id);
      this.index.set(id, rec);
      this.latest.push(ABSENT);
      this.latest.push(0);
      this.sorted = null;
    }
    return rec;
  }

  recOf(id: string): number | undefined {
    return this.index.get(id);
  }

  /** From state k on, rec's value is src (an op by `agent`, or 0). */
  push(rec: number, k: number, src: number, agent = 0): void {
    if (this.log) {
      this.log.rec.push(rec);
      this.log.k.push(k);
      this.log.src.push(src);
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
   * Group the logged versions by record (a counting sort: stable, so each
   * record's stay in order). Done once the index is built; later versions
   * go to `extra`.
   */
  seal(): void {
    const log = this.log;
    if (!log) return;
    this.log = null;
    const n = log.rec.length;
    const start = new Int32Array(this.ids.length + 1);
    for (let i = 0; i < n; i++) start[log.rec.get(i) + 1]++;
    for (let r = 0; r < this.ids.length; r++) start[r + 1] += start[r];
    const next = start.slice(0, this.ids.length);
    const ks = new Int32Array(n);
    const srcs = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const j = next[log.rec.get(i)]++;
      ks[j] = log.k.get(i);
      srcs[j] = log.src.get(i);
    }
    this.start = start;
    this.ks = ks;
    this.srcs = srcs;
  }

  /** A source for a value a snapshot set. */
  snapshotSrc(value: Doc | null): number {
    if (value === null) return SNAPSHOT_ABSENT;
    this.snapshotValues.push(value);
    return -this.snapshotValues.length;
  }

  snapshotValue(src: number): Doc | null {
    return this.snapshotValues[-src - 1];
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
      const ids = this.ids;
      this.sorted = Int32Array.from(ids.keys()).sort((a, b) => compareIds(ids[a], ids[b]));
    }
    return this.sorted;
  }

  get size(): number {
    return this.ids.length;
  }
}

/** The current state: each record's value by record number, as parsed. */
export class CurrentState {
  private values: (Doc | undefined)[] = [];
  size = 0;

  get(rec: number): Doc | undefined {
    return this.values[rec];
  }

  has(rec: number): boolean {
    return this.values[rec] !== undefined;
  }

  /** Set rec's value; null removes it. */
  set(rec: number, value: Doc | null): void {
    while (this.values.length <= rec) this.values.push(undefined);
    const had = this.values[rec] !== undefined;
    if (value === null) {
      if (had) this.size--;
      this.values[rec] = undefined;
    } else {
      if (!had) this.size++;
      this.values[rec] = value;
    }
  }

  /** Every record present, with its value, in record-number order. */
  *entries(): Generator<[number, Doc]> {
    for (let rec = 0; rec < this.values.length; rec++) {
      const value = this.values[rec];
      if (value !== undefined) yield [rec, value];
    }
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
