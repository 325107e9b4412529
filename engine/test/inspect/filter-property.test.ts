// Records filters, as a property: on stores the published opslog wrote (one
// writer with compactions; two agents), random MongoDB-style queries, sorts
// and id matches at random positions, then one step on, then now, answer
// exactly what mingo itself answers on the whole records of the state at that
// position; and a diff from there to now lists exactly the records whose
// values differ. The states are independent of the inspector: recorded from
// the published Store as it wrote (one writer), or replayed from the raw WAL
// lines in (clock, agent) order (two agents).
import { readFile, readdir, rm } from "node:fs/promises";
import { isDeepStrictEqual } from "node:util";
import { join } from "node:path";
import fc from "fast-check";
import { Query as Mingo } from "mingo";
import { Store as Published } from "@backloghq/opslog";
import { describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import { compareValues, valueAtPath } from "../../src/inspect/filter.js";
import { compileScalarFilter } from "../../src/inspect/scalar-filter.js";
import type { Doc, InspectorApi, Filter, RecordsRequest } from "../../src/inspect/index.js";
import { tempDir } from "../helpers/tmp.js";
import { nextMs } from "./fixtures.js";
import { replayAgentWals } from "../scenarios/facts.js";

type State = Map<string, Doc>;
type Write = { id: string; value: Doc | null; compact: boolean };

const IDS = ["r1", "r2", "r3", "a10", "a2", "b1"];
const number = fc.integer({ min: -1, max: 40 });
const scalar = fc.oneof(fc.constantFrom("todo", "done", "open", "a", "b", "5"), number, fc.constant(null), fc.boolean());
const doc: fc.Arbitrary<Doc> = fc.record(
  {
    status: fc.oneof(fc.constantFrom("todo", "done", "open"), fc.constant(null)),
    n: fc.oneof({ weight: 4, arbitrary: number }, { weight: 1, arbitrary: fc.constant("5") }),
    tags: fc.array(fc.constantFrom("a", "b", "c"), { maxLength: 3 }),
    meta: fc.record({ level: fc.integer({ min: 0, max: 3 }) }, { requiredKeys: [] }),
  },
  { requiredKeys: ["n"] },
).map((d) => JSON.parse(JSON.stringify(d)) as Doc); // plain objects, as records read from JSON are
const writes = fc.array(
  // A few fixed values come back often: a set that changes nothing is no change in a diff.
  fc.record({ id: fc.constantFrom(...IDS), value: fc.option(fc.oneof(doc, fc.constantFrom<Doc>({ n: 1 }, { n: 1, status: "done" })), { freq: 4 }), compact: fc.boolean() }),
  { minLength: 1, maxLength: 16 },
);

const condition = fc.oneof(
  scalar,
  ...["$eq", "$ne", "$gt", "$gte", "$lt", "$lte"].map((op) => fc.record({ [op]: scalar })),
  ...["$in", "$nin", "$all"].map((op) => fc.record({ [op]: fc.array(scalar, { maxLength: 3 }) })),
  fc.record({ $exists: fc.boolean() }),
  fc.record({ $regex: fc.constantFrom("^t", "o", "^d.*e$") }),
  fc.record({ $size: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ $type: fc.constantFrom("string", "number", "null", "array", "object", "bool") }),
  fc.record({ $not: fc.record({ $gt: scalar }) }),
  fc.record({ $elemMatch: fc.record({ $in: fc.array(fc.constantFrom("a", "b"), { maxLength: 2 }) }) }),
);
const field = fc.constantFrom("status", "n", "tags", "meta", "meta.level", "gone");
const { query } = fc.letrec<{ query: Filter }>((tie) => ({
  query: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.dictionary(field, condition, { minKeys: 1, maxKeys: 2 }),
    fc.record({ $and: fc.array(tie("query"), { minLength: 1, maxLength: 2 }) }),
    fc.record({ $or: fc.array(tie("query"), { minLength: 1, maxLength: 2 }) }),
    fc.record({ $nor: fc.array(tie("query"), { minLength: 1, maxLength: 2 }) }),
  ),
}));
/** The queries scalar-filter.ts compiles: comparisons with scalars, combined. */
const simpleField = fc.constantFrom("status", "n", "gone");
const simpleCondition = fc.oneof(
  scalar,
  ...["$eq", "$ne", "$gt", "$gte", "$lt", "$lte"].map((op) => fc.record({ [op]: scalar })),
  ...["$in", "$nin"].map((op) => fc.record({ [op]: fc.array(scalar, { maxLength: 3 }) })),
  fc.record({ $gt: scalar, $lte: scalar }),
);
const { simple } = fc.letrec<{ simple: Filter }>((tie) => ({
  simple: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.dictionary(simpleField, simpleCondition, { minKeys: 1, maxKeys: 2 }),
    fc.record({ $and: fc.array(tie("simple"), { minLength: 1, maxLength: 2 }) }),
    fc.record({ $or: fc.array(tie("simple"), { minLength: 1, maxLength: 2 }) }),
    fc.record({ $nor: fc.array(tie("simple"), { minLength: 1, maxLength: 2 }) }),
  ),
}));
const request = fc.record(
  {
    filter: fc.oneof(query, simple),
    sort: fc.record({ field: fc.constantFrom("id", "status", "n", "meta.level", "tags"), dir: fc.constantFrom(1 as const, -1 as const) }),
    idContains: fc.constantFrom("1", "a", "r"),
  },
  { requiredKeys: ["filter"] },
);
/** Where each request is asked: a fraction of the timeline, then one step on, then now. */
const asked = fc.array(fc.record({ req: request, where: fc.integer({ min: 0, max: 100 }).map((p) => p / 100) }), { minLength: 1, maxLength: 6 });

