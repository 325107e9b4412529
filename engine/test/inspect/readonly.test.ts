import { appendFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDemoStore } from "../../src/demo.js";
import { openInspector } from "../../src/inspect/index.js";
import type { InspectorApi } from "../../src/inspect/index.js";
import { hashTree, tempDir } from "../helpers/tmp.js";
import { singleWriterCompactedThenArchived, threeAgentsConflictThenLostWrites } from "../scenarios/index.js";

/** Every call of the API, with real arguments, refresh included. */
async function inspectEverything(insp: InspectorApi): Promise<void> {
  const page = { offset: 0, limit: 50 };
  const summary = await insp.summary();
  const info = await insp.timelineInfo();
  await insp.ops({ ...page, filter: { op: "set" } });
  await insp.op({ pos: 0 });
  for (const lane of await insp.lanes()) await insp.laneOps({ path: lane.path, ...page });
  await insp.records({ ...page, at: Math.floor(info.total / 2), filter: { status: { $exists: true } }, sort: { field: "status", dir: -1 } });
  const first = (await insp.records(page)).rows[0];
  if (first) {
    await insp.record({ id: first.id, at: 0 });
    await insp.recordHistory({ id: first.id });
  }
  await insp.columns();
  await insp.diff({ a: 0, b: info.total, ...page });
  await insp.conflicts(page);
  await insp.lostWrites(page);
  for (const segment of await insp.archiveSegments()) await insp.archivePage({ path: segment.path, ...page, filter: { status: "done" } });
  await insp.posAtTime({ ts: info.tsRange?.[1] ?? new Date().toISOString() });
  await insp.refresh();
  expect(summary.dir).toBe(insp.dir);
  await insp.close();
}

describe("the inspector is strictly read-only", () => {
  it("leaves every file of a single-writer store unchanged, even with a lock held by this process", async () => {
    const dir = await tempDir();
    await singleWriterCompactedThenArchived.build(dir);
    await writeFile(join(dir, ".lock"), String(process.pid));
    const before = await hashTree(dir);
    await inspectEverything(await openInspector(dir));
    expect(await hashTree(dir)).toEqual(before);
  });

  it("leaves every file of a multi-writer store with lost writes unchanged", async () => {
    const dir = await tempDir();
    await threeAgentsConflictThenLostWrites.build(dir);
    const before = await hashTree(dir);
    await inspectEverything(await openInspector(dir));
    expect(await hashTree(dir)).toEqual(before);
  });

  it("leaves every file of the demo store unchanged, torn last line and leftover tmp included", async () => {
    const dir = await tempDir();
    await buildDemoStore(dir);
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { activeOps: string };
    await appendFile(join(dir, manifest.activeOps), '{"ts":"2026-03-03T00:00:00.000Z","op":"set","id":"torn');
    await writeFile(join(dir, "manifest.json.tmp"), "{}");
    const before = await hashTree(dir);
    await inspectEverything(await openInspector(dir));
    expect(await hashTree(dir)).toEqual(before);
    // The same through the parallel scan's worker thread.
    await inspectEverything(await openInspector(dir, { parallel: "always" }));
    expect(await hashTree(dir)).toEqual(before);
  });
});
