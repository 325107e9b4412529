// Stores written by the published opslog, with the states they went through,
// recorded as they were written: the independent expectations for replay.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Store as Published } from "@backloghq/opslog";
import { afterAll } from "vitest";
import { tempDir } from "../helpers/tmp.js";
import { queryNames } from "../../src/inspect/index.js";
import type { AgentLane, Doc, InspectorApi, QueryName } from "../../src/inspect/index.js";

export type Task = { title: string; status: string; n: number; tags: string[]; notes?: string };
export type State = Map<string, Doc>;

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

/** Wait until the clock moves on, so that file names (snap-<ms>) and op timestamps differ. */
export async function nextMs(): Promise<void> {
  const start = Date.now();
  const deadline = start + 1000;
  while (Date.now() === start && Date.now() < deadline) await new Promise((r) => setImmediate(r));
}

const LONG = "a title long enough that opslog writes small updates as deltas";

export function task(i: number, status: string, extra: Partial<Task> = {}): Task {
  return { title: `${LONG} #${i}`, status, n: i, tags: ["infra", "agents"], ...extra };
}

/** The state after each op, in write order: states[p] = state after p ops. */
export class StateLog {
  readonly states: State[] = [new Map()];
  constructor(private store: Published<Task>) {}

  private now(): State {
    return new Map(this.store.entries().map(([id, v]) => [id, v as unknown as Doc]));
  }
  record(): void {
    this.states.push(this.now());
  }
  /** An op vanished (undo): the previous state stands again. */
  drop(): void {
    this.states.pop();
  }
  /** A change without an op (archive): the latest state is replaced. */
  replaceLast(): void {
    this.states[this.states.length - 1] = this.now();
  }
}

/**
 * Single-writer: 3+ compactions (threshold 6), delta updates, deletes, an
 * undo and an archive. Returns the state after every timeline position.
 */
export async function writeSingleWriterStore(dir: string): Promise<State[]> {
  const store = new Published<Task>();
  await store.open(dir, { checkpointThreshold: 6 });
  const log = new StateLog(store);
  const set = async (id: string, value: Task) => {
    await store.set(id, value);
    log.record();
    await nextMs();
  };
  for (let i = 0; i < 8; i++) await set(`t${i}`, task(i, "todo"));
  for (let i = 0; i < 8; i++) await set(`t${i % 5}`, task(i % 5, i % 2 ? "done" : "doing", { notes: `step ${i}` }));
  await store.delete("t6");
  log.record();
  await nextMs();
  await set("t7", task(7, "doing"));
  if (await store.undo()) log.drop();
  await nextMs();
  await store.archive((t) => t.status === "done", "2026-Q1");
  log.replaceLast();
  await nextMs();
  for (let i = 0; i < 4; i++) await set(`t${10 + i}`, task(10 + i, "todo"));
  await set("t10", task(10, "doing"));
  await store.close();
  return log.states;
}

export interface MultiWriterFixture {
  /** The conflicted id: bob overwrote alice's write without having seen it */
  conflictId: string;
  /** Ids of the writes bob made to his retired WAL after alice compacted */
  lostIds: string[];
}

/**
 * Multi-writer: alice, bob and carol; a conflict on "k1"; alice compacts;
 * bob, not refreshed, keeps appending to his retired WAL (lost writes);
 * then carol refreshes and writes into the new generation.
 */
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

/** An agent of the published opslog on dir (no automatic compaction, none on close), a ms after the last. */
export async function openPublishedAgent(dir: string, agentId: string): Promise<Published<Task>> {
  const store = new Published<Task>();
  await store.open(dir, { agentId, checkpointThreshold: 1000, checkpointOnClose: false });
  await nextMs();
  return store;
}

export async function writeMultiWriterStore(dir: string): Promise<MultiWriterFixture> {
  const open = (agentId: string) => openPublishedAgent(dir, agentId);
  const alice = await open("alice");
  const bob = await open("bob");
  const carol = await open("carol");
  const step = async (store: Published<Task>, id: string, value: Task) => {
    await store.set(id, value);
    await nextMs();
  };
  await step(bob, "b0", task(0, "todo"));
  await step(bob, "b1", task(1, "todo"));
  await step(alice, "k1", task(100, "alice's version"));
  await step(alice, "a1", task(101, "todo"));
  await step(bob, "k1", task(200, "bob's version")); // bob has not seen alice's k1
  await step(carol, "c1", task(300, "todo"));
  await alice.refresh();
  await step(alice, "a1", task(101, "doing"));
  await alice.compact();
  await nextMs();
  await step(bob, "b0", task(0, "written after alice compacted"));
  await step(bob, "lost-1", task(400, "never seen by anyone"));
  await carol.refresh();
  await nextMs();
  await step(carol, "c1", task(300, "doing"));
  await step(carol, "c2", task(301, "todo"));
  await alice.refresh();
  await step(alice, "c2", task(301, "reviewed"));
  for (const store of [alice, bob, carol]) await store.close();
  return { conflictId: "k1", lostIds: ["b0", "lost-1"] };
}

/** The published Store's own current state, opened read-only (no agent) or as an agent. */
export async function publishedState(dir: string, agentId?: string): Promise<[string, unknown][]> {
  const store = new Published<Task>();
  await store.open(dir, agentId ? { agentId, checkpointOnClose: false } : { readOnly: true });
  const entries = store.entries().sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  await store.close();
  return entries;
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
  posAtTime: (insp, f) => Promise.all(f.stamps.map((ts) => insp.posAtTime({ ts }))),
  diff: (insp, f) => Promise.all([insp.diff({ a: 0, b: f.total, ...ALL }), insp.diff({ a: Math.floor(f.total / 2), b: f.total, ...ALL })]),
  records: async (insp, f) => ({
    now: await insp.records(ALL),
    states: await Promise.all(f.positions.map((at) => insp.records({ ...ALL, at }))),
    filtered: await insp.records({ ...ALL, filter: { status: { $ne: "todo" } } }),
  }),
  record: (insp, f) => Promise.all(f.ids.slice(0, 25).flatMap((id) => [insp.record({ id }), insp.record({ id, at: Math.floor(f.total / 2) })])),
  columns: (insp) => insp.columns(),
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
