/**
 * The merged timeline: its extent, its ops in replay order (filtered, by
 * page), one op, the archives and compactions placed among them, and the
 * position an instant falls at. What a page shows is read back from the WALs
 * by offset; a filter reads the ops' data only if it looks at it.
 */
import type { OpView, QueryContext } from "./context.js";
import { CHECK_EVERY, checkpoint } from "./checkpoint.js";
import { placeEvents } from "./events.js";
import { compileFilter, mentionsFields } from "./filter.js";
import type { EventsRequest, OpRequest, OpsRequest, Page, PosAtTimeRequest, TimelineEvent, TimelineInfo, TimelineOp } from "./types.js";


async function timelineInfo(ctx: QueryContext): Promise<TimelineInfo> {
  const table = ctx.ops;
  let min = -1;
  let max = -1;
  for (let p = 0; p < ctx.total; p++) {
    const e = ctx.entryAt(p);
    const ms = table.tsMs(e);
    if (min === -1 || ms < table.tsMs(min)) min = e;
    if (max === -1 || ms > table.tsMs(max)) max = e;
  }
  return { total: ctx.total, links: ctx.links.map((l) => ({ ...l })), tsRange: min === -1 ? null : [table.ts(min), table.ts(max)] };
}

/** Whether a request keeps every op (no condition at all). */
function keepsAll(req: EventsRequest, predicate: ((doc: unknown) => boolean) | null): boolean {
  return req.agent === undefined && !req.id && !req.op && !req.from && !req.to && !predicate;
}

async function ops(ctx: QueryContext, req: OpsRequest, signal?: AbortSignal): Promise<Page<TimelineOp>> {
  const predicate = compileFilter(req.filter);
  if (keepsAll(req, predicate)) {
    const end = Math.min(ctx.total, req.offset + req.limit);
    const positions: number[] = [];
    for (let p = req.offset; p < end; p++) positions.push(p);
    return { rows: ctx.timelineOps(positions), total: ctx.total, offset: req.offset, limit: req.limit };
  }
  const positions = await matching(ctx, req, predicate, signal);
  return { rows: ctx.timelineOps(positions.slice(req.offset, req.offset + req.limit)), total: positions.length, offset: req.offset, limit: req.limit };
}

/** matchingPositions, kept for the last request (the one being scrolled). */
function matching(ctx: QueryContext, req: EventsRequest, predicate: ((doc: unknown) => boolean) | null, signal: AbortSignal | undefined): Promise<number[]> {
  const key = JSON.stringify([ctx.total, req.agent, req.id ?? null, req.op ?? null, req.from ?? null, req.to ?? null, req.filter ?? null]);
  return ctx.caches.cachedAsync("ops", key, () => matchingPositions(ctx, req, predicate, signal));
}

async function timelineEvents(ctx: QueryContext, req: EventsRequest = {}, signal?: AbortSignal): Promise<TimelineEvent[]> {
  const predicate = compileFilter(req.filter);
  return placeEvents(await ctx.events(), req, keepsAll(req, predicate) ? null : await matching(ctx, req, predicate, signal));
}

/** Timeline positions whose op passes the request's conditions; the data is read only if the filter looks at it. Stops, between chunks, if the call is cancelled. */
async function matchingPositions(ctx: QueryContext, req: EventsRequest, predicate: ((doc: unknown) => boolean) | null, signal: AbortSignal | undefined): Promise<number[]> {
  const table = ctx.ops;
  const total = ctx.total;
  const agent = req.agent === undefined ? undefined : req.agent === null ? 0 : ctx.agentNumber(req.agent);
  const rec = req.id ? ctx.recordOf(req.id) : undefined;
  if (agent === -1 || (req.id && rec === undefined)) return [];
  const after = timeBound(req.from);
  const before = timeBound(req.to);
  const candidates: number[] = [];
  for (let p = 0; p < total; p++) {
    if (signal && p > 0 && p % CHECK_EVERY === 0) await checkpoint(signal);
    const e = ctx.entryAt(p);
    if (agent !== undefined && table.agent(e) !== agent) continue;
    if (rec !== undefined && table.rec(e) !== rec) continue;
    if (req.op && table.op(e) !== req.op) continue;
    if (after && after.below(table, e)) continue;
    if (before && before.above(table, e)) continue;
    candidates.push(p);
  }
  if (!predicate) return candidates;
  const matched: number[] = [];
  if (!mentionsFields(req.filter!, ["data", "prev"])) {
    // Only the op's own fields are asked about: no need to read anything.
    for (let i = 0; i < candidates.length; i++) {
      if (signal && i > 0 && i % CHECK_EVERY === 0) await checkpoint(signal);
      const p = candidates[i];
      const e = ctx.entryAt(p);
      const light = { pos: p, epoch: table.epoch(e), file: ctx.file(e), line: table.line(e), offset: table.offset(e), ts: table.ts(e), agent: ctx.agentOf(e), clock: table.clock(e), op: table.op(e), id: ctx.idOf(e), encoding: table.encoding(e) };
      if (predicate(light)) matched.push(p);
    }
    return matched;
  }
  for (let b = 0; b < candidates.length; b += CHECK_EVERY) {
    if (b > 0) await checkpoint(signal);
    const batch = candidates.slice(b, b + CHECK_EVERY);
    ctx.timelineOps(batch).forEach((op, i) => {
      if (predicate(op)) matched.push(batch[i]);
    });
  }
  return matched;
}

async function op(ctx: QueryContext, req: OpRequest): Promise<TimelineOp | null> {
  const { pos } = req;
  if (!Number.isInteger(pos) || pos < 0 || pos >= ctx.total) return null;
  return ctx.timelineOps([pos])[0];
}

async function posAtTime(ctx: QueryContext, req: PosAtTimeRequest): Promise<number> {
  const table = ctx.ops;
  const bound = timeBound(req.ts)!;
  let pos = 0;
  for (let p = 0; p < ctx.total; p++) if (!bound.above(table, ctx.entryAt(p))) pos = p + 1;
  return pos;
}

/**
 * A time bound on ops: compared as instants when both sides parse as dates
 * (an op written with an offset, +02:00, compares by its UTC instant), else
 * as strings.
 */
function timeBound(ts: string | undefined) {
  if (!ts) return null;
  const ms = Date.parse(ts);
  const exact = !Number.isNaN(ms);
  return {
    below: (table: OpView, e: number) => (exact && !Number.isNaN(table.tsMs(e)) ? table.tsMs(e) < ms : table.ts(e) < ts),
    above: (table: OpView, e: number) => (exact && !Number.isNaN(table.tsMs(e)) ? table.tsMs(e) > ms : table.ts(e) > ts),
  };
}

/** The timeline's extent, its ops (filtered, by page), one op, the archives and compactions among them, the position at an instant. */
export const timelineQueries = { timelineInfo, ops, op, timelineEvents, posAtTime };
