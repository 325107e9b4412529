/**
 * The reference model's answers, in the shapes the inspector's queries
 * answer (plain objects, typed here anew: nothing from engine/src): records
 * at a position (filtered, sorted, by page), a record's history, ops pages,
 * events, diffs, lanes and their ops, lost writes, conflicts, archive pages,
 * chart buckets. Each follows the README's wording of the view it checks.
 */
import type { Doc, RefOp } from "./files.js";
import { jsonEq, resolvePrev } from "./json.js";
import type { Model, ModelEvent, ModelOp } from "./model.js";

export interface Page<T> { rows: T[]; total: number; offset: number; limit: number }
export type Filter = Record<string, unknown>;

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function pageOf<T>(rows: T[], offset: number, limit: number): Page<T> {
  return { rows: rows.slice(offset, offset + limit), total: rows.length, offset, limit };
}

/** The few filter forms the fuzzer asks, evaluated plainly: equality, $in, $gt/$lte on numbers, $exists, dotted paths into objects. */
export function matches(doc: unknown, filter: Filter): boolean {
  return Object.entries(filter).every(([path, cond]) => {
    const value = path.split(".").reduce<unknown>((v, key) => (v !== null && typeof v === "object" && !Array.isArray(v) && Object.hasOwn(v, key) ? (v as Doc)[key] : undefined), doc);
    if (cond === null || typeof cond !== "object") return value === cond;
    const c = cond as Record<string, unknown>;
    if ("$in" in c) return (c.$in as unknown[]).some((x) => x === value);
    if ("$gt" in c) return typeof value === "number" && value > (c.$gt as number);
    if ("$lte" in c) return typeof value === "number" && value <= (c.$lte as number);
    if ("$exists" in c) return (value !== undefined) === c.$exists;
    throw new Error(`reference model: filter form not modelled: ${JSON.stringify(cond)}`);
  });
}

export interface RecordsArg { at?: number; filter?: Filter; sort?: { field: "id" | "k"; dir: 1 | -1 }; idContains?: string; offset: number; limit: number }

export function records(m: Model, req: RecordsArg): Page<{ id: string; data: Doc }> {
  const at = req.at ?? m.timeline.length;
  let rows = [...m.states[at]].map(([id, data]) => ({ id, data })).sort((a, b) => cmp(a.id, b.id));
  if (req.idContains) rows = rows.filter((r) => r.id.includes(req.idContains!));
  if (req.filter) rows = rows.filter((r) => matches(r.data, req.filter!));
  if (req.sort) {
    const { field, dir } = req.sort;
    const key = (r: { id: string; data: Doc }) => (field === "id" ? r.id : String(r.data.k));
    rows.sort((a, b) => dir * cmp(key(a), key(b)) || cmp(a.id, b.id));
  }
  return pageOf(rows, req.offset, req.limit);
}

/** A timeline op as the Operations list shows it: prev is the record before it in the timeline. */
export function timelineOp(m: Model, op: ModelOp) {
  const dropped = m.lost.some((l) => l.reason === "unseen-by-compaction" && l.op.file === op.file && l.op.line === op.line);
  return {
    pos: op.pos, epoch: op.epoch, file: op.file, line: op.line, offset: op.offset, ts: op.ts, agent: op.agent, clock: op.clock, op: op.op, id: op.id, data: op.data,
    prev: m.states[op.pos].get(op.id) ?? null, encoding: op.encoding, ...(dropped ? { lost: true as const } : {}),
  };
}

export interface OpsArg { agent?: string | null; id?: string; op?: "set" | "delete"; from?: string; to?: string; filter?: Filter; offset: number; limit: number }

export function opPositions(m: Model, req: Omit<OpsArg, "offset" | "limit">): number[] {
  return m.timeline
    .filter((op) => (req.agent === undefined || op.agent === req.agent) && (!req.id || op.id === req.id) && (!req.op || op.op === req.op))
    .filter((op) => (!req.from || Date.parse(op.ts) >= Date.parse(req.from)) && (!req.to || Date.parse(op.ts) <= Date.parse(req.to)))
    .filter((op) => !req.filter || matches(timelineOp(m, op), req.filter))
    .map((op) => op.pos);
}

export function ops(m: Model, req: OpsArg) {
  const page = pageOf(opPositions(m, req), req.offset, req.limit);
  return { ...page, rows: page.rows.map((p) => timelineOp(m, m.timeline[p])) };
}

