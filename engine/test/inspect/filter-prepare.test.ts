// Filters made ready ahead (RecordFilter.prepare, SnapshotValues.makeColumnsAhead):
// in the turns no query takes after an open, the columns of a snapshot's
// short top-level fields and their values for the records alive now are
// made, so the first filter on them only tests; every answer stays mingo's
// on the raw documents, for fields prepared and not.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Query as Mingo } from "mingo";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { mixedValuesCompactedThenEdited, publishedState } from "../scenarios/index.js";
import type { Doc, FactsOf } from "../scenarios/index.js";
import { buildHistory } from "../../src/inspect/build.js";
import { FieldColumns } from "../../src/inspect/columns.js";
import { RecordFilter } from "../../src/inspect/filtered-records.js";
import { openInspector } from "../../src/inspect/index.js";
import type { StoreIndex } from "../../src/inspect/store-index.js";
import type { Filter } from "../../src/inspect/types.js";

const FILTERS: Filter[] = [
  { n: { $gte: 5 } },
  { title: "Mixed 300" },
  { n: { $exists: false } },
  { title: { $gt: "Mixed 5" }, n: { $lt: 3 } },
  { v: "done" },
  { v: { $in: [true, null] } },
  { "meta.level": 2 },
  { meta: "flat", n: 0 },
  { $or: [{ v: false }, { n: 9 }] },
  { v: "lone \ud800 surrogate" },
];

const nextTurn = () => new Promise<void>((done) => setImmediate(done));

let dir: string;
let store: FactsOf<typeof mixedValuesCompactedThenEdited>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "opslog-filter-prepare-"));
  store = await mixedValuesCompactedThenEdited.build(dir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The raw snapshot file's records (JSONL: a header line, then {id, data} a line), in id order. */
async function snapshotRecords(): Promise<[string, Doc][]> {
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { currentSnapshot: string };
  const lines = (await readFile(join(dir, manifest.currentSnapshot), "utf-8")).split("\n").filter(Boolean).slice(1);
  return lines.map((line) => JSON.parse(line) as { id: string; data: Doc }).map((r): [string, Doc] => [r.id, r.data]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function mingoIds(records: [string, unknown][], filter: Filter): string[] {
  const query = new Mingo(filter);
  return records.filter(([, doc]) => query.test(doc as Doc)).map(([id]) => id);
}

function idsOf(h: StoreIndex, filter: RecordFilter, at: number, query: Filter): string[] {
  return filter.matching({ at, filter: query })!.map((rec) => h.versions.ids.at(rec));
}

describe("filters prepared ahead", () => {
  it("after prepare, the first filter on a snapshot's top-level scalar fields gathers no value: they were gathered for the records alive now", async () => {
    const h = await buildHistory(dir, "never");
    const filter = new RecordFilter(h);
    await filter.prepare(nextTurn);
    const gather = vi.spyOn(FieldColumns.prototype, "gather");
    try {
      const query = { n: { $gte: 5 }, title: { $ne: "Mixed 10" } };
      const ids = idsOf(h, filter, h.timeline.length, query);
      expect(gather).not.toHaveBeenCalled();
      expect(ids).toEqual(mingoIds(await publishedState(dir), query));
    } finally {
      gather.mockRestore();
      h.reader.close();
    }
  });

  it("answer as mingo on the raw documents, now and at the snapshot's state, for fields prepared and not (objects, mixed types, nested paths)", async () => {
    const h = await buildHistory(dir, "never");
    const prepared = new RecordFilter(h);
    await prepared.prepare(nextTurn);
    const total = h.timeline.length;
    const atSnapshot = total - (store.edited.length + store.deleted.length + 2);
    const now = await publishedState(dir);
    const snapshot = await snapshotRecords();
    for (const query of FILTERS) {
      expect(idsOf(h, prepared, total, query), `now: ${JSON.stringify(query)}`).toEqual(mingoIds(now, query));
      expect(idsOf(h, prepared, atSnapshot, query), `at the snapshot: ${JSON.stringify(query)}`).toEqual(mingoIds(snapshot, query));
    }
    h.reader.close();
  });

  it("stop at the first turn refused (the index replaced, the inspector closed), leaving every answer to the filters themselves", async () => {
    const h = await buildHistory(dir, "never");
    const filter = new RecordFilter(h);
    let turns = 0;
    const refused = filter.prepare(async () => {
      if (++turns > 1) throw new Error("closed");
      await nextTurn();
    });
    await expect(refused).rejects.toThrow("closed");
    expect(turns).toBe(2);
    const query = { n: { $gte: 5 } };
    expect(idsOf(h, filter, h.timeline.length, query)).toEqual(mingoIds(await publishedState(dir), query));
    h.reader.close();
  });
});

describe("when the preparation begins after an open", () => {
  it("waits for the first records page to be answered, so the first rows never wait behind it", async () => {
    const prepare = vi.spyOn(RecordFilter.prototype, "prepare");
    try {
      const insp = await openInspector(dir, { parallel: "never" });
      await insp.summary();
      for (let i = 0; i < 20; i++) await nextTurn();
      expect(prepare, "begun before any records page was asked").not.toHaveBeenCalled();
      await insp.records({ offset: 0, limit: 50 });
      await vi.waitFor(() => expect(prepare).toHaveBeenCalledTimes(1), { timeout: 5_000, interval: 5 });
      await insp.close();
    } finally {
      prepare.mockRestore();
    }
  });

  it("begins anyway about a second after the open when no records page is asked", async () => {
    const prepare = vi.spyOn(RecordFilter.prototype, "prepare");
    try {
      const opened = performance.now();
      const insp = await openInspector(dir, { parallel: "never" });
      await vi.waitFor(() => expect(prepare).toHaveBeenCalledTimes(1), { timeout: 10_000, interval: 20 });
      expect(performance.now() - opened).toBeGreaterThanOrEqual(900);
      await insp.close();
    } finally {
      prepare.mockRestore();
    }
  });
});
