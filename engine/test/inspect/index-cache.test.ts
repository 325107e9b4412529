// The index cache's checks, one kind of mismatch at a time: each one makes the
// open build again (never use what does not match), and the answers are then a
// fresh build's. Also: an unchanged store loads the cache, a grown WAL loads
// it and reads only what is new, the store folder is never written, another
// version's cache is ignored, and the folder stays under its size cap
// (least recently used first).
import { copyFile, readFile, readdir, realpath, rename, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Store as Published } from "@backloghq/opslog";
import { describe, expect, it } from "vitest";
import { hashTree, tempDir } from "../helpers/tmp.js";
import { nextMs, task } from "../scenarios/published.js";
import { openInspector } from "../../src/inspect/index.js";
import { indexCacheWrites } from "../../src/inspect/index-cache.js";
import type { IndexCacheEvent } from "../../src/inspect/index-cache.js";
import { cacheFileOf, clearIndexCache, evict, indexCacheFromEnv, writeCacheFile } from "../../src/inspect/index-cache-files.js";
import type { IndexCacheOptions } from "../../src/inspect/index-cache-files.js";

/** A single-writer store with a snapshot (one compaction) and a WAL after it. */
async function makeStore(): Promise<string> {
  const dir = await tempDir("opslog-cache-unit-");
  const store = new Published();
  await store.open(dir, { checkpointOnClose: false });
  for (let i = 0; i < 5; i++) await store.set(`t${i}`, task(i, "todo"));
  await nextMs();
  await store.compact();
  await nextMs();
  for (let i = 0; i < 5; i++) await store.set(`t${i}`, task(i, "done"));
  await store.close();
  return dir;
}

async function appendOps(dir: string, n: number): Promise<void> {
  const store = new Published();
  await store.open(dir, { checkpointOnClose: false });
  for (let i = 0; i < n; i++) await store.set(`new${i}`, task(100 + i, "todo"));
  await store.close();
}

/** Open with the cache; what the open did with it, and the answers to compare. */
async function openCached(dir: string, cache: IndexCacheOptions): Promise<{ event: IndexCacheEvent | undefined; answers: unknown }> {
  const events: IndexCacheEvent[] = [];
  const insp = await openInspector(dir, { indexCache: cache, onIndexCache: (e) => events.push(e) });
  const answers = await answersOf(insp);
  await insp.close();
  await indexCacheWrites();
  return { event: events.find((e) => e.kind === "hit" || e.kind === "miss"), answers };
}

async function answersOf(insp: Awaited<ReturnType<typeof openInspector>>): Promise<unknown> {
  const info = await insp.timelineInfo();
  return { info, records: await insp.records({ offset: 0, limit: 100 }), past: await insp.records({ at: 3, offset: 0, limit: 100 }), ops: await insp.ops({ offset: 0, limit: 100 }), lanes: await insp.lanes() };
}

async function freshAnswers(dir: string): Promise<unknown> {
  const insp = await openInspector(dir);
  const answers = await answersOf(insp);
  await insp.close();
  return answers;
}

async function onlyWal(dir: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { activeOps: string };
  return join(dir, manifest.activeOps);
}

async function onlySnapshot(dir: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { currentSnapshot: string };
  return join(dir, manifest.currentSnapshot);
}

/** A store opened once with a fresh cache folder: the cache is written. */
async function cachedStore(): Promise<{ dir: string; cache: IndexCacheOptions }> {
  const dir = await makeStore();
  await stillTimes(dir);
  const cache = { dir: await tempDir("opslog-cache-dir-"), maxBytes: 1 << 30 };
  const first = await openCached(dir, cache);
  expect(first.event?.kind).toBe("miss");
  expect(await readdir(cache.dir)).toHaveLength(1);
  return { dir, cache };
}