export function events(m: Model, req: Omit<OpsArg, "offset" | "limit">) {
  const positions = opPositions(m, req);
  return m.events
    .filter((e) => !req.id || e.ids.includes(req.id))
    .filter((e) => (!req.from || Date.parse(e.time) >= Date.parse(req.from)) && (!req.to || Date.parse(e.time) <= Date.parse(req.to)))
    .map((e) => ({
      kind: e.kind, position: e.position, epoch: e.epoch, time: e.time, snapshot: e.snapshot, segment: e.segment,
      archivedCount: e.ids.length, archivedIds: e.ids, opsFolded: e.opsFolded, opsBefore: positions.filter((p) => p < e.position).length,
    }));
}

export function history(m: Model, id: string) {
  const versions = m.versions.get(id) ?? [];
  const out: unknown[] = [];
  versions.forEach((v, i) => {
    const before = i > 0 ? versions[i - 1].value : null;
    if ("op" in v.by) {
      const op = v.by.op;
      out.push({ pos: op.pos, ts: op.ts, agent: op.agent, clock: op.clock, op: op.op, before, after: v.value, file: op.file, line: op.line });
    } else if ("archive" in v.by) {
      const e: ModelEvent = v.by.archive;
      out.push({ pos: v.k, ts: e.time, agent: null, clock: null, op: "archive", before, after: null, file: e.segment, line: 0, segment: e.segment });
    }
  });
  return out;
}

/** The archive that left id absent in the state after `at` ops, if the last change before `at` was one. */
function archivedAt(m: Model, id: string, at: number): string | null {
  const last = (m.versions.get(id) ?? []).filter((v) => v.k <= at).pop();
  return last && "archive" in last.by ? last.by.archive.segment : null;
}

/** The diff between the states after a and after b ops; `keep`: only the records whose id contains it and whose value on either side matches its filter. */
export function diff(m: Model, a: number, b: number, offset: number, limit: number, keep: { idContains?: string; filter?: Filter } = {}) {
  const sa = m.states[a];
  const sb = m.states[b];
  const ids = [...new Set([...sa.keys(), ...sb.keys()])].sort(cmp);
  const counts = { added: 0, removed: 0, changed: 0, archived: 0 };
  const rows: unknown[] = [];
  for (const id of ids) {
    const before = sa.get(id) ?? null;
    const after = sb.get(id) ?? null;
    if (jsonEq(before, after)) continue;
    if (keep.idContains && !id.includes(keep.idContains)) continue;
    if (keep.filter && !(before !== null && matches(before, keep.filter)) && !(after !== null && matches(after, keep.filter))) continue;
    let kind: "added" | "removed" | "changed" | "archived" = before === null ? "added" : after === null ? "removed" : "changed";
    const segment = kind === "removed" ? archivedAt(m, id, b) : null;
    if (segment) kind = "archived";
    counts[kind]++;
    rows.push({ id, kind, before, after, ...(segment ? { segment } : {}) });
  }
  return { ...pageOf(rows, offset, limit), counts };
}

const isLostOp = (m: Model, op: RefOp) => m.lost.find((l) => l.op.file === op.file && l.op.line === op.line && l.op.offset === op.offset);

export function lanes(m: Model) {
  return m.files.wals.map((w) => {
    const all = m.laneOps.get(w.path)!;
    const clocks = all.map((o) => o.clock).filter((c): c is number => c !== null);
    const byTime = [...all].sort((x, y) => Date.parse(x.ts) - Date.parse(y.ts));
    const named = m.files.manifest.activeOps === w.path || Object.values(m.files.manifest.activeAgentOps ?? {}).includes(w.path);
    return {
      path: w.path, agent: w.agent ?? all[0]?.agent ?? null, named, ops: all.length, bytes: w.bytes,
      clockRange: clocks.length ? [Math.min(...clocks), Math.max(...clocks)] : null,
      tsRange: all.length ? [byTime[0].ts, byTime[byTime.length - 1].ts] : null,
      malformedLines: w.malformed, lostOps: all.filter((o) => isLostOp(m, o)).length,
    };
  });
}

export function laneOps(m: Model, path: string, offset: number, limit: number) {
  const all = m.laneOps.get(path)!;
  const rows = all.slice(offset, offset + limit).map((o) => {
    const t = m.timeline.find((op) => op.file === o.file && op.line === o.line);
    return {
      file: o.file, line: o.line, offset: o.offset, ts: o.ts, agent: o.agent, clock: o.clock, op: o.op, id: o.id, data: o.data,
      prev: t ? (m.states[t.pos].get(o.id) ?? null) : resolvePrev(o), encoding: o.encoding,
      pos: t ? t.pos : null, epoch: t ? t.epoch : null, lost: Boolean(isLostOp(m, o)),
    };
  });
  return { rows, total: all.length, offset, limit };
}

export function lostWrites(m: Model) {
  return m.lost.map((l) => ({ file: l.op.file, line: l.op.line, offset: l.op.offset, ts: l.op.ts, agent: l.op.agent, clock: l.op.clock, op: l.op.op, id: l.op.id, data: l.op.data, pos: l.pos, reason: l.reason, heldAnyway: l.heldAnyway }));
}

