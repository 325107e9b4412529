/**
 * Records at a position of the timeline: a page of them (filtered, sorted),
 * one record, the columns they have, and one record's history. The current
 * state is in memory; a past state is read back from the WALs, a page at a
 * time, or whole (and kept) when a filter or a sort needs every record.
 */
import type { QueryContext } from "./context.js";
import { checkpoint, filterInChunks } from "./checkpoint.js";
import { page } from "./context.js";
import { compareValues, compileFilter, valueAtPath } from "./filter.js";
import { SNAPSHOT_ABSENT, compareIds } from "./versions.js";
import type { Column, ColumnsRequest, Doc, HistoryEntry, Page, PageRequest, RecordHistoryRequest, RecordRequest, RecordRow, RecordsRequest } from "./types.js";

/** Early pages of a seek walk the ids from the start; deeper ones use the position's alive ids, kept for scrolling. */
const DIRECT_WALK_LIMIT = 2000;

/** A past state as read back: its rows, and where each row's value came from (src) */
interface KeptState {
  rows: RecordRow[];
  srcs: number[];
}

/** Records alive at `at`, in id order; one position cached (the one being scrolled). */
function aliveRecs(ctx: QueryContext, at: number): Int32Array {
  return ctx.caches.cached("alive", `${at}/${ctx.total}/${ctx.recordCount}`, () => {
    const all = ctx.recordsInIdOrder();
    const alive = new Int32Array(ctx.aliveAt(at));
    let n = 0;
    for (let i = 0; i < all.length && n < alive.length; i++) if (ctx.holds(ctx.stateAt(all[i], at))) alive[n++] = all[i];
    return alive.subarray(0, n);
  });
}

/** A page of the records alive at `at`, in id order, reading only that page's values. */
function alivePage(ctx: QueryContext, at: number, offset: number, limit: number): RecordRow[] {
  const recs: number[] = [];
  const srcs: number[] = [];
  if (offset < DIRECT_WALK_LIMIT) {
    let seen = 0;
    for (const rec of ctx.recordsInIdOrder()) {
      if (recs.length >= limit) break;
      const src = ctx.stateAt(rec, at);
      if (!ctx.holds(src) || seen++ < offset) continue;
      recs.push(rec);
      srcs.push(src);
    }
  } else {
    for (const rec of aliveRecs(ctx, at).subarray(offset, offset + limit)) {
      recs.push(rec);
      srcs.push(ctx.stateAt(rec, at));
    }
  }
  // Now: the current state is in memory. A past state: read the page's values back.
  const values = at === ctx.total ? ctx.valuesNow(recs) : ctx.values(srcs);
  return recs.map((rec, i) => ({ id: ctx.idOfRecord(rec), data: values[i]! }));
}

/**
 * Every record alive at `at` whose id contains `idContains`, with its value.
 * A past state is read from disk once and kept while the user filters and
 * sorts at that position; moving to another position reads back only the
 * values that differ from the kept state's (a step in the Timeline reads one).
 */
function rowsAt(ctx: QueryContext, at: number, idContains: string | undefined): RecordRow[] {
  const match = (id: string) => !idContains || id.includes(idContains);
  if (at === ctx.total) {
    const rows: RecordRow[] = [];
    for (const [rec, data] of ctx.recordsNow()) if (match(ctx.idOfRecord(rec))) rows.push({ id: ctx.idOfRecord(rec), data });
    return rows.sort((x, y) => compareIds(x.id, y.id));
  }
  const key = `${at}/${ctx.total}`;
  const kept = ctx.caches.get<KeptState>("state", key);
  if (kept) return idContains ? kept.rows.filter((r) => match(r.id)) : kept.rows;
  const recs = [...aliveRecs(ctx, at)].filter((rec) => match(ctx.idOfRecord(rec)));
  const srcs = recs.map((rec) => ctx.stateAt(rec, at));
  const values = ctx.valuesReusing(srcs, ctx.caches.last<KeptState>("state"));
  const rows = recs.map((rec, i) => ({ id: ctx.idOfRecord(rec), data: values[i]! }));
  if (!idContains) ctx.caches.set<KeptState>("state", key, { rows, srcs });
  return rows;
}

