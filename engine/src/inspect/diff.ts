/**
 * The difference between two positions of the timeline: which records were
 * added, removed, changed or archived, by page. Only the records an op or a
 * snapshot touched between the two are compared, and values are read back
 * from the WALs only where both sides hold one.
 */
import type { QueryContext } from "./context.js";
import { CHECK_EVERY, checkpoint } from "./checkpoint.js";
import { jsonEqual } from "./json.js";
import { compareIds } from "./versions.js";
import { filteredDiffPage, isFilteredDiff } from "./compare.js";
import type { DiffPage, DiffRequest, DiffRow } from "./types.js";

/** A diff row before its values are read: which version each side has. */
interface DiffRef {
  rec: number;
  kind: DiffRow["kind"];
  before: number;
  after: number;
  /** The archive segment, when an archive removed it */
  segment?: string;
}


async function diff(ctx: QueryContext, req: DiffRequest, signal?: AbortSignal): Promise<DiffPage> {
  const { a, b } = req;
  ctx.checkAt(a);
  ctx.checkAt(b);
  if (isFilteredDiff(req)) return filteredDiffPage(ctx, req, (page) => diff(ctx, { a, b, ...page }, signal), signal);
  const key = `${a}/${b}/${ctx.total}`;
  const { refs, counts } = await ctx.caches.cachedAsync("diff", key, async () => {
    const refs = await diffRefs(ctx, a, b, signal);
    return { refs, counts: ctx.labelArchived(await ctx.events(), refs, b) };
  });
  const slice = refs.slice(req.offset, req.offset + req.limit);
  const values = ctx.values(slice.flatMap((r) => [r.before, r.after]));
  const rows = slice.map((r, i): DiffRow => ({ id: ctx.idOfRecord(r.rec), kind: r.kind, before: values[2 * i], after: values[2 * i + 1], ...(r.segment ? { segment: r.segment } : {}) }));
  return { rows, total: refs.length, offset: req.offset, limit: req.limit, counts };
}

/** Which records differ between states a and b, and how; values are read only where both hold one. */
async function diffRefs(ctx: QueryContext, a: number, b: number, signal: AbortSignal | undefined): Promise<DiffRef[]> {
  const table = ctx.ops;
  const [lo, hi] = a <= b ? [a, b] : [b, a];
  const jumped = ctx.snapshotChanges(lo, hi);
  // A flag per record, not a Set: ten million positions over a million records stay a pass over a typed array.
  const touched = new Uint8Array(ctx.recordCount);
  let count = 0;
  const touch = (rec: number) => {
    if (touched[rec] === 0) count++;
    touched[rec] = 1;
  };
  for (let p = lo; p < hi; p++) {
    if (signal && p > lo && (p - lo) % CHECK_EVERY === 0) await checkpoint(signal);
    touch(table.rec(ctx.entryAt(p)));
  }
  for (const rec of jumped) touch(rec);
  const refs: DiffRef[] = [];
  const both: DiffRef[] = [];
  for (const rec of inIdOrder(ctx, touched, count)) {
    const before = ctx.stateAt(rec, a);
    const after = ctx.stateAt(rec, b);
    if (before === after) continue;
    const had = ctx.holds(before);
    const has = ctx.holds(after);
    if (!had && !has) continue;
    const ref: DiffRef = { rec, kind: had ? (has ? "changed" : "removed") : "added", before, after };
    refs.push(ref);
    if (had && has && !ctx.recordFilter().knownDifferent(before, after)) both.push(ref); // their hashes differ: changed, nothing to read
  }
  // Two versions can hold equal values (a set that changed nothing): those are not changes.
  const unchanged = new Set<DiffRef>();
  for (let i = 0; i < both.length; i += CHECK_EVERY) {
    if (i > 0) await checkpoint(signal);
    const batch = both.slice(i, i + CHECK_EVERY);
    const values = ctx.values(batch.flatMap((r) => [r.before, r.after]));
    batch.forEach((r, j) => {
      if (jsonEqual(values[2 * j], values[2 * j + 1])) unchanged.add(r);
    });
  }
  return unchanged.size === 0 ? refs : refs.filter((r) => !unchanged.has(r));
}

/** Records to sort by id beyond which walking every record in id order (kept by the index) is quicker than sorting them */
const SORT_AT_MOST = 1 / 64;

/** The flagged records in id order: few are sorted, many are picked from the index's id order. */
function inIdOrder(ctx: QueryContext, touched: Uint8Array, count: number): Iterable<number> {
  if (count <= ctx.recordCount * SORT_AT_MOST) {
    const recs: number[] = [];
    for (let rec = 0; rec < touched.length; rec++) if (touched[rec] === 1) recs.push(rec);
    const ids = new Map(recs.map((rec) => [rec, ctx.idOfRecord(rec)])); // each id made once, not once per comparison
    return recs.sort((x, y) => compareIds(ids.get(x)!, ids.get(y)!));
  }
  return ctx.recordsInIdOrder().filter((rec) => touched[rec] === 1);
}

/** What changed between the states after a and after b ops. */
export const diffQueries = { diff };
