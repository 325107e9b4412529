// What the inspector tests share besides their stores: a directory for a
// whole test file, stores written by hand for cases no published opslog
// writes, and every answer of the inspector as plain data. Stores written by
// the published opslog are the named scenarios of ../scenarios/.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { tempDir } from "../helpers/tmp.js";
import { queryNames } from "../../src/inspect/index.js";
import type { AgentLane, InspectorApi, QueryName } from "../../src/inspect/index.js";
import { Store as Published } from "@backloghq/opslog";

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

/** Records of writeBigStore: every third one is "done" (the count a filter on it must find: ceil(n / 3)). */
export type BigRecord = { n: number; status: "done" | "open" };

/** A single-writer store of n records in one WAL, written by the published opslog in batches (one batch of 200k overflows its stack). */
export async function writeBigStore(dir: string, n: number): Promise<string> {
  const store = new Published<BigRecord>();
  await store.open(dir, { checkpointOnClose: false, checkpointThreshold: 10_000_000 });
  for (let from = 0; from < n; from += 20_000) {
    await store.batch(() => {
      for (let i = from; i < Math.min(n, from + 20_000); i++) store.set(`r${i}`, { n: i, status: i % 3 === 0 ? "done" : "open" });
    });
  }
  await store.close();
  return dir;
}

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

/** What answers() asks about: positions, ids, lanes and instants of the store at hand. */
interface Facts {
  total: number;
  positions: number[];
  ids: string[];
  lanes: AgentLane[];
  stamps: string[];
}

/** How answers() asks each query of the registry: typed over every name, so a new query without its line here does not compile. */
const ASKS: { [Q in QueryName]: (insp: InspectorApi, facts: Facts) => Promise<unknown> } = {
  summary: (insp) => insp.summary(),
  timelineInfo: (insp) => insp.timelineInfo(),
  ops: (insp) => insp.ops(ALL),
  op: (insp, f) => Promise.all(f.positions.filter((pos) => pos < f.total).map((pos) => insp.op({ pos }))),
  timelineEvents: (insp) => insp.timelineEvents(),
  buckets: (insp) => Promise.all([1, 7, 100].map((buckets) => insp.buckets({ buckets }))),
  positionBuckets: (insp) => Promise.all([1, 7, 100].map((buckets) => insp.positionBuckets({ buckets }))),
  posAtTime: (insp, f) => Promise.all(f.stamps.map((ts) => insp.posAtTime({ ts }))),
  diff: (insp, f) => Promise.all([insp.diff({ a: 0, b: f.total, ...ALL }), insp.diff({ a: Math.floor(f.total / 2), b: f.total, ...ALL })]),
  replayStep: (insp, f) => Promise.all(f.positions.map((pos) => insp.replayStep({ pos, end: f.total, opDiffLimit: 50, laterDiffLimit: 200, statePages: [{ offset: 0, limit: 200 }], filter: { status: { $ne: "todo" } } }))),
  records: async (insp, f) => ({
    now: await insp.records(ALL),
    states: await Promise.all(f.positions.map((at) => insp.records({ ...ALL, at }))),
    filtered: await insp.records({ ...ALL, filter: { status: { $ne: "todo" } } }),
  }),
  record: (insp, f) => Promise.all(f.ids.slice(0, 25).flatMap((id) => [insp.record({ id }), insp.record({ id, at: Math.floor(f.total / 2) })])),
  columns: (insp) => insp.columns(),
  schema: (insp, f) => Promise.all(f.positions.map((at) => insp.schema({ at, sample: 0 }))),
  recordHistory: (insp, f) => Promise.all(f.ids.slice(0, 25).map((id) => insp.recordHistory({ id }))),
  lanes: (insp) => insp.lanes(),
  laneOps: (insp, f) => Promise.all(f.lanes.map((l) => insp.laneOps({ path: l.path, ...ALL }))),
  conflicts: (insp) => insp.conflicts(ALL),
  lostWrites: (insp) => insp.lostWrites(ALL),
  archiveSegments: (insp) => insp.archiveSegments(),
  archivePage: async (insp) => Promise.all((await insp.archiveSegments()).map((s) => insp.archivePage({ path: s.path, ...ALL }))),
};

/** Everything the inspector answers about a store, as plain data: every query of the registry (a query missing from the inspector fails here). */
export async function answers(insp: InspectorApi): Promise<Record<string, unknown>> {
  const { total, tsRange } = await insp.timelineInfo();
  const positions = [...new Set([0, Math.floor(total / 3), Math.floor(total / 2), total - 1, total].filter((p) => p >= 0))];
  const ids = (await insp.records(ALL)).rows.map((r) => r.id);
  const middle = total > 0 ? (await insp.ops({ offset: Math.floor(total / 2), limit: 1 })).rows[0].ts : null;
  const facts: Facts = { total, positions, ids, lanes: await insp.lanes(), stamps: [...(tsRange ?? []), ...(middle ? [middle] : [])] };
  const out: Record<string, unknown> = {};
  for (const name of queryNames) out[name] = await ASKS[name](insp, facts);
  return out;
}
