/**
 * The records alive at a position that pass a filter, by record number, in
 * id order (or the requested sort): the current state and any past position
 * alike, from per-record versions (versions.ts) and the columns of the fields
 * the filter names (columns.ts, mostly kept by the build: kept-columns.ts),
 * never from whole documents. The records alive are walked in the order
 * their values lie in the columns (alive-set.ts), one field at a time, each
 * on the records the last let through, by the values' codes; the set of the
 * records alive now is kept across queries and brought up to date by the
 * live tail's appends. The last answer
 * is kept; a nearby position of the same filter (a Timeline step) re-checks
 * only the records the ops in between touched. Filters that may look at more
 * than named fields get null: the caller evaluates whole documents.
 */
import { advanced, aliveSet, holds } from "./alive-set.js";
import type { AliveSet } from "./alive-set.js";
import { FieldColumns } from "./columns.js";
import { planRecordFilter } from "./filter-plan.js";
import type { FilterPlan } from "./filter-plan.js";
import type { StoreIndex } from "./store-index.js";
import { compareValues, valueAtPath } from "./filter.js";
import { compareIds } from "./versions.js";
import type { Doc, RecordsRequest } from "./types.js";

/** Positions apart within which a step re-checks the touched records instead of the whole state. */
const STEP_LIMIT = 5_000;

export type FilteredRequest = Pick<RecordsRequest, "filter" | "sort" | "idContains"> & { at: number };

interface Answer {
  key: string;
  at: number;
  total: number;
  /** Matching record numbers, in order */
  recs: number[];
}

export class RecordFilter {
  private readonly columns: FieldColumns;
  private last: Answer | null = null;
  /** The records alive now, kept across queries (and moved on by the live tail's appends) */
  private now: AliveSet | null = null;
  /** Those alive at the last other position asked */
  private past: AliveSet | null = null;
  /** Each record's place in id order (versions.sortedRecs), for the steps' sorted inserts */
  private rank: { sorted: Int32Array; of: Int32Array } | null = null;
  /** Buffers the scans reuse: large typed arrays made anew per scan set off full collections of the heap (their memory is outside it) */
  private readonly buffers: Int32Array[] = [];
  /** All zero between scans */
  private marks = new Uint8Array(0);

  constructor(readonly h: StoreIndex) {
    this.columns = new FieldColumns(h);
  }

  /**
   * The matching records at req.at, in order; null when the filter needs
   * whole documents. Throws bad-filter.
   */
  matching(req: FilteredRequest): number[] | null {
    const plan = planRecordFilter(req.filter, req.sort?.field);
    if (!plan) return null;
    const total = this.h.timeline.length;
    const key = JSON.stringify([req.filter ?? null, req.sort ?? null, req.idContains ?? ""]);
    const last = this.last?.key === key && this.last.total === total ? this.last : null;
    if (last?.at === req.at) return last.recs;
    const recs = last && !req.sort && Math.abs(last.at - req.at) <= STEP_LIMIT ? this.step(last, req, plan) : this.scan(req, plan);
    this.last = { key, at: req.at, total, recs };
    return recs;
  }

  /**
   * Ahead of any filter, in the turns of the event loop no query takes
   * (`turn`): the columns of the snapshots' short top-level fields, the
   * records alive now, and those fields' values for them read once, one
   * field a turn, by the walk a filter makes (a filter on whether the field
   * is there, its answer dropped): the first filter on these fields then
   * finds the scan's buffers made, the columns read in and the walk's code
   * compiled (that first walk cost 2 to 3 times the next ones). Stops when
   * the history moves on (a later filter makes what it needs itself).
   */
  async prepare(turn: () => Promise<void>): Promise<void> {
    const fields = await this.h.versions.snapshots.makeColumnsAhead(turn);
    const total = this.h.timeline.length;
    await turn();
    if (this.h.timeline.length !== total) return;
    this.aliveAt(total);
    for (const field of fields) {
      await turn();
      if (this.h.timeline.length !== total) return;
      const plan = planRecordFilter({ [field]: { $exists: true } }, undefined);
      if (plan) this.scan({ at: total }, plan);
    }
  }

  /** Forget the last answer (the columns stay: ops already read keep their values; the set alive now is moved on when next asked). */
  forgetAnswer(): void {
    this.last = null;
    this.past = null;
  }

  /** Whether two version sources' values are known to differ without reading them (see KeptColumns.knownDifferent). */
  knownDifferent(a: number, b: number): boolean {
    return this.h.columns.knownDifferent(a, b);
  }

