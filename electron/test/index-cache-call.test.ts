// The index cache from the app's side: `--no-index-cache` on the command
// line; a store opened through the handlers keeps its index in the cache
// folder (not in the store), and the next open loads it; "Clear index cache"
// (cache.clearIndex) empties the folder, and says so when the cache is off.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppData } from "../appdata.js";
import { parseCommandLine } from "../args.js";
import { Handlers } from "../handlers.js";
import type { IndexCacheOptions } from "../../engine/src/inspect/index.js";
import { sixTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";
import { hashTree } from "../../engine/test/helpers/tmp.js";
import { removeDir, tempDir, valueOf } from "./helpers.js";

let work: string;
const made: Handlers[] = [];
beforeEach(async () => {
  work = await tempDir("index-cache-call");
});
afterEach(async () => {
  for (const h of made.splice(0)) await h.store.dispose();
  await removeDir(work);
});

function handlers(indexCache: IndexCacheOptions | null): Handlers {
  const h = new Handlers({ appData: new AppData(`${work}/home`), pollMs: 0, indexCache });
  made.push(h);
  return h;
}

/** The cache files, once the background write has landed (it follows the open). */
async function cacheFiles(dir: string, atLeast: number): Promise<string[]> {
  for (;;) {
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith(".idx"));
    if (names.length >= atLeast) return names;
    await new Promise((r) => setImmediate(r));
  }
}

describe("index cache in the app", () => {
  it("--no-index-cache is parsed; without it the cache is on", () => {
    expect(parseCommandLine(["store", "--no-index-cache"]).noIndexCache).toBe(true);
    expect(parseCommandLine(["store"]).noIndexCache).toBe(false);
  });

  it("an open keeps the index in the cache folder, never in the store; Clear index cache removes it", async () => {
    const s = await sixTasksCompactedThenEdited.build(`${work}/store`);
    const before = await hashTree(s.dir);
    const cache = { dir: join(work, "cache"), maxBytes: 1 << 30 };
    const h = handlers(cache);
    valueOf(await h.dispatch("store.open", { dir: s.dir }));
    expect(await cacheFiles(cache.dir, 1)).toHaveLength(1);
    expect(await hashTree(s.dir)).toEqual(before);
    const cleared = valueOf<{ message: string; files: number }>(await h.dispatch("cache.clearIndex", {}));
    expect(cleared.files).toBe(1);
    expect(cleared.message).toMatch(/Cleared the index cache: 1 stored index/);
    expect(await readdir(cache.dir)).toEqual([]);
  }, 60_000);

  it("Clear index cache with the cache off says so and removes nothing", async () => {
    const h = handlers(null);
    const cleared = valueOf<{ message: string; files: number }>(await h.dispatch("cache.clearIndex", {}));
    expect(cleared).toMatchObject({ files: 0 });
    expect(cleared.message).toMatch(/index cache is off/);
  });
});
