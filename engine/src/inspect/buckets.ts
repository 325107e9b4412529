/**
 * The timeline counted in buckets, for the charts: how many ops each agent
 * wrote in each stretch of time (the Agents chart) or in each range of
 * timeline positions (the Timeline chart, on the scrubber's own axis), and
 * how many records the store held at each bucket's end. One pass over the
 * op index (when, who), never a read of the WALs, so a million ops answer in
 * milliseconds and the renderer draws a few hundred points, not a million.
 */
import { OpslogError } from "../errors.js";
import type { QueryContext } from "./context.js";
import type { BucketsRequest, PositionBucket, PositionBuckets, PositionBucketsRequest, TimeBucket, TimeBuckets } from "./types.js";

/** The most buckets one answer may hold: more than any chart is wide. */
export const MAX_BUCKETS = 2000;

/** Time bounds given as ISO strings, as milliseconds; a bound that is no date is a clear error. */
function boundMs(iso: string | undefined, name: string): number | null {
  if (iso === undefined) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new OpslogError("bad-argument", `"${name}" must be a date and time (ISO 8601), not "${iso}".`);
  return ms;
}

/** A bucket count the charts may ask for; any other is a clear error. */
function bucketCount(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_BUCKETS) throw new OpslogError("bad-argument", `"buckets" must be a whole number from 1 to ${MAX_BUCKETS}, not ${n}.`);
  return n;
}

/**
 * Ops per agent per equal-width time bucket over [from, to] (default: the
 * first to the last op's time). A bucket is [start, end); the last one also
 * holds `to`. Each bucket's `position` is the state at its end: after every
 * op dated before `end` (as "jump to a time" counts), and `records` is the
 * record count there. Ops whose time does not parse are counted in `undated`.
 */
function timeBuckets(ctx: QueryContext, req: BucketsRequest): TimeBuckets {
  const n = bucketCount(req.buckets);
  const key = JSON.stringify([n, req.from ?? null, req.to ?? null, ctx.total, ctx.aliveAt(ctx.total)]);
  return ctx.caches.cached("buckets", key, () => count(ctx, timeColumns(ctx), n, boundMs(req.from, "from"), boundMs(req.to, "to")));
}

/** Each position's time and agent, laid out once per timeline length (10 bytes an op), so that every bucketing after the first is one tight loop. */
interface TimeColumns {
  total: number;
  ms: Float64Array;
  agent: Uint16Array;
  min: number;
  max: number;
  undated: number;
  /** Agent numbers with ops in the timeline, in name order */
  writers: number[];
}

function timeColumns(ctx: QueryContext): TimeColumns {
  const table = ctx.ops;
  const total = ctx.total;
  return ctx.caches.cached("timeColumns", String(total), () => {
    const ms = new Float64Array(total);
    const agent = new Uint16Array(total);
    const writes = new Uint8Array(ctx.agentCount);
    let [min, max, undated] = [Infinity, -Infinity, 0];
    for (let p = 0; p < total; p++) {
      const e = ctx.entryAt(p);
      const t = (ms[p] = table.tsMs(e));
      writes[(agent[p] = table.agent(e))] = 1;
      if (Number.isNaN(t)) undated++;
      else {
        if (t < min) min = t;
        if (t > max) max = t;
      }
    }
    // In name order (a single writer's null first), not the agent table's: a live tail and a fresh open number agents differently.
    const name = (a: number) => ctx.agentName(a) ?? "";
    const writers = [...writes.keys()].filter((a) => writes[a]).sort((x, y) => (name(x) < name(y) ? -1 : name(x) > name(y) ? 1 : 0));
    return { total, ms, agent, min, max, undated, writers };
  });
}