const ref = (op: ModelOp) => ({ pos: op.pos, file: op.file, line: op.line, agent: op.agent, clock: op.clock, ts: op.ts, data: op.data, op: op.op });

export function conflicts(m: Model) {
  return m.conflicts.map((c) => ({ id: c.winner.id, winner: ref(c.winner), losers: [ref(c.loser)] }));
}

export function archivePage(m: Model, path: string, offset: number, limit: number, keep: { filter?: Filter; idContains?: string } = {}) {
  const seg = m.files.segments.find((s) => s.path === path)!;
  const rows = [...seg.records].map(([id, data]) => ({ id, data })).sort((a, b) => cmp(a.id, b.id));
  return pageOf(rows.filter((r) => (!keep.filter || matches(r.data, keep.filter)) && (!keep.idContains || r.id.includes(keep.idContains))), offset, limit);
}

/** The charts' buckets as the BucketsRequest doc states them. */
export function buckets(m: Model, n: number) {
  const times = m.timeline.map((op) => Date.parse(op.ts));
  const agents = [...new Set(m.timeline.map((op) => op.agent))].sort((a, b) => cmp(a ?? "", b ?? ""));
  if (times.length === 0) return { from: null, to: null, bucketMs: 0, agents, buckets: [], undated: 0 };
  const from = Math.min(...times);
  const to = Math.max(...times);
  const width = Math.max(1, Math.ceil((to - from + 1) / n));
  const out = [];
  for (let start = from; start <= to; start += width) {
    const end = Math.min(start + width, to + 1);
    const inside = m.timeline.filter((_, p) => times[p] >= start && times[p] < end);
    const position = Math.max(0, ...m.timeline.map((_, p) => (times[p] < end ? p + 1 : 0)));
    out.push({
      start: new Date(start).toISOString(), end: new Date(end).toISOString(), startMs: start, endMs: end, ops: inside.length,
      byAgent: agents.map((a) => inside.filter((op) => op.agent === a).length),
      firstPos: inside.length ? Math.min(...inside.map((op) => op.pos)) : null, lastPos: inside.length ? Math.max(...inside.map((op) => op.pos)) : null,
      position, records: m.states[position].size,
    });
  }
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), bucketMs: width, agents, buckets: out, undated: 0 };
}

/** The Timeline chart's ranges of positions as the PositionBucketsRequest doc states them: ceil(total / n) ops each, the last maybe fewer. */
export function positionBuckets(m: Model, n: number) {
  const total = m.timeline.length;
  const agents = [...new Set(m.timeline.map((op) => op.agent))].sort((a, b) => cmp(a ?? "", b ?? ""));
  const dated = (ts: string) => (Number.isNaN(Date.parse(ts)) ? null : Date.parse(ts));
  const width = Math.ceil(total / n);
  const out = [];
  for (let first = 0; first < total; first += width) {
    const ops = m.timeline.slice(first, first + width);
    const last = first + ops.length - 1;
    const [firstMs, lastMs] = [dated(ops[0].ts), dated(ops[ops.length - 1].ts)];
    out.push({
      firstPos: first, lastPos: last, firstMs, lastMs,
      firstTime: firstMs === null ? null : new Date(firstMs).toISOString(), lastTime: lastMs === null ? null : new Date(lastMs).toISOString(),
      ops: ops.length, byAgent: agents.map((a) => ops.filter((op) => op.agent === a).length), position: last + 1, records: m.states[last + 1].size,
    });
  }
  return { total, bucketOps: width, agents, buckets: out, undated: m.timeline.filter((op) => dated(op.ts) === null).length };
}

/** The position an instant falls at: after every op dated at or before it. */
export function posAtTime(m: Model, ts: string): number {
  const at = Date.parse(ts);
  return Math.max(0, ...m.timeline.map((op, p) => (Date.parse(op.ts) <= at ? p + 1 : 0)));
}

/** The top-level fields of the first 1000 records (in id order) at a position: how many have each, and its JSON types; commonest first, ties in first-seen order. */
export function columns(m: Model, at: number) {
  const rows = records(m, { at, offset: 0, limit: 1000 }).rows;
  const seen = new Map<string, { count: number; types: Set<string> }>();
  for (const { data } of rows) {
    for (const field of Object.keys(data)) {
      const v = data[field];
      const entry = seen.get(field) ?? { count: 0, types: new Set<string>() };
      entry.count++;
      entry.types.add(v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
      seen.set(field, entry);
    }
  }
  return [...seen].map(([field, e]) => ({ field, count: e.count, types: [...e.types].sort() })).sort((x, y) => y.count - x.count);
}
