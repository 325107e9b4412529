/**
 * The records alive at a position that pass a filter, by record number, in
 * id order (or the requested sort): the current state and any past position
 * alike, from per-record versions (versions.ts) and the columns of the fields
 * the filter names (columns.ts, mostly kept by the build: kept-columns.ts),
 * never from whole documents. The last answer
 * is kept; a nearby position of the same filter (a Timeline step) re-checks
 * only the records the ops in between touched. Filters that may look at more
 * than named fields get null: the caller evaluates whole documents.
 */
import { FieldColumns } from "./columns.js";
import { planRecordFilter } from "./filter-plan.js";
import type { FilterPlan } from "./filter-plan.js";
import type { StoreIndex } from "./store-index.js";
import { compareValues, valueAtPath } from "./filter.js";
import { ABSENT, SNAPSHOT_ABSENT, compareIds } from "./versions.js";
import type { Doc, RecordsRequest } from "./types.js";

/** Positions apart within which a step re-checks the touched records instead of the whole state. */
const STEP_LIMIT = 5_000;

export type FilteredRequest = Pick<RecordsRequest, "filter" | "sort" | "idContains"> & { at: number };

/** The records alive at a position, in id order, and where each one's value is (typed arrays: a million pushes into growing arrays cost ten times as much on a heap this size). */
interface Alive {
  at: number;
  total: number;
  recs: Int32Array;
  srcs: Int32Array;
  /** Each field's values for srcs, once gathered: the next filter at this position reuses them */
  values: Map<string, unknown[]>;
}

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
  private alive: Alive[] = [];
  /** Each record's place in id order (versions.sortedRecs), for the steps' sorted inserts */
  private rank: { sorted: Int32Array; of: Int32Array } | null = null;

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
   * records alive now, and those fields' values for them, one field a turn.
   * The first filter on these fields then only tests. Stops when the
   * history moves on (a later filter gathers what it needs itself).
   */
  async prepare(turn: () => Promise<void>): Promise<void> {
    const fields = await this.h.versions.snapshots.makeColumnsAhead(turn);
    const total = this.h.timeline.length;
    await turn();
    if (fields.length === 0 || this.h.timeline.length !== total) return;
    const alive = this.aliveAt(total);
    for (const field of fields) {
      await turn();
      if (!this.alive.includes(alive) || this.h.timeline.length !== total) return;
      this.gatherKept(alive, [field]);
    }
  }

  /** Forget the last answer (the columns stay: ops already read keep their values). */
  forgetAnswer(): void {
    this.last = null;
    this.alive = [];
  }

  /** Whether two version sources' values are known to differ without reading them (see KeptColumns.knownDifferent). */
  knownDifferent(a: number, b: number): boolean {
    return this.h.columns.knownDifferent(a, b);
  }

  /** Whether a version source holds a record (not absent, not a delete). */
  private holds(src: number): boolean {
    if (src >= 0) return !this.h.table.isDelete(src);
    return src !== ABSENT && src !== SNAPSHOT_ABSENT; // every other snapshot source is a value (versions.snapshotSrc): not read to tell
  }

  /** The records alive at `at` in id order, with their version sources: kept for now and for the last other position. */
  private aliveAt(at: number): Alive {
    const total = this.h.timeline.length;
    const kept = this.alive.find((a) => a.at === at && a.total === total);
    if (kept) return kept;
    const { versions } = this.h;
    const sorted = versions.sortedRecs();
    const recs = new Int32Array(sorted.length);
    const srcs = new Int32Array(sorted.length);
    let n = 0;
    const now = at === total; // every version holds from a position <= total: a record's latest is its value now, no search
    for (let i = 0; i < sorted.length; i++) {
      const src = now ? versions.lastSrc(sorted[i]) : versions.srcAt(sorted[i], at);
      if (!this.holds(src)) continue;
      recs[n] = sorted[i];
      srcs[n++] = src;
    }
    const alive = { at, total, recs: recs.subarray(0, n), srcs: srcs.subarray(0, n), values: new Map<string, unknown[]>() };
    this.alive = [alive, ...this.alive.filter((a) => a.at === a.total && a.total === total && at !== total)];
    return alive;
  }

  /** The values of `fields` for every record alive at a position, each field gathered once per position. */
  private gatherKept(alive: Alive, fields: readonly string[]): unknown[][] {
    const missing = fields.filter((f) => !alive.values.has(f));
    if (missing.length > 0) this.columns.gather(alive.srcs, missing).forEach((values, i) => alive.values.set(missing[i], values));
    return fields.map((f) => alive.values.get(f)!);
  }

  /** Every record alive at req.at, checked. */
  private scan(req: FilteredRequest, plan: FilterPlan): number[] {
    const { versions } = this.h;
    const alive = this.aliveAt(req.at);
    let { recs, srcs } = alive;
    if (req.idContains) {
      const [hitRecs, hitSrcs] = [new Int32Array(recs.length), new Int32Array(recs.length)];
      let n = 0;
      for (let i = 0; i < recs.length; i++) {
        if (!versions.ids.at(recs[i]).includes(req.idContains)) continue;
        hitRecs[n] = recs[i];
        hitSrcs[n++] = srcs[i];
      }
      recs = hitRecs.subarray(0, n);
      srcs = hitSrcs.subarray(0, n);
    }
    if (!plan.test && !req.sort) return toArray(recs, recs.length); // a copy: a step edits the answer in place
    const values = req.idContains ? this.columns.gather(srcs, plan.fields) : this.gatherKept(alive, plan.fields);
    const passes = tester(plan, values);
    const kept = new Int32Array(recs.length);
    const keptAt = new Int32Array(recs.length);
    let n = 0;
    for (let i = 0; i < recs.length; i++) {
      if (!passes(i)) continue;
      kept[n] = recs[i];
      keptAt[n++] = i;
    }
    if (!req.sort) return toArray(kept, n);
    const rows = new Array<Doc>(n);
    for (let k = 0; k < n; k++) rows[k] = rowOf(plan.fields, values, keptAt[k]);
    return this.sorted(toArray(kept, n), rows, req.sort);
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
      if (!this.holds(src) || (req.idContains && !versions.ids.at(rec).includes(req.idContains))) continue;
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

/** The first n numbers of a typed array as a plain array (sized once: the answer is edited in place by a step's splices). */
function toArray(typed: Int32Array, n: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = typed[i];
  return out;
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
