// A snapshot's values (snapshot-values.ts): filters read their fields from
// columns and answer as mingo does on the raw documents, whatever the types,
// missing values and nested paths; the index cache keeps the documents out of
// its V8-serialised graph (in chunks read back when asked), so a cached
// reopen reads no document until one is shown, and answers as a fresh build.
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Query as Mingo } from "mingo";
import { Store as Published } from "@backloghq/opslog";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/tmp.js";
import { MIXED_RECORDS, mixedId, mixedRecord, mixedValuesCompactedThenEdited, publishedState } from "../scenarios/index.js";
import type { Doc, FactsOf } from "../scenarios/index.js";
import { openInspector } from "../../src/inspect/index.js";
import type { InspectorApi } from "../../src/inspect/index.js";
import { indexCacheWrites, loadCachedHistory } from "../../src/inspect/index-cache.js";
import type { IndexCacheEvent } from "../../src/inspect/index-cache.js";
import type { IndexCacheOptions } from "../../src/inspect/index-cache-files.js";
import { RecordFilter } from "../../src/inspect/filtered-records.js";
import type { Filter } from "../../src/inspect/types.js";

const ALL = { offset: 0, limit: 10_000 };

const FILTERS: Filter[] = [
  { v: "done" },
  { v: 7 },
  { v: { $gte: 0 } },
  { v: { $gt: "a" } },
  { v: { $in: [true, null] } },
  { v: null },
  { v: { $ne: "done" } },
  { v: { $nin: ["done", 7, false] } },
  { v: { $exists: false } },
  { v: "", n: { $lt: 5 } },
  { "meta.level": 2 },
  { "meta.level": { $gt: 1 } },
  { meta: "flat" },
  { meta: { $type: "object" } },
  { $or: [{ v: false }, { n: 9 }] },
  { $nor: [{ v: "done" }, { n: { $gte: 5 } }] },
  { "deep.marker": "deep-marker-42" },
  { v: "done", n: { $gte: 100 } },
  { title: "Mixed 300" },
  { v: "naïve ü" },
  { v: "lone \ud800 surrogate" },
  { v: { $gt: "n" } },
];