  /** The records alive at `at`, by source: the set alive now is kept, and moved on after appends; one other position is kept. */
  private aliveAt(at: number): AliveSet {
    const total = this.h.timeline.length;
    if (at !== total) {
      if (this.past?.at !== at || this.past.total !== total) this.past = aliveSet(this.h, at);
      return this.past;
    }
    if (this.now?.total !== total) this.now = (this.now && advanced(this.h, this.now)) ?? aliveSet(this.h, total);
    return this.now;
  }

  /** Every record alive at req.at, checked one field at a time; the passing ones in id order (or sorted). */
  private scan(req: FilteredRequest, plan: FilterPlan): number[] {
    const { versions } = this.h;
    const alive = this.aliveAt(req.at);
    const { recs, srcs } = alive;
    let n = recs.length;
    let idx = this.buffer(0, n);
    for (let i = 0; i < n; i++) idx[i] = i;
    if (req.idContains) {
      let m = 0;
      for (let j = 0; j < n; j++) if (versions.ids.at(recs[idx[j]]).includes(req.idContains)) idx[m++] = idx[j];
      n = m;
    }
    if (plan.test) [idx, n] = this.passing(plan, alive, idx, n);
    if (!req.sort) return this.inIdOrder(alive, idx, n);
    const kept = new Int32Array(n);
    for (let j = 0; j < n; j++) kept[j] = recs[idx[j]];
    const keptSrcs = new Int32Array(n);
    for (let j = 0; j < n; j++) keptSrcs[j] = srcs[idx[j]];
    const values = this.columns.gather(keptSrcs, plan.fields);
    const rows = new Array<Doc>(n);
    for (let k = 0; k < n; k++) rows[k] = rowOf(plan.fields, values, k);
    return this.sorted([...kept], rows, req.sort); // ties go by id: the order they come in does not matter
  }

  /**
   * Of the candidates idx[0..n) (indices into srcs, grouped), those that
   * pass the plan's test, in the same order: each field's conditions tested
   * by the columns' codes on the records the last let through; a record
   * whose value a column does not hold (an object, a long string, a field
   * not kept), or when a condition looks at two fields, is tested whole on
   * its values read (columns.ts).
   */
  private passing(plan: FilterPlan, alive: AliveSet, idx: Int32Array, n: number): [Int32Array, number] {
    const { columns, versions } = this.h;
    const { srcs } = alive;
    const unsure = this.buffer(1, n);
    let u = 0;
    // Snapshot sources (< 0) come first in srcs: the candidates before `entries` read the snapshots' columns.
    let entries = 0;
    while (entries < n && srcs[idx[entries]] < 0) entries++;
    let snap = entries;
    let ops = n - entries;
    const opIdx = idx.subarray(entries, n);
    for (const { field, test } of plan.byField) {
      if (snap > 0) [snap, u] = versions.snapshots.sift(field, srcs, idx, snap, test, idx, unsure, u);
      if (ops > 0) [ops, u] = columns.sift(field, srcs, opIdx, ops, test, opIdx, unsure, u);
    }
    // The survivors: the snapshots' then the ops'.
    idx.copyWithin(snap, entries, entries + ops);
    const through = idx.subarray(0, snap + ops);
    const whole = plan.whole ? unsure.subarray(0, u) : concat(unsure.subarray(0, u), through);
    if (whole.length === 0) return [through, through.length];
    const wholeSrcs = new Int32Array(whole.length);
    for (let k = 0; k < whole.length; k++) wholeSrcs[k] = srcs[whole[k]];
    const passes = tester(plan, this.columns.gather(wholeSrcs, plan.fields));
    const out = this.buffer(2, whole.length + (plan.whole ? through.length : 0));
    let m = 0;
    if (plan.whole) for (let k = 0; k < through.length; k++) out[m++] = through[k];
    for (let k = 0; k < whole.length; k++) if (passes(k)) out[m++] = whole[k];
    return [out, m];
  }

  /**
   * The records at places idx[0..n) of the alive set (each once), in id
   * order: marked, then met in the walk of every record by id (when the set
   * keeps record order and record numbers are in id order, as a snapshot
   * lists them, both walk memory forward).
   */
  private inIdOrder(alive: AliveSet, idx: Int32Array, n: number): number[] {
    const { versions } = this.h;
    const { recs } = alive;
    const out = new Array<number>(n); // sized once: the answer is edited in place by a step's splices
    const marked = this.marked(versions.size);
    let m = 0;
    const sorted = versions.sortedRecs();
    for (let k = 0; k < n; k++) marked[recs[idx[k]]] = 1;
    for (let i = 0; m < n; i++) {
      const rec = sorted[i];
      if (!marked[rec]) continue; // cleared as met: all zero again when the walk ends
      marked[rec] = 0;
      out[m++] = rec;
    }
    return out;
  }

