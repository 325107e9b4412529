// Sizes a ten-million-op store reaches, built directly at the edge: more
// values than a call's arguments can take (a spread, push(...list), throws
// RangeError past ~120k items on V8's default stack). Expectations come from
// the files written here, never from the inspector.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import { blobRefs } from "../../src/inspect/blobs.js";
import { suiteDir } from "./fixtures.js";

/** More than a spread can pass on V8's default stack */
const MANY = 200_000;
const T = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Two links: an empty snapshot and an empty WAL, then a compaction's snapshot
 * holding MANY records that no op explains (as when the older WAL's lines
 * were removed): every one of them differs at the jump.
 */
async function bigUnexplainedSnapshot(): Promise<string> {
  const dir = await suiteDir();
  for (const sub of ["snapshots", "ops", "archive"]) await mkdir(join(dir, sub));
  await writeFile(join(dir, `snapshots/snap-${T}.jsonl`), JSON.stringify({ version: 1, timestamp: iso(T) }) + "\n");
  await writeFile(join(dir, `ops/ops-${T + 1}.jsonl`), "");
  const lines = [JSON.stringify({ version: 1, timestamp: iso(T + 1000) })];
  for (let i = 0; i < MANY; i++) lines.push(JSON.stringify({ id: `r${i}`, data: { n: i } }));
  await writeFile(join(dir, `snapshots/snap-${T + 1000}.jsonl`), lines.join("\n") + "\n");
  await writeFile(join(dir, `ops/ops-${T + 1001}.jsonl`), "");
  const stats = { activeRecords: MANY, archivedRecords: 0, opsCount: 0, created: iso(T), lastCheckpoint: iso(T + 1000) };
  await writeFile(join(dir, "manifest.json"), JSON.stringify({ version: 1, currentSnapshot: `snapshots/snap-${T + 1000}.jsonl`, activeOps: `ops/ops-${T + 1001}.jsonl`, archiveSegments: [], stats }));
  return dir;
}

describe("more values than a spread can pass", () => {
  it(`opens a store whose next snapshot differs from the replay in ${MANY.toLocaleString("en")} records, and says the link does not verify`, async () => {
    const insp = await openInspector(await bigUnexplainedSnapshot());
    const info = await insp.timelineInfo();
    expect(info.links.map((l) => l.verified)).toEqual(["mismatch", "live"]);
    expect((await insp.records({ offset: 0, limit: 1 })).total).toBe(MANY);
    expect(await insp.record({ id: `r${MANY - 1}` })).toEqual({ n: MANY - 1 });
    await insp.close();
  }, 60_000);

  it(`looks for blob links in a record holding an array of ${MANY.toLocaleString("en")} values`, async () => {
    const dir = await suiteDir();
    expect(await blobRefs(dir, { values: Array.from({ length: MANY }, (_, i) => i) })).toEqual([]);
  });
});
