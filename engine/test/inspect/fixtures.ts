// What the inspector tests share besides their stores: a directory for a
// whole test file, stores written by hand for cases no published opslog
// writes, and every answer of the inspector as plain data. Stores written by
// the published opslog are the named scenarios of ../scenarios/.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { tempDir } from "../helpers/tmp.js";
import type { InspectorApi } from "../../src/inspect/types.js";

// The published-opslog helpers many inspector tests import from here; they live with the scenarios.
export { nextMs, openPublishedAgent, publishedState, StateLog, task } from "../scenarios/index.js";
export type { State, Task } from "../scenarios/index.js";

const suiteDirs: string[] = [];

/** A fresh directory that lives for the whole test file (helpers/tmp's tempDir lives for one test). */
export async function suiteDir(prefix = "opslog-inspect-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  suiteDirs.push(dir);
  return dir;
}

afterAll(async () => {
  for (const dir of suiteDirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A store written by hand: an empty snapshot and these WALs (the first is activeOps; agents: activeAgentOps). */
export async function handWritten(wals: Record<string, object[]>, agents?: Record<string, string>): Promise<string> {
  const dir = await tempDir();
  for (const sub of ["snapshots", "ops", "archive"]) await mkdir(join(dir, sub));
  const snapshot = "snapshots/snap-1700000000000.jsonl";
  await writeFile(join(dir, snapshot), JSON.stringify({ version: 1, timestamp: "2023-11-14T22:13:20.000Z" }) + "\n");
  for (const [path, lines] of Object.entries(wals)) await writeFile(join(dir, path), lines.map((l) => JSON.stringify(l) + "\n").join(""));
  const paths = Object.keys(wals);
  const manifest = {
    version: 1,
    currentSnapshot: snapshot,
    activeOps: paths[0],
    ...(agents ? { activeAgentOps: agents } : {}),
    archiveSegments: [],
    stats: { activeRecords: 0, archivedRecords: 0, opsCount: 0, created: "2023-11-14T22:13:20.000Z", lastCheckpoint: "2023-11-14T22:13:20.000Z" },
  };
  await writeFile(join(dir, "manifest.json"), JSON.stringify(manifest));
  return dir;
}

const ALL = { offset: 0, limit: 1_000_000 };

/** Everything the inspector answers about a store, as plain data. */
export async function answers(insp: InspectorApi): Promise<Record<string, unknown>> {
  const { total } = await insp.timelineInfo();
  const positions = [...new Set([0, Math.floor(total / 3), Math.floor(total / 2), total - 1, total].filter((p) => p >= 0))];
  const records = await insp.records(ALL);
  const ids = records.rows.map((r) => r.id);
  const lanes = await insp.lanes();
  return {
    summary: await insp.summary(),
    timeline: await insp.timelineInfo(),
    ops: await insp.ops(ALL),
    lanes,
    laneOps: await Promise.all(lanes.map((l) => insp.laneOps(l.path, ALL))),
    states: await Promise.all(positions.map((at) => insp.records({ ...ALL, at }))),
    filtered: await insp.records({ ...ALL, filter: { status: { $ne: "todo" } } }),
    columns: await insp.columns(),
    diffs: await Promise.all([insp.diff(0, total, ALL), insp.diff(Math.floor(total / 2), total, ALL)]),
    conflicts: await insp.conflicts(ALL),
    lost: await insp.lostWrites(ALL),
    histories: await Promise.all(ids.slice(0, 25).map((id) => insp.recordHistory(id))),
    events: await insp.timelineEvents(),
  };
}
