// The schema query (the inspector's schema()) against a store written by the
// published opslog: every figure is checked against the state computed by
// replaying the raw WAL lines and counted by the test's own loops.
import { beforeAll, afterAll, describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import { openInspectorThread } from "../../src/inspect/thread.js";
import type { InspectorApi, SchemaType, StoreSchema } from "../../src/inspect/index.js";
import { suiteDir } from "./fixtures.js";
import { countsOf, kindOf, replayRawWal, valuesByPath, writeSchemaStore } from "./schema-fixture.js";
import type { Doc } from "./schema-fixture.js";

let dir: string;
let ops: number;
let insp: InspectorApi;

beforeAll(async () => {
  dir = await suiteDir("opslog-schema-");
  ops = await writeSchemaStore(dir);
  insp = await openInspector(dir);
});
afterAll(() => insp?.close());

/** Check every field of a schema against the records it should describe, each figure counted here. */
function expectDescribes(schema: StoreSchema, docs: Doc[]): void {
  const byPath = valuesByPath(docs);
  expect(schema.described).toBe(docs.length);
  expect(schema.fields.map((f) => f.path).sort()).toEqual([...byPath.keys()].sort());
  for (const field of schema.fields) {
    const values = byPath.get(field.path)!;
    expect(field.count, field.path).toBe(values.length);
    expect(Object.fromEntries(field.types.map((t) => [t.type, t.count])), field.path).toEqual(Object.fromEntries(countsOf(values.map(kindOf))));
    for (const type of field.types) expectSummary(field.path, type, values.filter((v) => kindOf(v) === type.type));
  }
}

function expectSummary(path: string, type: SchemaType, values: unknown[]): void {
  const where = `${path} (${type.type})`;
  if (type.type === "number") {
    const nums = values as number[];
    expect(type.min, where).toBe(Math.min(...nums));
    expect(type.max, where).toBe(Math.max(...nums));
    expect(type.histogram.reduce((n, b) => n + b.count, 0), where).toBe(nums.length);
    type.histogram.forEach((bar, i) => {
      const last = i === type.histogram.length - 1;
      expect(bar.count, `${where} bar ${bar.from}..${bar.to}`).toBe(nums.filter((v) => v >= bar.from && (v < bar.to || (last && v <= bar.to))).length);
    });
  } else if (type.type === "string" || type.type === "date") {
    const counts = countsOf(values as string[]);
    expect(type.distinct, where).toBe(counts.length);
    const expected = new Map(counts);
    for (const top of type.top) expect(top.count, `${where} ${top.value}`).toBe(expected.get(top.value));
    const shown = new Set(type.top.map((t) => t.value));
    const highestLeftOut = Math.max(0, ...counts.filter(([v]) => !shown.has(v)).map(([, n]) => n));
    expect(Math.min(...type.top.map((t) => t.count)), where).toBeGreaterThanOrEqual(highestLeftOut);
    if (type.type === "string") {
      expect(type.lengths.min, where).toBe(Math.min(...(values as string[]).map((s) => s.length)));
      expect(type.lengths.max, where).toBe(Math.max(...(values as string[]).map((s) => s.length)));
    } else {
      const instants = (values as string[]).map((s) => Date.parse(s));
      expect(Date.parse(type.min), where).toBe(Math.min(...instants));
      expect(Date.parse(type.max), where).toBe(Math.max(...instants));
    }
  } else if (type.type === "boolean") {
    expect(type.true, where).toBe(values.filter((v) => v === true).length);
    expect(type.false, where).toBe(values.filter((v) => v === false).length);
  } else if (type.type === "array") {
    const lengths = (values as unknown[][]).map((a) => a.length);
    expect(type.lengths.min, where).toBe(Math.min(...lengths));
    expect(type.lengths.max, where).toBe(Math.max(...lengths));
    const items = (values as unknown[][]).flat();
    expect(Object.fromEntries(type.items.map((t) => [t.type, t.count])), where).toEqual(Object.fromEntries(countsOf(items.map(kindOf))));
    for (const item of type.items) expectSummary(`${path}[]`, item, items.filter((v) => kindOf(v) === item.type));
  }
}

describe("the schema query: the fields of the records at a position, as Compass's Schema tab shows them", () => {
  it("describes every record of the current state exactly when asked for all (sample 0): presence, types and each type's summary", async () => {
    const state = await replayRawWal(dir);
    const schema = await insp.schema({ sample: 0 });
    expect(schema).toMatchObject({ at: ops, records: state.size, scanned: state.size, matched: state.size, exact: true, sample: 0 });
    expectDescribes(schema, [...state.values()]);
    // The store has what the view must show: nested paths, dates, booleans, nulls, arrays, mixed types.
    const paths = schema.fields.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["owner.name", "owner.team", "due", "done", "tags"]));
    expect(schema.fields.find((f) => f.path === "estimate")!.types.map((t) => t.type).sort()).toEqual(["null", "number"]);
    expect(schema.fields.find((f) => f.path === "due")!.types[0].type).toBe("date");
  });

  it("describes a past position: the state after the first p WAL lines", async () => {
    for (const at of [0, 100, 300]) {
      const state = await replayRawWal(dir, at);
      const schema = await insp.schema({ at, sample: 0 });
      expect(schema).toMatchObject({ at, records: state.size, exact: true });
      expectDescribes(schema, [...state.values()]);
    }
  });

  it("describes only the records a filter keeps, and counts them", async () => {
    const at = 400;
    const kept = [...(await replayRawWal(dir, at)).values()].filter((d) => d.status === "done" && typeof d.estimate === "number" && d.estimate > 5);
    const schema = await insp.schema({ at, sample: 0, filter: { status: "done", estimate: { $gt: 5 } } });
    expect(kept.length).toBeGreaterThan(5);
    expect(schema).toMatchObject({ matched: kept.length, exact: true });
    expectDescribes(schema, kept);
  });

  it("samples: describes exactly `sample` of the records, says it is not exact, and answers the same each time", async () => {
    const state = await replayRawWal(dir);
    const schema = await insp.schema({ sample: 50 });
    expect(schema).toMatchObject({ records: state.size, scanned: 50, matched: 50, described: 50, sample: 50, exact: false });
    for (const field of schema.fields) {
      expect(field.count).toBeLessThanOrEqual(50);
      expect(field.types.reduce((n, t) => n + t.count, 0)).toBe(field.count);
    }
    expect(await insp.schema({ sample: 50 })).toEqual(schema);
    // The sample is of records that exist: every top value is one the state holds at least that often.
    const statusCounts = new Map(countsOf([...state.values()].map((d) => d.status)));
    const status = schema.fields.find((f) => f.path === "status")!.types[0];
    if (status.type !== "string") throw new Error("status should be strings");
    for (const top of status.top) expect(top.count).toBeLessThanOrEqual(statusCounts.get(top.value)!);
  });

  it("a sample at a past position is of records present there, with their values then", async () => {
    const at = 300;
    const state = await replayRawWal(dir, at);
    const schema = await insp.schema({ at, sample: 40 });
    expect(schema).toMatchObject({ at, records: state.size, described: 40, exact: false });
    const titles = schema.fields.find((f) => f.path === "title")!.types[0];
    if (titles.type !== "string") throw new Error("titles should be strings");
    const held = new Set([...state.values()].map((d) => d.title));
    expect(titles.distinct).toBe(40); // each record's title is its own
    for (const top of titles.top) expect(held.has(top.value), top.value).toBe(true);
  });

  it("with a filter, samples among the records it keeps, reading no more than ten times the sample", async () => {
    const schema = await insp.schema({ sample: 10, filter: { status: "review" } });
    expect(schema.described).toBe(10);
    expect(schema.matched).toBe(10);
    expect(schema.scanned).toBeLessThanOrEqual(100);
    expect(schema.exact).toBe(false);
    const status = schema.fields.find((f) => f.path === "status")!;
    expect(status.types).toEqual([expect.objectContaining({ type: "string", top: [{ value: "review", count: 10 }] })]);
  });

  it("refuses a bad filter, a bad sample size and a position outside the timeline by name", async () => {
    await expect(insp.schema({ filter: { $where: "1" } })).rejects.toMatchObject({ code: "bad-filter" });
    await expect(insp.schema({ sample: -1 })).rejects.toMatchObject({ code: "bad-argument" });
    await expect(insp.schema({ at: ops + 1 })).rejects.toMatchObject({ code: "bad-argument" });
  });

  it("answers the same through the inspector's thread (as the app calls it)", async () => {
    const thread = await openInspectorThread(dir);
    try {
      expect(await thread.schema({ at: 200, sample: 0 })).toEqual(await insp.schema({ at: 200, sample: 0 }));
    } finally {
      await thread.close();
    }
  });
});