/** A page of these records (numbers, in order) as they are at `at`, reading only the page's values. */
function recordsPage(ctx: QueryContext, recs: number[], at: number, req: PageRequest): Page<RecordRow> {
  const slice = recs.slice(req.offset, req.offset + req.limit);
  const values = ctx.valuesAt(slice, at);
  return { rows: slice.map((rec, i) => ({ id: ctx.idOfRecord(rec), data: values[i]! })), total: recs.length, offset: req.offset, limit: req.limit };
}

async function records(ctx: QueryContext, req: RecordsRequest, signal?: AbortSignal): Promise<Page<RecordRow>> {
  const at = ctx.checkAt(req.at);
  if (!req.filter && !req.sort && !req.idContains) {
    return { rows: alivePage(ctx, at, req.offset, req.limit), total: ctx.aliveAt(at), offset: req.offset, limit: req.limit };
  }
  // A filter over the fields it names (filtered-records.ts; one chunk, so a superseded call stops before it), null when the query or the sort is beyond it.
  await checkpoint(signal);
  const matching = ctx.recordFilter().matching({ at, filter: req.filter, sort: req.sort, idContains: req.idContains });
  if (matching) return recordsPage(ctx, matching, at, req);
  const predicate = compileFilter(req.filter); // first: it refuses a filter too deep for JSON.stringify
  const key = JSON.stringify([at, ctx.total, req.filter ?? null, req.sort ?? null, req.idContains ?? ""]);
  const rows = await ctx.caches.cachedAsync("records", key, async () => {
    let rows = rowsAt(ctx, at, req.idContains);
    if (predicate) rows = await filterInChunks(rows, (r) => predicate(r.data), signal);
    if (req.sort) rows = sortRows(rows, req.sort.field, req.sort.dir);
    return rows;
  });
  return page(rows, req);
}

async function record(ctx: QueryContext, req: RecordRequest): Promise<Doc | null> {
  return ctx.valueAt(ctx.recordOf(req.id), ctx.checkAt(req.at));
}

async function columns(ctx: QueryContext, req: ColumnsRequest = {}): Promise<Column[]> {
  const counts = new Map<string, { count: number; types: Set<string> }>();
  const rows = (await records(ctx, { at: ctx.checkAt(req.at), offset: 0, limit: 1000 })).rows;
  for (const { data } of rows) {
    for (const [field, value] of Object.entries(data)) {
      const entry = counts.get(field) ?? { count: 0, types: new Set<string>() };
      entry.count++;
      entry.types.add(value === null ? "null" : Array.isArray(value) ? "array" : typeof value);
      counts.set(field, entry);
    }
  }
  // Most common first; among equals, the order the records themselves use (a Map keeps first-seen order).
  return [...counts].map(([field, e]) => ({ field, count: e.count, types: [...e.types].sort() })).sort((a, b) => b.count - a.count);
}

async function recordHistory(ctx: QueryContext, req: RecordHistoryRequest): Promise<HistoryEntry[]> {
  const rec = ctx.recordOf(req.id);
  if (rec === undefined) return [];
  const list = ctx.versionsOf(rec);
  const values = ctx.values(list.src);
  const ops = ctx.readOps(list.src.filter((s) => s >= 0));
  const events = await ctx.events();
  const out: HistoryEntry[] = [];
  list.src.forEach((src, i) => {
    // Only the version that left the record absent is the archive's (another snapshot at the same position may bring it back).
    const archived = src === SNAPSHOT_ABSENT && i > 0 ? ctx.archiveEntry(events, rec, i, values[i - 1]) : null;
    if (archived) out.push(archived);
    if (src < 0) return;
    const op = ops.get(src)!;
    out.push({ pos: ctx.positionOf(src), ts: op.ts, agent: op.agent, clock: op.clock, op: op.op, before: i > 0 ? values[i - 1] : null, after: values[i], file: ctx.file(src), line: op.line });
  });
  return out;
}

function sortRows(rows: RecordRow[], field: string, dir: 1 | -1): RecordRow[] {
  const key = (r: RecordRow) => (field === "id" ? r.id : valueAtPath(r.data, field));
  return [...rows].sort((a, b) => dir * compareValues(key(a), key(b)) || compareIds(a.id, b.id));
}

/** Records at a position (default now), filtered, sorted, by page; one record; its columns; one record's history. */
export const recordQueries = { records, record, columns, recordHistory };