/** A cache file with its header changed: magic line, header length (u32 LE), header JSON, padding, payload. */
async function rewriteHeader(path: string, change: (header: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  const bytes = await readFile(path);
  const magic = bytes.indexOf(0x0a) + 1;
  const length = bytes.readUInt32LE(magic);
  const header = change(JSON.parse(bytes.toString("utf-8", magic + 4, magic + 4 + length)) as Record<string, unknown>);
  const json = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32LE(json.length);
  const align8 = (n: number) => (n + 7) & ~7; // the payload starts 8-byte aligned
  const start = magic + 4 + json.length;
  await writeFile(path, Buffer.concat([bytes.subarray(0, magic), prefix, json, Buffer.alloc(align8(start) - start), bytes.subarray(align8(magic + 4 + length))]));
}

/** A whole second in the past: times set to it read back exactly (a double's seconds do not always). */
const STILL_AT = Math.floor(Date.now() / 1000) - 60;

/** Every file of the store set to STILL_AT, before the cache is written: keepTimes can then put a file's time back exactly. */
async function stillTimes(dir: string): Promise<void> {
  for (const sub of ["", "ops", "snapshots"]) {
    for (const entry of await readdir(join(dir, sub), { withFileTypes: true })) if (entry.isFile()) await utimes(join(dir, sub, entry.name), STILL_AT, STILL_AT);
  }
}

/** A change that stat cannot see: size kept (unless said), and the time put back as it was (STILL_AT). */
async function keepTimes(path: string, change: () => Promise<void>, sameSize = true): Promise<void> {
  const before = await stat(path);
  expect(before.mtimeMs).toBe(STILL_AT * 1000);
  await change();
  await utimes(path, STILL_AT, STILL_AT);
  expect((await stat(path)).mtimeMs).toBe(before.mtimeMs);
  if (sameSize) expect((await stat(path)).size).toBe(before.size);
}

async function expectRebuilt(dir: string, cache: IndexCacheOptions, reason: RegExp): Promise<void> {
  const reopened = await openCached(dir, cache);
  expect(reopened.event?.kind).toBe("miss");
  expect(reopened.event?.kind === "miss" && reopened.event.reason).toMatch(reason);
  expect(reopened.answers).toEqual(await freshAnswers(dir));
}

describe("index cache: what still holds is reused", () => {
  it("an unchanged store loads the cache, answers as a fresh build, and its folder is not written", async () => {
    const { dir, cache } = await cachedStore();
    const before = await hashTree(dir);
    const reopened = await openCached(dir, cache);
    expect(reopened.event).toEqual({ kind: "hit", grown: false });
    expect(reopened.answers).toEqual(await freshAnswers(dir));
    expect(await hashTree(dir)).toEqual(before);
  });

  it("a WAL that only grew loads the cache and reads the new ops", async () => {
    const { dir, cache } = await cachedStore();
    await appendOps(dir, 3);
    const reopened = await openCached(dir, cache);
    expect(reopened.event).toEqual({ kind: "hit", grown: true });
    expect(reopened.answers).toEqual(await freshAnswers(dir));
    expect((reopened.answers as { info: { total: number } }).info.total).toBe(13);
    // The grown index was kept: the next open finds it unchanged.
    expect((await openCached(dir, cache)).event).toEqual({ kind: "hit", grown: false });
  });

  it("a compaction since the cache was written builds again", async () => {
    const { dir, cache } = await cachedStore();
    const store = new Published();
    await store.open(dir, { checkpointOnClose: false });
    await nextMs();
    await store.compact();
    await store.close();
    await expectRebuilt(dir, cache, /manifest changed/);
  });

  it("an undo (the WAL cut short, then appended to) builds again", async () => {
    const { dir, cache } = await cachedStore();
    const store = new Published();
    await store.open(dir, { checkpointOnClose: false });
    await store.undo();
    await store.set("z", task(9, "todo"));
    await store.close();
    await expectRebuilt(dir, cache, /changed/);
  });
});

describe("index cache: each mismatch builds again", () => {
  it("the manifest's bytes", async () => {
    const { dir, cache } = await cachedStore();
    const path = join(dir, "manifest.json");
    await keepTimes(path, async () => writeFile(path, JSON.stringify(JSON.parse(await readFile(path, "utf-8")))), false); // the same manifest, written without spaces
    await expectRebuilt(dir, cache, /manifest changed/);
  });

  it("a WAL touched without change (its mtime)", async () => {
    const { dir, cache } = await cachedStore();
    const wal = await onlyWal(dir);
    await utimes(wal, new Date(), new Date(Date.now() + 5000));
    await expectRebuilt(dir, cache, /ops\/.*changed/);
  });

  it("a WAL byte rewritten in place, size and mtime kept (its hash)", async () => {
    const { dir, cache } = await cachedStore();
    const wal = await onlyWal(dir);
    await keepTimes(wal, async () => writeFile(wal, (await readFile(wal, "utf-8")).replace('"done"', '"dune"')));
    await expectRebuilt(dir, cache, /ops\/.*changed/);
  });

  it("a WAL replaced by a copy of itself (its inode)", async () => {
    const { dir, cache } = await cachedStore();
    const wal = await onlyWal(dir);
    await keepTimes(wal, async () => {
      await copyFile(wal, `${wal}.copy`);
      await rename(`${wal}.copy`, wal);
    });
    await expectRebuilt(dir, cache, /ops\/.*changed/);
  });

  it("a WAL cut shorter", async () => {
    const { dir, cache } = await cachedStore();
    const wal = await onlyWal(dir);
    const text = await readFile(wal, "utf-8");
    await writeFile(wal, text.slice(0, text.lastIndexOf("\n", text.length - 2) + 1));
    await expectRebuilt(dir, cache, /ops\/.*changed/);
  });

  it("a snapshot replaced, same size and mtime (its inode and hash)", async () => {
    const { dir, cache } = await cachedStore();
    const snap = await onlySnapshot(dir);
    await keepTimes(snap, async () => {
      await writeFile(`${snap}.new`, (await readFile(snap, "utf-8")).replace('"todo"', '"tudo"'));
      await rename(`${snap}.new`, snap);
    });
    await expectRebuilt(dir, cache, /snapshots\/.*changed/);
  });

  it("a snapshot touched without change", async () => {
    const { dir, cache } = await cachedStore();
    const snap = await onlySnapshot(dir);
    await utimes(snap, new Date(), new Date(Date.now() + 5000));
    await expectRebuilt(dir, cache, /snapshots\/.*changed/);
  });

  it("a cache written by another version of the explorer", async () => {
    const { dir, cache } = await cachedStore();
    const [name] = await readdir(cache.dir);
    await rewriteHeader(join(cache.dir, name), (header) => ({ ...header, explorer: "0.0.0-other" }));
    await expectRebuilt(dir, cache, /this version/);
  });

  it("a cache file cut short", async () => {
    const { dir, cache } = await cachedStore();
    const [name] = await readdir(cache.dir);
    const bytes = await readFile(join(cache.dir, name));
    await writeFile(join(cache.dir, name), bytes.subarray(0, bytes.length >> 1));
    await expectRebuilt(dir, cache, /does not read back|this version/);
  });

  it("a cache that names another store (a file copied under this store's name)", async () => {
    const { cache } = await cachedStore();
    const other = await makeStore();
    const [name] = await readdir(cache.dir);
    await copyFile(join(cache.dir, name), cacheFileOf(cache, await realpath(other)));
    await expectRebuilt(other, cache, /another store/);
  });
});

describe("index cache folder: bounded", () => {
  async function fill(cache: IndexCacheOptions, names: string[], bytes: number): Promise<void> {
    for (const [i, name] of names.entries()) {
      await writeFile(join(cache.dir, name), Buffer.alloc(bytes));
      const t = new Date(Date.UTC(2026, 0, 1, 0, i));
      await utimes(join(cache.dir, name), t, t);
    }
  }

  it("a write over the cap evicts the least recently used files first, never the one written", async () => {
    const cache = { dir: await tempDir("opslog-cache-lru-"), maxBytes: 2500 };
    await fill(cache, ["a.idx", "b.idx", "c.idx"], 1000); // a is the oldest, c the newest
    await writeCacheFile(cache, join(cache.dir, "d.idx"), { format: 0 }, [Buffer.alloc(900)]); // about 940 bytes with its header: a and b must go
    expect((await readdir(cache.dir)).sort()).toEqual(["c.idx", "d.idx"]);
  });

  it("a file used again (touched by a hit) outlives an older one", async () => {
    const cache = { dir: await tempDir("opslog-cache-lru-"), maxBytes: 2500 };
    await fill(cache, ["a.idx", "b.idx", "c.idx"], 1000);
    await utimes(join(cache.dir, "a.idx"), new Date(), new Date()); // as touchCacheFile does on a hit
    await evict(cache);
    expect((await readdir(cache.dir)).sort()).toEqual(["a.idx", "c.idx"]);
  });

  it("a file bigger than the cap alone is not written", async () => {
    const cache = { dir: await tempDir("opslog-cache-lru-"), maxBytes: 100 };
    expect(await writeCacheFile(cache, join(cache.dir, "big.idx"), { format: 0 }, [Buffer.alloc(200)])).toBe(false);
    expect(await readdir(cache.dir)).toEqual([]);
  });

  it("clearing removes the cache's files and nothing else", async () => {
    const cache = { dir: await tempDir("opslog-cache-lru-"), maxBytes: 1 << 20 };
    await fill(cache, ["a.idx", "b.idx", "x.idx.1.tmp", "notes.txt"], 10);
    expect(await clearIndexCache(cache)).toEqual({ files: 3, bytes: 30 });
    expect(await readdir(cache.dir)).toEqual(["notes.txt"]);
  });

  it("the environment sets the folder, the cap, or no cache at all", () => {
    expect(indexCacheFromEnv({ OPSLOG_EXPLORER_CACHE: "/c", OPSLOG_EXPLORER_INDEX_CACHE_MB: "10" })).toEqual({ dir: "/c/index", maxBytes: 10 * 1024 * 1024 });
    expect(indexCacheFromEnv({ XDG_CACHE_HOME: "/x" })).toEqual({ dir: "/x/opslog-explorer/index", maxBytes: 2 * 1024 ** 3 });
    expect(indexCacheFromEnv({ OPSLOG_EXPLORER_INDEX_CACHE: "off" })).toBeNull();
  });
});