/** What mingo answers on the whole records of `state`, in the inspector's order. */
function expected(state: State, req: Omit<RecordsRequest, "offset" | "limit">): [string, Doc][] {
  const mingo = new Mingo(req.filter ?? {});
  const rows = [...state].filter(([id, data]) => (!req.idContains || id.includes(req.idContains)) && mingo.test(data));
  rows.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const sort = req.sort;
  if (!sort) return rows;
  const key = ([id, data]: [string, Doc]) => (sort.field === "id" ? id : valueAtPath(data, sort.field));
  return rows.sort((a, b) => sort.dir * compareValues(key(a), key(b)) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The records whose values differ between two states, in id order, as a diff lists them. */
function expectedDiff(before: State, after: State): [string, string, Doc | null, Doc | null][] {
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: [string, string, Doc | null, Doc | null][] = [];
  for (const id of ids) {
    const [x, y] = [before.get(id) ?? null, after.get(id) ?? null];
    if (x && y && isDeepStrictEqual(x, y)) continue;
    out.push([id, x ? (y ? "changed" : "removed") : "added", x, y]);
  }
  return out;
}

async function check(insp: InspectorApi, states: State[], cases: { req: Omit<RecordsRequest, "offset" | "limit">; where: number }[]): Promise<void> {
  const total = states.length - 1;
  expect((await insp.timelineInfo()).total).toBe(total);
  for (const { req, where } of cases) {
    const at = Math.floor(where * total);
    for (const position of [at, Math.min(total, at + 1), Math.max(0, at - 1), total]) {
      const page = await insp.records({ ...req, at: position, offset: 0, limit: 1000 });
      const label = JSON.stringify({ ...req, at: position });
      expect(page.rows.map((r) => [r.id, r.data]), label).toEqual(expected(states[position], req));
      expect(page.total, label).toBe(page.rows.length);
    }
    // A diff from there to now (and back): the hashes the build kept tell the changed records.
    for (const [a, b] of [[at, total], [total, at]]) {
      const diff = await insp.diff({ a, b, offset: 0, limit: 1000 });
      expect(diff.rows.map((r) => [r.id, r.kind, r.before, r.after]), `diff ${a} -> ${b}`).toEqual(expectedDiff(states[a], states[b]));
    }
  }
}

/**
 * One writer (compacting when told): the state after every op, as the
 * published Store holds it. `trim` then removes the files older than the
 * last compaction, as a user clearing old history would: the timeline starts
 * at that snapshot's records, whose values the index keeps in memory.
 */
async function writeOneWriter(dir: string, list: Write[], trim: boolean): Promise<State[]> {
  const store = new Published<Doc>();
  await store.open(dir, { checkpointThreshold: 1000, checkpointOnClose: false });
  let states: State[] = [new Map()];
  let compactedAt = 0;
  for (const w of list) {
    if (w.value) await store.set(w.id, w.value);
    else if (store.has(w.id)) await store.delete(w.id);
    else continue;
    states.push(new Map(store.entries()));
    if (w.compact) {
      // Files are named by the ms: a compaction's must differ from the open's and the last one's.
      await nextMs();
      await store.compact();
      await nextMs();
      compactedAt = states.length - 1;
    }
  }
  await store.close();
  if (trim && compactedAt > 0) {
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { currentSnapshot: string; activeOps: string };
    for (const sub of ["ops", "snapshots"]) {
      for (const name of await readdir(join(dir, sub))) if (![manifest.currentSnapshot, manifest.activeOps].includes(`${sub}/${name}`)) await rm(join(dir, sub, name));
    }
    states = states.slice(compactedAt);
  }
  return states;
}

/** Two agents taking turns; the states replayed from their raw WAL lines in (clock, agent) order. */
async function writeTwoAgents(dir: string, list: Write[]): Promise<State[]> {
  const agents: Published<Doc>[] = [];
  for (const agentId of ["alice", "bob"]) {
    const store = new Published<Doc>();
    await store.open(dir, { agentId, checkpointThreshold: 1000, checkpointOnClose: false });
    agents.push(store);
  }
  for (const [i, w] of list.entries()) {
    const store = agents[i % 2];
    if (w.value) await store.set(w.id, w.value);
    else if (store.has(w.id)) await store.delete(w.id);
  }
  for (const store of agents) await store.close();
  return replayAgentWals(dir);
}

describe("records filters answer what mingo answers on the whole records of the state", () => {
  it("compiles comparisons with scalars to exactly mingo's answer on records whose values are scalars", () => {
    const FIELDS = ["gone", "n", "status"];
    const record = fc.record({ status: scalar, n: scalar }, { requiredKeys: [] });
    fc.assert(
      fc.property(simple, fc.array(record, { minLength: 1, maxLength: 8 }), (q, records) => {
        const test = compileScalarFilter(q, FIELDS);
        expect(test, JSON.stringify(q)).not.toBeNull();
        const values = FIELDS.map((f) => records.map((r) => (r as Doc)[f]));
        const mingo = new Mingo(q);
        records.forEach((r, i) => expect(test!(values, i), JSON.stringify({ q, r })).toBe(mingo.test(JSON.parse(JSON.stringify(r)))));
      }),
      { numRuns: 2000 },
    );
  });

  it("for one writer's random sets, deletes and compactions, the older files kept or removed, at random positions, a step on and now", async () => {
    await fc.assert(
      fc.asyncProperty(writes, asked, fc.boolean(), fc.boolean(), async (list, cases, inWorker, trim) => {
        const dir = await tempDir();
        const states = await writeOneWriter(dir, list, trim);
        const insp = await openInspector(dir, { parallel: inWorker ? "always" : "never" });
        try {
          await check(insp, states, cases);
        } finally {
          await insp.close();
        }
      }),
      { numRuns: 20 },
    );
  });

  it("for two agents' random sets and deletes, values read back from the WALs or held in memory", async () => {
    await fc.assert(
      fc.asyncProperty(writes, asked, fc.boolean(), async (list, cases, inWorker) => {
        const dir = await tempDir();
        const states = await writeTwoAgents(dir, list);
        const insp = await openInspector(dir, { parallel: inWorker ? "always" : "never" });
        try {
          await check(insp, states, cases);
        } finally {
          await insp.close();
        }
      }),
      // Tried first: numbers and strings from the worker's columns, then a diff over a set that changed nothing.
      {
        numRuns: 20,
        examples: [
          [
            [
              { id: "r1", value: { n: 7, status: "done" }, compact: false },
              { id: "r2", value: { n: 30 }, compact: false },
              { id: "r1", value: { n: 7, status: "done" }, compact: false },
            ],
            [{ req: { filter: { n: { $gt: 5 }, status: { $ne: "open" } } }, where: 0.5 }],
            true,
          ],
        ],
      },
    );
  });
});
