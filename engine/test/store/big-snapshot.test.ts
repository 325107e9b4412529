import { stat } from "node:fs/promises";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Store } from "../../src/index.js";
import { tempDir } from "../helpers/tmp.js";

// V8's longest string is 2^29 - 24 characters (~512 MB): opslog 0.3.0 builds the
// whole snapshot as one string, so a larger state cannot be written or read back.
const V8_MAX_STRING = 2 ** 29 - 24;
const RECORD_BYTES = 1 << 20;
const RECORDS = 540;

describe("Store: a snapshot larger than V8's longest string", () => {
  it("is written by compaction and read back on reopen", async () => {
    const dir = await tempDir("opslog-big-");
    const filler = "x".repeat(RECORD_BYTES); // one string shared by every record: memory stays small until read back
    const store = new Store<{ i: number; filler: string }>();
    await store.open(dir, { checkpointOnClose: false, checkpointThreshold: 1_000_000 });
    for (let i = 0; i < RECORDS; i++) await store.set(`r${i}`, { i, filler });
    await store.compact();
    await store.close();
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8"));
    const size = (await stat(join(dir, manifest.currentSnapshot))).size;
    expect(size).toBeGreaterThan(V8_MAX_STRING);

    const reopened = new Store<{ i: number; filler: string }>();
    await reopened.open(dir, { readOnly: true });
    expect(reopened.count()).toBe(RECORDS);
    for (const i of [0, 271, RECORDS - 1]) {
      const value = reopened.get(`r${i}`)!;
      expect(value.i).toBe(i);
      expect(value.filler.length).toBe(RECORD_BYTES);
    }
    await reopened.close();
  }, 120_000);
});
