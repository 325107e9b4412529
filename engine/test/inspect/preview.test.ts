// The current snapshot's first records, read from the head of its file while
// the index builds (preview.ts), for each snapshot form FORMAT.md lists. The
// store is written by the published opslog (a JSONL snapshot); the JSON forms
// are that same state rewritten as opslog 0.1–0.6 (one document) and this
// engine's writer (one record a line) lay it out, which the published opslog
// reads back identically (checked here). Expectations come from the state the
// test wrote, never from the inspector.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Store as Published } from "@backloghq/opslog";
import { describe, expect, it } from "vitest";
import { previewSnapshot } from "../../src/inspect/index.js";
import { writeSnapshot } from "../../src/snapshot.js";
import { suiteDir } from "./fixtures.js";

type Doc = Record<string, unknown>;

/** A store of `count` records, compacted (so its current snapshot holds them all), then one more set in the WAL. */
async function compactedStore(count: number): Promise<{ dir: string; records: [string, Doc][] }> {
  const dir = await suiteDir();
  const store = new Published<Doc>();
  await store.open(dir, { checkpointOnClose: false, checkpointThreshold: 1_000_000 });
  const records: [string, Doc][] = [];
  for (let i = 0; i < count; i++) records.push([`rec-${String(i).padStart(5, "0")}`, { title: `Record ${i} of the preview test, long enough to fill a few bytes`, n: i }]);
  for (const [id, value] of records) await store.set(id, value);
  await store.compact();
  await store.set("after", { title: "written after the snapshot" });
  await store.close();
  return { dir, records };
}

/** Point the manifest at a snapshot written in another form, and check the published opslog reads the same state from it. */
async function useSnapshot(dir: string, path: string, records: [string, Doc][]): Promise<void> {
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as Doc;
  await writeFile(join(dir, "manifest.json"), JSON.stringify({ ...manifest, currentSnapshot: path }));
  const check = new Published<Doc>();
  await check.open(dir, { readOnly: true });
  expect(check.get(records[0][0])).toEqual(records[0][1]);
  expect(check.count()).toBe(records.length + 1);
  await check.close();
}

describe("previewSnapshot", () => {
  it("reads a JSONL snapshot's first records (the first 200 of 2,000) from its head, with its time, and names the WAL not applied", async () => {
    const { dir, records } = await compactedStore(2_000);
    const preview = await previewSnapshot(dir);
    expect(preview.format).toBe("jsonl");
    expect(preview.rows).toEqual(records.slice(0, 200).map(([id, value]) => ({ id, value })));
    expect(preview.complete).toBe(false);
    expect(preview.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(preview.walFiles).toBe(1);
    expect(preview.walBytes).toBeGreaterThan(0);
    expect(preview.unavailable).toBeNull();
  });

  it("reads a JSON snapshot written one record a line from its head", async () => {
    const { dir, records } = await compactedStore(2_000);
    await useSnapshot(dir, await writeSnapshot(dir, new Map(records), 1), records);
    const preview = await previewSnapshot(dir, 50);
    expect(preview.format).toBe("json");
    expect(preview.rows).toEqual(records.slice(0, 50).map(([id, value]) => ({ id, value })));
    expect(preview.unavailable).toBeNull();
  });

  it("says records appear when indexing completes for a one-document JSON snapshot larger than its head, and reads a small one whole", async () => {
    const { dir, records } = await compactedStore(2_000);
    const document = (rows: [string, Doc][]) => JSON.stringify({ version: 1, timestamp: "2026-01-05T08:00:00.000Z", records: Object.fromEntries(rows) });
    await writeFile(join(dir, "snapshots", "snap-1.json"), document(records));
    await useSnapshot(dir, "snapshots/snap-1.json", records);
    const big = await previewSnapshot(dir);
    expect(big.rows).toEqual([]);
    expect(big.unavailable).toContain("records appear when indexing completes");

    const few = records.slice(0, 10);
    await writeFile(join(dir, "snapshots", "snap-2.json"), document(few));
    await useSnapshot(dir, "snapshots/snap-2.json", few);
    const small = await previewSnapshot(dir);
    expect(small).toMatchObject({ format: "json", complete: true, timestamp: "2026-01-05T08:00:00.000Z", unavailable: null });
    expect(small.rows).toEqual(few.map(([id, value]) => ({ id, value })));
  });
});
