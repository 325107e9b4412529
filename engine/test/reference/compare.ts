/**
 * The differential check: every answer the inspector gives about a store,
 * through its public API (as the electron handlers call it), against the
 * reference model's answer. The positions, ids, filters and pages asked
 * about are drawn from the program's probe seed. The first difference
 * throws a Mismatch naming the question, what the model expects and what
 * the inspector answered.
 */
import type { InspectorApi } from "../../src/inspect/index.js";
import * as A from "./answers.js";
import type { Doc } from "./files.js";
import { jsonEq } from "./json.js";
import { buildModel } from "./model.js";
import type { Model, Reading } from "./model.js";
import type { Journal, Skip } from "./program.js";
import { schemaOf } from "./schema.js";

export class Mismatch extends Error {
  constructor(readonly question: string, readonly expected: unknown, readonly got: unknown) {
    const d = firstDifference(got, expected, "");
    const where = d ? `\n  first difference at ${d.path || "(top)"}: expected ${show(d.expected)}, got ${show(d.got)}` : "";
    super(`${question}${where}\n  expected (reference model): ${show(expected)}\n  got (inspector):           ${show(got)}`);
  }
}

/** Where two JSON values first differ, for a readable failure. */
function firstDifference(got: unknown, expected: unknown, path: string): { path: string; got: unknown; expected: unknown } | null {
  if (jsonEq(got, expected)) return null;
  if (got !== null && expected !== null && typeof got === "object" && typeof expected === "object" && Array.isArray(got) === Array.isArray(expected)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(got)])];
    for (const k of keys) {
      const d = firstDifference((got as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}${Array.isArray(got) ? `[${k}]` : `.${k}`}`);
      if (d) return d;
    }
  }
  return { path, got, expected };
}

export function show(x: unknown): string {
  const s = JSON.stringify(x, (_k, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v));
  return s === undefined ? "undefined" : s.length > 3000 ? `${s.slice(0, 3000)}…` : s;
}

/** When set, only the questions it matches are compared (a fixed example names the questions it is about). */
let focus: RegExp | null = null;

export function setFocus(only: RegExp | null): void {
  focus = only;
}

/** A difference found by a check other than same(): reported unless out of focus. */
function differ(question: string, expected: unknown, got: unknown): void {
  if (!focus || focus.test(question)) throw new Mismatch(question, expected, got);
}

export function same(question: string, got: unknown, expected: unknown): void {
  if (focus && !focus.test(question)) return;
  if (!jsonEq(JSON.parse(JSON.stringify(got) ?? "null"), JSON.parse(JSON.stringify(expected) ?? "null"))) throw new Mismatch(question, expected, got);
}

/** A small seeded generator (mulberry32) for what to ask. */
export function rng(seed: number): { int: (n: number) => number; pick: <T>(xs: T[]) => T } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { int, pick: (xs) => xs[int(xs.length)] };
}

const FILTERS: A.Filter[] = [{ k: "done" }, { k: "open" }, { n: { $gt: 3 } }, { n: { $lte: 2 } }, { k: { $in: ["done"] }, n: { $exists: true } }];
const ALL = { offset: 0, limit: 100_000 };

function pick<T extends object>(row: T, keys: string[]): Partial<T> {
  return Object.fromEntries(keys.filter((k) => Object.hasOwn(row, k)).map((k) => [k, (row as Record<string, unknown>)[k]])) as Partial<T>;
}

export interface CompareContext {
  insp: InspectorApi;
  model: Model;
  journal: Journal;
  skips: Set<Skip>;
  probe: number;
}

/** Every check, in order of how basic it is: the first to differ is reported. */
export async function compareAll(c: CompareContext): Promise<void> {
  await alignReading(c);
  await timelineChecks(c);
  await recordChecks(c);
  await eventAndDiffChecks(c);
  await laneChecks(c);
  await schemaAndChartChecks(c);
}

/**
 * Where the files allow more than one reading of the archives (model.ts,
 * buildModel), the inspector may take any of them that explains the files
 * no less fully than what happened: the model then follows its reading, so
 * every later answer (histories, diffs, lost writes) is checked against that
 * one. A reading the files rule out, or one that leaves more unexplained, is
 * a difference.
 */
async function alignReading(c: CompareContext): Promise<void> {
  const events = (await c.insp.timelineEvents({})).filter((e) => e.kind === "archive");
  const theirs: Reading = new Map(events.map((e) => [e.epoch, { segment: e.segment ?? "", ids: [...e.archivedIds].sort() }]));
  const ours = c.model.reading;
  if (theirs.size === ours.size && [...ours].every(([epoch, a]) => jsonEq(theirs.get(epoch), { segment: a.segment, ids: [...a.ids].sort() }))) return;
  const alt = buildModel(c.model.dir, c.model.files, () => theirs);
  const show = (r: Reading, m: Model) => ({
    archives: Object.fromEntries([...r].map(([epoch, a]) => [`link ${epoch}`, `${a.segment}: ${a.ids.join(", ")}`])),
    unexplained: Object.fromEntries(m.links.filter((l) => l.unexplained.length > 0).map((l) => [`link ${l.epoch}`, l.unexplained.join(", ")])),
  });
  if (alt.readingFaults.length > 0) return differ(`archive events: a reading the files rule out (${alt.readingFaults.join("; ")})`, show(ours, c.model), show(theirs, alt));
  const [u, s] = [alt.score, c.model.score];
  if (u[0] > s[0] || (u[0] === s[0] && u[1] > s[1])) return differ(`archive events: a reading that leaves more of the files unexplained ([unexplained ids, unmoved segment entries] ${JSON.stringify(u)} against ${JSON.stringify(s)})`, show(ours, c.model), show(theirs, alt));
  c.model = alt;
}

async function timelineChecks({ insp, model: m }: CompareContext): Promise<void> {
  const info = await insp.timelineInfo();
  same("timelineInfo.total", info.total, m.timeline.length);
  same(
    "timelineInfo.links",
    info.links.map((l) => pick(l, ["epoch", "snapshot", "next", "wals", "startPos", "endPos", "droppedWrites"])),
    m.links.map((l) => ({ epoch: l.epoch, snapshot: l.snapshot, next: l.next, wals: l.wals, startPos: l.startPos, endPos: l.endPos, droppedWrites: l.dropped })),
  );
  same("ops (all)", await insp.ops(ALL), A.ops(m, ALL));
}

async function recordChecks({ insp, model: m, probe }: CompareContext): Promise<void> {
  const r = rng(probe);
  const total = m.timeline.length;
  for (let at = 0; at <= total; at++) same(`records at ${at}`, await insp.records({ at, ...ALL }), A.records(m, { at, ...ALL }));
  const ids = [...m.versions.keys()];
  for (let i = 0; i < 6; i++) {
    const req: A.RecordsArg = { at: r.int(total + 1), offset: r.int(3), limit: 1 + r.int(3) };
    if (r.int(2)) req.filter = r.pick(FILTERS);
    if (r.int(3) === 0) req.sort = { field: r.pick(["id", "k"] as const), dir: r.pick([1, -1] as const) };
    if (r.int(3) === 0) req.idContains = r.pick(["a", "b", "_", "o"]);
    same(`records ${JSON.stringify(req)}`, await insp.records(req), A.records(m, req));
  }
  for (let i = 0; i < 6 && ids.length > 0; i++) {
    const id = r.pick(ids);
    const at = r.int(total + 1);
    same(`record ${JSON.stringify({ id, at })}`, await insp.record({ id, at }), A.records(m, { at, ...ALL }).rows.find((x) => x.id === id)?.data ?? null);
  }
  for (let i = 0; i < 6; i++) {
    const req: A.OpsArg = { offset: r.int(3), limit: 1 + r.int(20) };
    const which = r.int(5);
    if (which === 0) req.agent = r.pick([null, "alice", "bob", "carol"]);
    if (which === 1) req.id = r.pick(ids.length ? ids : ["a"]);
    if (which === 2) req.op = r.pick(["set", "delete"] as const);
    if (which === 3 && total > 0) [req.from, req.to] = [m.timeline[r.int(total)].ts, m.timeline[r.int(total)].ts].sort();
    if (which === 4) req.filter = { "data.k": r.pick(["done", "open"]) };
    same(`ops ${JSON.stringify(req)}`, await insp.ops(req), A.ops(m, req));
  }
  if (total > 0) {
    const pos = r.int(total);
    same(`op ${pos}`, await insp.op({ pos }), A.timelineOp(m, m.timeline[pos]));
  }
  for (const id of ids) same(`recordHistory ${JSON.stringify(id)}`, await insp.recordHistory({ id }), A.history(m, id));
  for (const at of [total, r.int(total + 1)]) same(`columns at ${at}`, await insp.columns({ at }), A.columns(m, at));
}

async function eventAndDiffChecks({ insp, model: m, probe }: CompareContext): Promise<void> {
  const r = rng(probe + 1);
  const total = m.timeline.length;
  same("timelineEvents", await insp.timelineEvents({}), A.events(m, {}));
  for (const id of [...m.versions.keys()]) same(`timelineEvents {id: ${JSON.stringify(id)}}`, await insp.timelineEvents({ id }), A.events(m, { id }));
  const agent = r.pick([null, "alice", "bob"]);
  same(`timelineEvents {agent: ${agent}}`, await insp.timelineEvents({ agent }), A.events(m, { agent }));
  for (const e of m.events) {
    // The diff across every event, and from the start to just after it.
    const a = Math.max(0, e.position - 1);
    same(`diff ${a}->${e.position}`, await insp.diff({ a, b: e.position, ...ALL }), A.diff(m, a, e.position, 0, ALL.limit));
    same(`diff 0->${e.position}`, await insp.diff({ a: 0, b: e.position, ...ALL }), A.diff(m, 0, e.position, 0, ALL.limit));
  }
  for (let i = 0; i < 6; i++) {
    const [a, b] = [r.int(total + 1), r.int(total + 1)];
    const [offset, limit] = [r.int(2), 1 + r.int(4)];
    same(`diff ${a}->${b} [${offset}+${limit}]`, await insp.diff({ a, b, offset, limit }), A.diff(m, a, b, offset, limit));
    const keep = r.int(2) ? { filter: r.pick(FILTERS) } : { idContains: r.pick(["a", "_", "b"]) };
    same(`diff ${a}->${b} ${JSON.stringify(keep)}`, await insp.diff({ a, b, ...keep, ...ALL }), A.diff(m, a, b, 0, ALL.limit, keep));
  }
  for (const op of [m.timeline[0], m.timeline[r.int(total)], m.timeline[total - 1]].filter(Boolean)) {
    same(`posAtTime ${op.ts}`, await insp.posAtTime({ ts: op.ts }), A.posAtTime(m, op.ts));
  }
  same("archiveSegments", (await insp.archiveSegments()).map((s) => pick(s, ["path", "period", "timestamp", "records", "named"])), m.files.segments.map((s) => ({ path: s.path, period: s.period, timestamp: s.timestamp, records: s.records.size, named: m.files.manifest.archiveSegments.includes(s.path) })));
  for (const s of m.files.segments) {
    same(`archivePage ${s.path}`, await insp.archivePage({ path: s.path, ...ALL }), A.archivePage(m, s.path, 0, ALL.limit));
    const keep = { filter: r.pick(FILTERS), idContains: r.pick(["", "a", "_"]), offset: r.int(2), limit: 1 + r.int(3) };
    same(`archivePage ${s.path} ${JSON.stringify(keep)}`, await insp.archivePage({ path: s.path, ...keep }), A.archivePage(m, s.path, keep.offset, keep.limit, keep));
  }
}

/** Every #N a sentence names must be an op of the timeline on the same record (ops are numbered from 1). */
function checkNumbers(question: string, text: string, id: string, m: Model): void {
  for (const [, n] of text.matchAll(/#(\d+)/g)) {
    const op = m.timeline[Number(n) - 1];
    if (!op || op.id !== id) differ(`${question}: "#${n}" names ${op ? `an op on "${op.id}"` : "no op"}`, `an op on "${id}"`, text);
  }
}

async function laneChecks({ insp, model: m, skips, probe }: CompareContext): Promise<void> {
  const lanes = await insp.lanes();
  const expected = A.lanes(m);
  const keys = ["path", "agent", "named", "ops", "bytes", "clockRange", "tsRange", "malformedLines", "lostOps"];
  same("lanes", lanes.map((l) => pick(l, keys)), expected);
  const r = rng(probe + 4);
  for (const lane of expected) {
    same(`laneOps ${lane.path}`, await insp.laneOps({ path: lane.path, ...ALL }), A.laneOps(m, lane.path, 0, ALL.limit));
    const [offset, limit] = [r.int(3), 1 + r.int(3)];
    same(`laneOps ${lane.path} [${offset}+${limit}]`, await insp.laneOps({ path: lane.path, offset, limit }), A.laneOps(m, lane.path, offset, limit));
  }
  const lost = await insp.lostWrites(ALL);
  const lostKeys = ["file", "line", "ts", "agent", "clock", "op", "id", "data", "pos", "reason", "heldAnyway"];
  // A torn op's offset is where its text starts or where its line starts: AGREED.md leaves it open.
  const withOffset = (rows: Record<string, unknown>[]) => rows.map((row) => (row.reason === "torn-by-undo" ? pick(row, lostKeys) : pick(row, [...lostKeys, "offset"])));
  same("lostWrites", withOffset(lost.rows as unknown as Record<string, unknown>[]), withOffset(A.lostWrites(m)));
  for (const row of lost.rows) {
    if ((row.reason as string) === "torn-by-undo" && !row.explanation.startsWith("Torn by opslog's undo: its writer believes it saved")) differ("lostWrites: a torn-by-undo row's explanation", "Torn by opslog's undo: its writer believes it saved…", row.explanation);
    if (skips.has("sentences")) continue;
    checkNumbers(`lost write ${row.file}:${row.line}`, row.explanation, row.id, m);
    // "written later by bob (op #N)": the op that gave the record the value it holds now.
    const by = /by (\S+) \(op #(\d+)\)/.exec(row.explanation);
    const last = m.versions.get(row.id)?.at(-1);
    if (by && last && "op" in last.by) {
      const expected = `${last.by.op.agent ?? "a writer"} (op #${last.by.op.pos + 1})`;
      if (`${by[1]} (op #${by[2]})` !== expected) differ(`lost write ${row.file}:${row.line}: the write that holds the value now`, expected, row.explanation);
    }
  }
  const conflicts = await insp.conflicts(ALL);
  same("conflicts", conflicts.rows.map((c) => ({ id: c.id, winner: c.winner, losers: c.losers })), A.conflicts(m));
  if (!skips.has("sentences")) {
    for (const c of conflicts.rows) {
      checkNumbers(`conflict on ${c.id}`, c.explanation, c.id, m);
      // The write it replaced, named by its op number: "bob's later write (#N)", "replaced bob's write (#N)".
      const loser = c.losers[0];
      // "over alice's write (#1), the last value it had read, without having seen alice's later write (#2)": the later one is the replaced one.
      const named = new RegExp(`${loser.agent}'s later write \\(#(\\d+)\\)`).exec(c.explanation) ?? new RegExp(`${loser.agent}'s write \\(#(\\d+)\\)`).exec(c.explanation);
      if (named && loser.pos !== null && Number(named[1]) !== loser.pos + 1) differ(`conflict on ${c.id}: the replaced write's number`, `#${loser.pos + 1}`, c.explanation);
    }
  }
  const summary = await insp.summary();
  const live = m.links[m.links.length - 1];
  same("summary.counts", summary.counts, {
    records: m.states[m.timeline.length].size,
    activeOps: live ? live.endPos - live.startPos : 0,
    timelineOps: m.timeline.length,
    walOps: A.lanes(m).reduce((n, lane) => n + lane.ops, 0),
    archivedRecords: m.files.segments.reduce((n, s) => n + s.records.size, 0),
    lostWrites: m.lost.length,
    conflicts: m.conflicts.length,
  });
  same("summary.agents", summary.agents, [...new Set(m.files.wals.map((w) => w.agent).filter((a) => a !== null))].sort());
  // What kind of store: by who wrote the live link's ops (a multi-writer store with ops of no agent is mixed).
  const liveOps = live ? m.timeline.slice(live.startPos, live.endPos) : [];
  const withAgent = liveOps.filter((op) => op.agent !== null).length;
  const kind = m.timeline.length === 0 && m.states[0].size === 0 ? "empty" : m.multiWriter ? (withAgent < liveOps.length ? "mixed" : "multi-writer") : withAgent > 0 ? "mixed" : "single-writer";
  same("summary.kind", summary.kind, kind);
}