/** The raw snapshot file's records (JSONL: a header line, then {id, data} a line). */
async function snapshotRecords(dir: string): Promise<[string, Doc][]> {
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { currentSnapshot: string };
  const lines = (await readFile(join(dir, manifest.currentSnapshot), "utf-8")).split("\n").filter(Boolean).slice(1);
  return lines.map((line) => JSON.parse(line) as { id: string; data: Doc }).map((r): [string, Doc] => [r.id, r.data]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The ids of these records that mingo says match. */
function mingoIds(records: [string, unknown][], filter: Filter): string[] {
  const query = new Mingo(filter);
  return records.filter(([, doc]) => query.test(doc as Doc)).map(([id]) => id);
}

async function idsOf(insp: InspectorApi, at: number, filter: Filter): Promise<string[]> {
  return (await insp.records({ at, filter, ...ALL })).rows.map((r) => r.id);
}

/** The position whose state is the snapshot's: before the active WAL's ops. */
async function snapshotPosition(insp: InspectorApi, store: FactsOf<typeof mixedValuesCompactedThenEdited>): Promise<number> {
  const { total } = await insp.timelineInfo();
  return total - (store.edited.length + store.deleted.length + 2);
}

let dir: string;
let store: FactsOf<typeof mixedValuesCompactedThenEdited>;

// One store for the file (tempDir's are removed after each test): written once, read only.
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "opslog-snapvalues-"));
  store = await mixedValuesCompactedThenEdited.build(dir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function openCached(cache: IndexCacheOptions): Promise<{ insp: InspectorApi; event: IndexCacheEvent | undefined }> {
  const events: IndexCacheEvent[] = [];
  const insp = await openInspector(dir, { indexCache: cache, onIndexCache: (e) => events.push(e) });
  return { insp, event: events.find((e) => e.kind === "hit" || e.kind === "miss") };
}

describe("filters on a snapshot's values", () => {
  it("answer as mingo on the raw documents (mixed types, missing values, nested paths), at the snapshot's state and now, built and from the index cache", async () => {
    const now = await publishedState(dir);
    const atSnapshot = await snapshotRecords(dir);
    expect(atSnapshot.length).toBeGreaterThan(600);
    const cache = { dir: await tempDir("opslog-snapvalues-cache-"), maxBytes: 1 << 30 };
    const built = await openCached(cache);
    expect(built.event?.kind).toBe("miss");
    const at = await snapshotPosition(built.insp, store);
    const { total } = await built.insp.timelineInfo();
    await built.insp.close();
    await indexCacheWrites();
    const reopened = await openCached(cache);
    expect(reopened.event).toEqual({ kind: "hit", grown: false });
    const fresh = await openInspector(dir);
    for (const insp of [fresh, reopened.insp]) {
      for (const filter of FILTERS) {
        expect(await idsOf(insp, total, filter), `now: ${JSON.stringify(filter)}`).toEqual(mingoIds(now, filter));
        expect(await idsOf(insp, at, filter), `at the snapshot: ${JSON.stringify(filter)}`).toEqual(mingoIds(atSnapshot, filter));
      }
    }
    await fresh.close();
    await reopened.insp.close();
  });

  it("read no snapshot document after a cached reopen: a filter on top-level scalar fields reads their columns", async () => {
    const cache = { dir: await tempDir("opslog-snapvalues-cache-"), maxBytes: 1 << 30 };
    const built = await openCached(cache);
    await built.insp.close();
    await indexCacheWrites();
    const loaded = await loadCachedHistory(dir, cache);
    if (!("h" in loaded)) throw new Error(`the cache was not used: ${loaded.miss}`);
    const { h } = loaded;
    const snapshots = h.versions.snapshots;
    expect(snapshots.size).toBeGreaterThan(600);
    // n and title are scalars in every record (v is not: an object or an array is read from its document, as mingo needs it whole).
    const filter = { n: { $gte: 5 }, title: { $ne: "Mixed 10" } };
    const matching = new RecordFilter(h).matching({ at: h.timeline.length, filter });
    const now = await publishedState(dir);
    expect(matching!.map((rec) => h.versions.ids.at(rec))).toEqual(mingoIds(now, filter));
    const inMemory = [];
    for (let j = 1; j < snapshots.size; j++) if (snapshots.peek(j) !== undefined) inMemory.push(j);
    expect(inMemory).toEqual([]);
    h.reader.close();
  });
});

/** The V8-serialised graph of a cache file: after the header (magic line, u32 length, JSON, padding to 8), the payload's u32 length, 4 bytes, the graph. */
async function serialisedGraph(cacheDir: string): Promise<Buffer> {
  const [name] = (await readdir(cacheDir)).filter((n) => n.endsWith(".idx"));
  const bytes = await readFile(join(cacheDir, name));
  const magic = bytes.indexOf(0x0a) + 1;
  const payload = (magic + 4 + bytes.readUInt32LE(magic) + 7) & ~7;
  return bytes.subarray(payload + 8, payload + 8 + bytes.readUInt32LE(payload));
}

/** A short one-byte string as V8's serializer writes it: '"', its length (one byte under 128), its bytes. */
function serialisedString(text: string): Buffer {
  return Buffer.concat([Buffer.from([0x22, text.length]), Buffer.from(text, "latin1")]);
}

describe("index cache: a snapshot's values", () => {
  it("are not in the V8-serialised graph, and a cached reopen shows them as a fresh build does", async () => {
    const cache = { dir: await tempDir("opslog-snapvalues-cache-"), maxBytes: 1 << 30 };
    const built = await openCached(cache);
    await built.insp.close();
    await indexCacheWrites();
    const graph = await serialisedGraph(cache.dir);
    // A current value an op set is in the graph (the search finds what is there); no value only a snapshot set is.
    expect(graph.includes(serialisedString(`deep-marker-0`))).toBe(true);
    const edited = new Set(store.edited);
    const inGraph = [];
    for (let i = 0; i < MIXED_RECORDS; i++) if (!edited.has(mixedId(i)) && graph.includes(serialisedString(`deep-marker-${i}`))) inGraph.push(i);
    expect(inGraph).toEqual([]);
    const reopened = await openCached(cache);
    expect(reopened.event).toEqual({ kind: "hit", grown: false });
    const fresh = await openInspector(dir);
    const at = await snapshotPosition(fresh, store);
    for (const insp of [fresh, reopened.insp]) {
      const page = (await insp.records({ at, ...ALL })).rows;
      expect(page.find((r) => r.id === mixedId(42))?.data).toEqual(mixedRecord(42)); // as written, never edited
    }
    const answers = async (insp: InspectorApi) => ({ now: await insp.records(ALL), atSnapshot: await insp.records({ at, ...ALL }), history: await insp.recordHistory({ id: mixedId(46) }), ops: await insp.ops(ALL) });
    expect(await answers(reopened.insp)).toEqual(await answers(fresh));
    await fresh.close();
    await reopened.insp.close();
  });

  it("a WAL grown by edits of records a snapshot set: the cached open tails it and answers as a fresh build", async () => {
    const cache = { dir: await tempDir("opslog-snapvalues-cache-"), maxBytes: 1 << 30 };
    const copy = await tempDir("opslog-snapvalues-grown-");
    const grown = await mixedValuesCompactedThenEdited.build(copy);
    const built = await openInspector(copy, { indexCache: cache });
    await built.close();
    await indexCacheWrites();
    const writer = new Published<Doc>();
    await writer.open(copy, { checkpointOnClose: false, checkpointThreshold: 1_000_000 });
    for (const i of [1, 2, 300, 699]) await writer.set(mixedId(i), { ...(writer.get(mixedId(i)) as Doc), v: "grown" });
    await writer.delete(mixedId(3));
    await writer.close();
    const events: IndexCacheEvent[] = [];
    const reopened = await openInspector(copy, { indexCache: cache, onIndexCache: (e) => events.push(e) });
    expect(events.find((e) => e.kind === "hit" || e.kind === "miss")).toEqual({ kind: "hit", grown: true });
    const fresh = await openInspector(copy);
    const answers = async (insp: InspectorApi) => ({ now: await insp.records(ALL), grownOnes: await insp.records({ filter: { v: "grown" }, ...ALL }), lost: await insp.lostWrites(ALL), history: await insp.recordHistory({ id: mixedId(300) }) });
    const expected = await answers(fresh);
    expect(expected.grownOnes.rows.map((r) => r.id)).toEqual([1, 2, 300, 699].map(mixedId));
    expect(await answers(reopened)).toEqual(expected);
    expect((await reopened.records(ALL)).rows.map((r) => [r.id, r.data])).toEqual(await publishedState(copy));
    expect(grown.edited.length).toBeGreaterThan(0);
    await fresh.close();
    await reopened.close();
  });
});
