// The records alive now, as filters keep them across queries (alive-set.ts):
// after appends the published opslog makes between two queries, the set is
// moved on by the records the new ops touched only, and after appends,
// deletes, an undo, a compaction or an archive done between two queries, a
// filter on the current state (and at a past position) answers exactly what
// mingo answers on the published Store's own read-back of its records.
import fc from "fast-check";
import { Query as Mingo } from "mingo";
import { Store as Published } from "@backloghq/opslog";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sortBySource } from "../../src/inspect/alive-set.js";
import { openInspector } from "../../src/inspect/index.js";
import type { Filter, InspectorApi } from "../../src/inspect/index.js";
import { RecordVersions } from "../../src/inspect/versions.js";
import { tempDir } from "../helpers/tmp.js";
import { nextMs } from "./fixtures.js";

type Doc = { status: string; n: number; note?: unknown };

const FILTERS: Filter[] = [{ status: "open" }, { status: "open", n: { $gt: 20 } }, { $or: [{ status: "done" }, { n: { $lt: 5 } }] }, { note: { $exists: true } }];

async function openWriter(dir: string): Promise<Published<Doc>> {
  const store = new Published<Doc>();
  await store.open(dir, { checkpointThreshold: 100_000, checkpointOnClose: false });
  return store;
}

/** What mingo answers on the writer's own records (its read-back, not the inspector's), in id order. */
function expected(writer: Published<Doc>, filter: Filter): [string, Doc][] {
  const mingo = new Mingo(filter);
  return writer
    .entries()
    .filter(([, data]) => mingo.test(data))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

async function filtered(insp: InspectorApi, filter: Filter, at?: number): Promise<[string, unknown][]> {
  const page = await insp.records({ filter, at, offset: 0, limit: 10_000 });
  expect(page.total).toBe(page.rows.length);
  return page.rows.map((r) => [r.id, r.data]);
}

/** Every filter on the current state answers as mingo on the writer's records. */
async function checkNow(insp: InspectorApi, writer: Published<Doc>, label: string): Promise<void> {
  for (const filter of FILTERS) expect(await filtered(insp, filter), `${label}: ${JSON.stringify(filter)}`).toEqual(expected(writer, filter));
}

const status = (i: number) => ["open", "done", "doing"][i % 3];

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the records alive now, kept by the filters across queries", () => {
  it("after appends between two queries, is moved on by the records the new ops touched: not every record is looked at again", async () => {
    const dir = await tempDir();
    const writer = await openWriter(dir);
    for (let i = 0; i < 300; i++) await writer.set(`r${i}`, { status: status(i), n: i % 40 });
    const insp = await openInspector(dir, { parallel: "never" });
    try {
      await checkNow(insp, writer, "first");
      await writer.set("r7", { status: "open", n: 30 });
      await writer.delete("r8");
      await writer.set("new", { status: "open", n: 39 });
      await insp.refresh();
      const lastSrc = vi.spyOn(RecordVersions.prototype, "lastSrc");
      await insp.records({ filter: { status: "open" }, offset: 0, limit: 1 });
      expect(lastSrc.mock.calls.length).toBeLessThanOrEqual(3);
      lastSrc.mockRestore();
      await checkNow(insp, writer, "after appends");
    } finally {
      await insp.close();
      await writer.close();
    }
  });

  it("after sets, deletes, new ids and ids created again between queries, each filter now and at a past position answers as the published Store's records", async () => {
    const dir = await tempDir();
    const writer = await openWriter(dir);
    const states: [string, Doc][][] = [];
    const write = async (run: () => unknown) => {
      await run();
      states.push(writer.entries());
    };
    for (let i = 0; i < 60; i++) await write(() => writer.set(`r${i}`, { status: status(i), n: i % 40 }));
    const insp = await openInspector(dir, { parallel: "never" });
    try {
      for (let round = 0; round < 6; round++) {
        await checkNow(insp, writer, `round ${round}`);
        // A past position between two rounds: its own set, beside the one kept for now.
        const at = 30 + round;
        const mingo = new Mingo(FILTERS[1]);
        const past = states[at - 1].filter(([, d]) => mingo.test(d)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        expect(await filtered(insp, FILTERS[1], at), `at ${at}`).toEqual(past);
        await write(() => writer.set(`r${round * 7}`, { status: "open", n: 21 + round }));
        await write(() => writer.delete(`r${round * 7 + 1}`));
        await write(() => writer.set(`x${round}`, { status: "done", n: round, note: { round } }));
        if (round > 1) await write(() => writer.set(`r${(round - 2) * 7 + 1}`, { status: "open", n: 40 })); // deleted two rounds ago, created again
        await insp.refresh();
      }
      await checkNow(insp, writer, "last");
    } finally {
      await insp.close();
      await writer.close();
    }
  });

  it("after an undo, a compaction and an archive between queries, each filter now answers as the published Store's records", async () => {
    const dir = await tempDir();
    const writer = await openWriter(dir);
    for (let i = 0; i < 40; i++) await writer.set(`r${i}`, { status: status(i), n: i });
    const insp = await openInspector(dir, { parallel: "never" });
    try {
      await checkNow(insp, writer, "first");
      await writer.set("r1", { status: "open", n: 33 });
      await writer.delete("r3");
      await writer.undo(); // r3 is back
      await insp.refresh();
      await checkNow(insp, writer, "after an undo");
      await writer.delete("r4");
      await writer.undo();
      await writer.undo(); // r1's set too
      await insp.refresh();
      await checkNow(insp, writer, "after two undos");
      await nextMs(); // snapshot and WAL names carry the ms
      await writer.compact();
      await nextMs();
      await writer.set("r5", { status: "open", n: 35 });
      await insp.refresh();
      await checkNow(insp, writer, "after a compaction");
      await writer.archive((d) => d.status === "done", "2026-Q1");
      await nextMs();
      await writer.set("r6", { status: "done", n: 2 });
      await insp.refresh();
      await checkNow(insp, writer, "after an archive");
      await writer.delete("r9");
      await insp.refresh();
      await checkNow(insp, writer, "after a delete past the archive");
    } finally {
      await insp.close();
      await writer.close();
    }
  });
});

describe("sortBySource", () => {
  const sorts = (sources: number[]) => {
    const srcs = Int32Array.from(sources);
    const recs = Int32Array.from(sources.keys());
    sortBySource(srcs, recs, srcs.length);
    expect([...srcs]).toEqual([...sources].sort((a, b) => a - b));
    for (let i = 0; i < srcs.length; i++) expect(sources[recs[i]]).toBe(srcs[i]);
  };
  it("sorts (source, record) pairs by source, snapshot sources (< 0) first, each record kept with its source", () => {
    const source = fc.oneof(fc.integer({ min: -5_000_000, max: 20_000_000 }), fc.integer({ min: -200, max: 70_000 }));
    fc.assert(fc.property(fc.uniqueArray(source, { maxLength: 3000 }), sorts), { numRuns: 200 });
  });

  it("sorts sources that repeat, too", () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -100, max: 140_000 }), { maxLength: 2000 }), sorts), { numRuns: 100 });
  });
});
