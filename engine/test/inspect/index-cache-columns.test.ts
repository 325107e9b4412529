// A reopen from the index cache leaves the kept columns (a filter's and a
// diff's values, 40% of a large index's bytes) in the cache file until a
// query needs them (index-cache-columns.ts), also when the live tail read new
// ops. These tests hold it to that, and to its answers: read late, after
// appends, from a cache file replaced or cut short since the open, or not at
// all (closed first), a cached open answers as a fresh build of the same store.
import { readdir, rename, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Store as Published } from "@backloghq/opslog";
import { afterEach, describe, expect, it, vi } from "vitest";
import { tempDir } from "../helpers/tmp.js";
import { nextMs, task } from "../scenarios/published.js";
import { openInspector } from "../../src/inspect/index.js";
import type { InspectorApi } from "../../src/inspect/index.js";
import { indexCacheWrites } from "../../src/inspect/index-cache.js";
import type { IndexCacheEvent } from "../../src/inspect/index-cache.js";
import { deferredColumns } from "../../src/inspect/index-cache-columns.js";
import type { IndexCacheOptions } from "../../src/inspect/index-cache-files.js";

const ALL = { offset: 0, limit: 1000 };

/** Forty tasks, compacted once, then edited: values in a snapshot and in the WAL. */
async function makeStore(): Promise<string> {
  const dir = await tempDir("opslog-cache-columns-");
  const store = new Published();
  await store.open(dir, { checkpointOnClose: false });
  for (let i = 0; i < 40; i++) await store.set(`t${i}`, task(i, i % 3 === 0 ? "done" : "todo"));
  await nextMs();
  await store.compact();
  await nextMs();
  for (let i = 0; i < 40; i += 2) await store.set(`t${i}`, task(i, i % 4 === 0 ? "done" : "doing"));
  await store.delete("t5");
  await store.close();
  return dir;
}

/** What uses the kept columns: filters (at now and in the past) and the diffs of a record's history. */
async function columnAnswers(insp: InspectorApi): Promise<unknown> {
  const { total } = await insp.timelineInfo();
  return {
    done: await insp.records({ filter: { status: "done" }, ...ALL }),
    doingPast: await insp.records({ at: total - 3, filter: { status: { $in: ["doing", "todo"] } }, ...ALL }),
    history: await insp.recordHistory({ id: "t4" }),
  };
}

async function fresh(dir: string): Promise<unknown> {
  const insp = await openInspector(dir, { parallel: "never" });
  try {
    return await columnAnswers(insp);
  } finally {
    await insp.close();
  }
}

/** The store opened once with a new cache folder (the cache written), then again: the reopen, and what it did with the cache. */
async function reopened(dir: string): Promise<{ insp: InspectorApi; cache: IndexCacheOptions; file: string; event: IndexCacheEvent | undefined }> {
  const cache = { dir: await tempDir("opslog-cache-columns-dir-"), maxBytes: 1 << 30 };
  const first = await openInspector(dir, { parallel: "never", indexCache: cache });
  await first.close();
  await indexCacheWrites();
  const [name] = await readdir(cache.dir);
  const events: IndexCacheEvent[] = [];
  const insp = await openInspector(dir, { parallel: "never", indexCache: cache, onIndexCache: (e) => events.push(e) });
  return { insp, cache, file: join(cache.dir, name), event: events.find((e) => e.kind === "hit" || e.kind === "miss") };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("index cache: the kept columns, read when first asked for", () => {
  it("a reopen leaves them in the cache file through the first page of records; the first filter reads them, and answers as a fresh build", async () => {
    const dir = await makeStore();
    const { insp, event } = await reopened(dir);
    try {
      expect(event).toEqual({ kind: "hit", grown: false });
      expect(deferredColumns()).toBe(1);
      await insp.records(ALL);
      await insp.ops(ALL);
      expect(deferredColumns()).toBe(1);
      expect(await columnAnswers(insp)).toEqual(await fresh(dir));
      expect(deferredColumns()).toBe(0);
    } finally {
      await insp.close();
    }
  });

  it("a cache file replaced after the reopen: the columns come from the file the open checked", async () => {
    const dir = await makeStore();
    const { insp, file } = await reopened(dir);
    const warn = vi.spyOn(console, "warn");
    try {
      await writeFile(`${file}.other`, "not an index cache, and not the one the open read");
      await rename(`${file}.other`, file); // as a later write puts its file in place
      expect(await columnAnswers(insp)).toEqual(await fresh(dir));
      expect(warn).not.toHaveBeenCalled();
    } finally {
      await insp.close();
    }
  });

  it("a cache file cut short after the reopen: the columns are given up, values are read from the WALs, and answers are a fresh build's", async () => {
    const dir = await makeStore();
    const { insp, file } = await reopened(dir);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      await truncate(file, 64);
      expect(await columnAnswers(insp)).toEqual(await fresh(dir));
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(/columns could not be read.*read from the WALs/);
      expect(deferredColumns()).toBe(0);
    } finally {
      await insp.close();
    }
  });

  it("a reopen after appends keeps them in the file too: the new ops join them once they are in, and filters answer as a fresh build", async () => {
    const dir = await makeStore();
    const cache = { dir: await tempDir("opslog-cache-columns-dir-"), maxBytes: 1 << 30 };
    const first = await openInspector(dir, { parallel: "never", indexCache: cache });
    await first.close();
    await indexCacheWrites();
    const store = new Published();
    await store.open(dir, { checkpointOnClose: false });
    for (let i = 0; i < 10; i++) await store.set(`n${i}`, task(200 + i, i % 2 === 0 ? "done" : "doing"));
    await store.set("t3", task(3, "doing"));
    await store.close();
    const events: IndexCacheEvent[] = [];
    const insp = await openInspector(dir, { parallel: "never", indexCache: cache, onIndexCache: (e) => events.push(e) });
    try {
      expect(events.find((e) => e.kind === "hit" || e.kind === "miss")).toEqual({ kind: "hit", grown: true });
      expect(deferredColumns()).toBe(1);
      expect(await columnAnswers(insp)).toEqual(await fresh(dir));
      expect(deferredColumns()).toBe(0);
    } finally {
      await insp.close();
    }
  });

  it("closing the inspector before they are read lets go of the cache file", async () => {
    const dir = await makeStore();
    const { insp } = await reopened(dir);
    expect(deferredColumns()).toBe(1);
    await insp.close();
    expect(deferredColumns()).toBe(0);
  });
});