  /** Reused buffer k, of at least n numbers (what it held is garbage). */
  private buffer(k: number, n: number): Int32Array {
    let buffer = this.buffers[k];
    if (!buffer || buffer.length < n) this.buffers[k] = buffer = new Int32Array(n);
    return buffer;
  }

  /** The reused marks, at least n, all zero (the caller leaves them so). */
  private marked(n: number): Uint8Array {
    if (this.marks.length < n) this.marks = new Uint8Array(n);
    return this.marks;
  }

  /** As the plain evaluator sorts: by the field's value (missing first, then by type), ties by id. */
  private sorted(recs: number[], rows: Doc[], sort: NonNullable<RecordsRequest["sort"]>): number[] {
    const { versions } = this.h;
    const ids = recs.map((rec) => versions.ids.at(rec)); // once each, not once per comparison
    const keys = rows.map((row, i) => (sort.field === "id" ? ids[i] : valueAtPath(row, sort.field)));
    const order = recs.map((_, i) => i);
    order.sort((a, b) => sort.dir * compareValues(keys[a], keys[b]) || compareIds(ids[a], ids[b]));
    return order.map((i) => recs[i]);
  }

  /** The last answer moved to req.at: only records an op (or a snapshot) between the two positions touched can change. */
  private step(last: Answer, req: FilteredRequest, plan: FilterPlan): number[] {
    const { versions, timeline, table } = this.h;
    const [lo, hi] = last.at <= req.at ? [last.at, req.at] : [req.at, last.at];
    const touched = new Set<number>();
    for (let p = lo; p < hi; p++) touched.add(table.rec(timeline.get(p)));
    for (const jump of this.h.jumps) {
      if (jump.k <= lo || jump.k > hi) continue;
      for (const id of jump.ids) {
        const rec = versions.recOf(id);
        if (rec !== undefined) touched.add(rec);
      }
    }
    const candidates: number[] = [];
    const srcs: number[] = [];
    for (const rec of touched) {
      const src = versions.srcAt(rec, req.at);
      if (!holds(this.h, src) || (req.idContains && !versions.ids.at(rec).includes(req.idContains))) continue;
      candidates.push(rec);
      srcs.push(src);
    }
    const passes = tester(plan, plan.test ? this.columns.gather(srcs, plan.fields) : []);
    const passing = new Set(candidates.filter((_, i) => passes(i)));
    const rank = this.ranks();
    const recs = last.recs; // the last answer is replaced by this one: edited in place
    for (const rec of touched) {
      const at = lowerBound(recs, rank[rec], rank);
      const present = recs[at] === rec;
      if (passing.has(rec) && !present) recs.splice(at, 0, rec);
      else if (!passing.has(rec) && present) recs.splice(at, 1);
    }
    return recs;
  }

  private ranks(): Int32Array {
    const sorted = this.h.versions.sortedRecs();
    if (this.rank?.sorted !== sorted) {
      const of = new Int32Array(sorted.length);
      for (let i = 0; i < sorted.length; i++) of[sorted[i]] = i;
      this.rank = { sorted, of };
    }
    return this.rank.of;
  }
}

/** The first index of recs (ascending by rank) whose rank is >= r. */
function lowerBound(recs: number[], r: number, rank: Int32Array): number {
  let lo = 0;
  let hi = recs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rank[recs[mid]] < r) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** a then b, as one array. */
function concat(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Record i's values as a document cut down to `fields`. */
function rowOf(fields: readonly string[], values: unknown[][], i: number): Doc {
  const row: Doc = {};
  for (let f = 0; f < fields.length; f++) if (values[f][i] !== undefined) row[fields[f]] = values[f][i];
  return row;
}

/** Whether record i passes: compiled comparisons when its values are scalars, mingo on its cut-down document otherwise. */
function tester(plan: FilterPlan, values: unknown[][]): (i: number) => boolean {
  const { test, scalar, fields } = plan;
  if (!test) return () => true;
  if (!scalar) return (i) => test(rowOf(fields, values, i));
  return (i) => {
    for (let f = 0; f < values.length; f++) {
      const v = values[f][i];
      if (v !== null && typeof v === "object") return test(rowOf(fields, values, i));
    }
    return scalar(values, i);
  };
}