async function schemaAndChartChecks({ insp, model: m, probe, skips }: CompareContext): Promise<void> {
  const r = rng(probe + 2);
  const total = m.timeline.length;
  for (const at of [total, r.int(total + 1)]) {
    const docs = [...m.states[at]].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, d]) => d);
    const dotted = docs.some((d) => JSON.stringify(Object.keys(d)).includes(".") || hasDottedKey(d));
    if (skips.has("schema-dotted") && dotted) continue;
    const got = await insp.schema({ at, sample: 0 });
    same(`schema at ${at}: counts`, pick(got, ["at", "records", "scanned", "matched", "described", "exact", "fieldsCapped"]), { at, records: docs.length, scanned: docs.length, matched: docs.length, described: docs.length, exact: true, fieldsCapped: false });
    const segmentsOf = (f: Record<string, unknown>) => (skips.has("schema-dotted") ? f.keys : f.segments);
    same(`schema at ${at}: fields`, got.fields.map((f) => ({ segments: segmentsOf(f as unknown as Record<string, unknown>), count: f.count, types: f.types })), schemaOf(docs));
  }
  for (const n of [1, 1 + r.int(9), 50]) same(`buckets ${n}`, await insp.buckets({ buckets: n }), A.buckets(m, n));
  for (const n of [1, 1 + r.int(9), 50]) same(`positionBuckets ${n}`, await insp.positionBuckets({ buckets: n }), A.positionBuckets(m, n));
}

function hasDottedKey(d: unknown): boolean {
  if (d === null || typeof d !== "object") return false;
  if (Array.isArray(d)) return false; // the schema does not walk into arrays' objects for paths
  return Object.keys(d).some((k) => k.includes(".") || hasDottedKey((d as Doc)[k]));
}