function count(ctx: QueryContext, columns: TimeColumns, n: number, fromBound: number | null, toBound: number | null): TimeBuckets {
  const { total, ms: times, agent: agentAt, min, max, undated, writers } = columns;
  // One column per agent with ops in the timeline (a single-writer store's one column is null).
  const agents = writers.map((a) => ctx.agentName(a));
  const from = fromBound ?? min;
  const to = toBound ?? max;
  if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) return { from: null, to: null, bucketMs: 0, agents, buckets: [], undated };
  const column = new Int32Array(ctx.agentCount);
  writers.forEach((a, i) => (column[a] = i));
  const width = Math.max(1, Math.ceil((to - from + 1) / n));
  const size = Math.ceil((to - from + 1) / width);
  const ops = Array.from({ length: size }, () => new Array<number>(writers.length).fill(0));
  const first = new Array<number>(size).fill(-1);
  const last = new Array<number>(size).fill(-1);
  // The state at a bucket's end holds every op dated before that end: the furthest such position, carried forward.
  const reach = new Array<number>(size).fill(0);
  let before = 0;
  for (let p = 0; p < total; p++) {
    const ms = times[p];
    if (Number.isNaN(ms) || ms > to) continue;
    if (ms < from) {
      before = p + 1;
      continue;
    }
    const b = Math.floor((ms - from) / width);
    ops[b][column[agentAt[p]]]++;
    if (first[b] === -1) first[b] = p;
    last[b] = p;
    reach[b] = p + 1;
  }
  const buckets: TimeBucket[] = [];
  let position = before;
  for (let b = 0; b < size; b++) {
    position = Math.max(position, reach[b]);
    const start = from + b * width;
    const end = Math.min(start + width, to + 1);
    buckets.push({ start: new Date(start).toISOString(), end: new Date(end).toISOString(), startMs: start, endMs: end, ops: ops[b].reduce((x, y) => x + y, 0), byAgent: ops[b], firstPos: first[b] === -1 ? null : first[b], lastPos: last[b] === -1 ? null : last[b], position, records: ctx.countAt(position) });
  }
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), bucketMs: width, agents, buckets, undated };
}

/**
 * Ops per agent in each of n equal ranges of timeline positions (the last
 * may hold fewer), with the time of each range's first and last op and the
 * record count after its last op. Undated ops count in their range.
 */
function positionBuckets(ctx: QueryContext, req: PositionBucketsRequest): PositionBuckets {
  const n = bucketCount(req.buckets);
  const key = JSON.stringify([n, ctx.total, ctx.aliveAt(ctx.total)]);
  return ctx.caches.cached("positionBuckets", key, () => countByPosition(ctx, timeColumns(ctx), n));
}

function countByPosition(ctx: QueryContext, columns: TimeColumns, n: number): PositionBuckets {
  const { total, ms: times, agent: agentAt, undated, writers } = columns;
  const agents = writers.map((a) => ctx.agentName(a));
  const column = new Int32Array(ctx.agentCount);
  writers.forEach((a, i) => (column[a] = i));
  const width = Math.ceil(total / n);
  const buckets: PositionBucket[] = [];
  const dated = (ms: number) => (Number.isNaN(ms) ? null : ms);
  for (let first = 0; first < total; first += width) {
    const last = Math.min(first + width, total) - 1;
    const byAgent = new Array<number>(writers.length).fill(0);
    for (let p = first; p <= last; p++) byAgent[column[agentAt[p]]]++;
    const [firstMs, lastMs] = [dated(times[first]), dated(times[last])];
    const position = last + 1;
    buckets.push({ firstPos: first, lastPos: last, firstMs, lastMs, firstTime: firstMs === null ? null : new Date(firstMs).toISOString(), lastTime: lastMs === null ? null : new Date(lastMs).toISOString(), ops: last - first + 1, byAgent, position, records: ctx.countAt(position) });
  }
  return { total, bucketOps: width, agents, buckets, undated };
}

/** Ops per agent per time bucket or per range of positions, and the record count at each bucket's end, for the charts. */
export const bucketQueries = {
  buckets: async (ctx: QueryContext, req: BucketsRequest): Promise<TimeBuckets> => timeBuckets(ctx, req),
  positionBuckets: async (ctx: QueryContext, req: PositionBucketsRequest): Promise<PositionBuckets> => positionBuckets(ctx, req),
};
