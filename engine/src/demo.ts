/**
 * The demo store: a small multi-agent project board written exactly as
 * opslog writes it, with everything the explorer exists to show: agents
 * planning and working, delta-encoded updates, LWW conflicts, an undo, an
 * archive segment, several compactions (a history chain across three
 * snapshot generations) and lost writes. Deterministic for a given seed.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { compareOps } from "./order.js";
import type { Manifest, Operation } from "./types.js";

type Task = Record<string, unknown>;

const BASE_MS = Date.UTC(2026, 2, 2, 9, 0, 0);
const TITLES = [
  "Design the ingest API", "Write the WAL parser", "Add retry to the fetcher", "Cache embeddings on disk",
  "Summarise nightly runs", "Fix flaky planner test", "Rate-limit tool calls", "Migrate prompts to v2",
  "Index agent transcripts", "Add cost dashboard", "Review sandbox policy", "Trim context window",
  "Deduplicate search hits", "Backfill task labels", "Alert on stuck agents", "Profile the tokenizer",
];

/** Seeded PRNG (mulberry32): the same seed gives the same store, byte for byte. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class DemoWorld {
  files = new Map<string, string[]>();
  snapshots = new Map<string, Map<string, Task>>();
  manifest!: Manifest;
  now = BASE_MS;
  constructor(readonly random: () => number) {}

  tick(maxSeconds = 400): number {
    this.now += 1000 * (5 + Math.floor(this.random() * maxSeconds));
    return this.now;
  }

  /** State as a reader sees it: current snapshot plus every named WAL in (clock, agent) order. */
  read(): { state: Map<string, Task>; maxClock: number } {
    const state = new Map(this.snapshots.get(this.manifest.currentSnapshot)!);
    const ops: Operation[] = [];
    for (const path of Object.values(this.manifest.activeAgentOps ?? {})) ops.push(...this.files.get(path)!.map((l) => JSON.parse(l) as Operation));
    ops.sort(compareOps);
    for (const op of ops) {
      if (op.op === "set") state.set(op.id, op.data as Task);
      else state.delete(op.id);
    }
    return { state, maxClock: ops.reduce((m, op) => Math.max(m, op.clock ?? 0), 0) };
  }

  writeSnapshot(state: Map<string, Task>): string {
    const path = `snapshots/snap-${this.tick(30)}.json${this.snapshots.size >= 2 ? "l" : ""}`;
    this.snapshots.set(path, new Map(state));
    return path;
  }
}

class DemoAgent {
  state = new Map<string, Task>();
  clock = 0;
  wal = "";
  constructor(
    readonly id: string,
    readonly world: DemoWorld,
  ) {}

  /** opslog's refresh(): reload, and register a new WAL if a compaction dropped ours. */
  refresh(): void {
    const { state, maxClock } = this.world.read();
    this.state = state;
    this.clock = Math.max(this.clock, maxClock);
    if (this.world.manifest.activeAgentOps?.[this.id]) {
      this.wal = this.world.manifest.activeAgentOps[this.id];
      return;
    }
    this.wal = `ops/agent-${this.id}-${this.world.tick(20)}.jsonl`;
    this.world.files.set(this.wal, []);
    this.world.manifest = { ...this.world.manifest, activeAgentOps: { ...this.world.manifest.activeAgentOps, [this.id]: this.wal } };
  }

  set(id: string, data: Task): void {
    const prev = this.state.get(id) ?? null;
    const op: Operation = { ts: new Date(this.world.tick()).toISOString(), op: "set", id, data, prev, agent: this.id, clock: ++this.clock };
    const delta = prev ? reversePatch(prev, data) : null;
    if (delta && JSON.stringify(delta).length < JSON.stringify(prev).length) {
      op.prev = delta as Task;
      op.encoding = "delta"; // as opslog 0.4+ writes small updates
    }
    this.append(op);
    this.state.set(id, data);
  }

  update(id: string, change: Task): void {
    const current = this.state.get(id);
    if (current) this.set(id, { ...current, ...change, updatedBy: this.id });
  }

  delete(id: string): void {
    const prev = this.state.get(id);
    if (!prev) return;
    this.append({ ts: new Date(this.world.tick()).toISOString(), op: "delete", id, prev, agent: this.id, clock: ++this.clock });
    this.state.delete(id);
  }

  /** opslog's multi-writer undo: drop our WAL's last line, then refresh. */
  undo(): void {
    this.world.files.get(this.wal)!.pop();
    this.refresh();
  }

  /** opslog's compact(); `archive` ids leave the state first, as store.archive() does. */
  compact(archive: Set<string> = new Set()): void {
    this.refresh();
    for (const id of archive) this.state.delete(id);
    const snapshot = this.world.writeSnapshot(this.state);
    this.wal = `ops/agent-${this.id}-${this.world.tick(5)}.jsonl`;
    this.world.files.set(this.wal, []);
    const m = this.world.manifest;
    this.world.manifest = {
      ...m,
      currentSnapshot: snapshot,
      activeOps: this.wal,
      activeAgentOps: { [this.id]: this.wal },
      stats: { ...m.stats, activeRecords: this.state.size, opsCount: 0, lastCheckpoint: new Date(this.world.now).toISOString() },
    };
  }

  private append(op: Operation): void {
    this.world.files.get(this.wal)!.push(JSON.stringify(op));
  }
}

function reversePatch(prev: Task, next: Task): { $set?: Task; $unset?: string[] } | null {
  const $set: Task = {};
  const $unset = Object.keys(next).filter((k) => !(k in prev));
  for (const [k, v] of Object.entries(prev)) if (JSON.stringify(v) !== JSON.stringify(next[k])) $set[k] = v;
  if (Object.keys($set).length === 0 && $unset.length === 0) return null;
  return { ...(Object.keys($set).length ? { $set } : {}), ...($unset.length ? { $unset } : {}) };
}

function pick<T>(random: () => number, items: T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** Build the demo store in dir (which must be empty or absent). */
export async function buildDemoStore(dir: string, opts: { seed?: number } = {}): Promise<void> {
  const random = prng(opts.seed ?? 7);
  const world = new DemoWorld(random);
  const created = new Date(BASE_MS).toISOString();
  const first = world.writeSnapshot(new Map());
  world.manifest = {
    version: 1, currentSnapshot: first, activeOps: "", archiveSegments: [],
    stats: { activeRecords: 0, archivedRecords: 0, opsCount: 0, created, lastCheckpoint: created },
  };
  const [planner, coder1, coder2, reviewer] = ["planner", "coder-1", "coder-2", "reviewer"].map((id) => new DemoAgent(id, world));
  planner.refresh();
  world.manifest.activeOps = planner.wal;
  const archived = runScenario(world, random, { planner, coder1, coder2, reviewer });
  await writeWorld(dir, world, archived);
}

type Crew = Record<"planner" | "coder1" | "coder2" | "reviewer", DemoAgent>;

function runScenario(world: DemoWorld, random: () => number, { planner, coder1, coder2, reviewer }: Crew): Map<string, Task> {
  const taskIds = TITLES.map((_, i) => `task-${String(i + 1).padStart(3, "0")}`);
  taskIds.slice(0, 12).forEach((id, i) => planner.set(id, { title: TITLES[i], status: "todo", priority: pick(random, ["low", "medium", "high"]), estimate: 1 + Math.floor(random() * 8), tags: [pick(random, ["infra", "agents", "evals", "ux"])], assignee: null, notes: "", updatedBy: "planner" }));
  for (const agent of [coder1, coder2, reviewer]) agent.refresh();
  workRound(random, taskIds.slice(0, 12), [coder1, coder2, reviewer], 60);
  // A conflict: both coders edit task-003 without seeing each other's write.
  coder1.update("task-003", { status: "in-progress", assignee: "coder-1", notes: "taking this, parser first" });
  coder2.update("task-003", { status: "in-progress", assignee: "coder-2", notes: "on it" });
  planner.compact();
  // Lost writes: coder-2 never refreshed, so it appends to the WAL the compaction retired.
  coder2.update("task-005", { status: "done", notes: "summaries shipped" });
  coder2.update("task-009", { estimate: 3, notes: "index needs a rebuild" });
  for (const agent of [coder1, coder2, reviewer]) agent.refresh();
  taskIds.slice(12).forEach((id, i) => planner.set(id, { title: TITLES[12 + i], status: "todo", priority: "medium", estimate: 2, tags: ["evals"], assignee: null, notes: "", updatedBy: "planner" }));
  for (const agent of [coder1, coder2, reviewer]) agent.refresh();
  workRound(random, taskIds, [coder1, coder2, reviewer, planner], 120);
  coder1.update("task-002", { status: "blocked", notes: "oops, wrong task" });
  coder1.undo();
  planner.delete("task-016");
  reviewer.refresh();
  const done = new Map([...reviewer.state].filter(([, t]) => t.status === "done"));
  world.manifest.archiveSegments = ["archive/archive-2026-Q1.json"];
  world.manifest.stats = { ...world.manifest.stats, archivedRecords: done.size };
  reviewer.compact(new Set(done.keys()));
  for (const agent of [planner, coder1, coder2]) agent.refresh();
  const followUps = TITLES.slice(0, 10).map((title, i) => [`task-${String(17 + i).padStart(3, "0")}`, `Follow-up: ${title.toLowerCase()}`]);
  for (const [id, title] of followUps) planner.set(id, { title, status: "todo", priority: pick(random, ["low", "medium", "high"]), estimate: 1 + Math.floor(random() * 5), tags: ["follow-up"], assignee: null, notes: "", updatedBy: "planner" });
  for (const agent of [coder1, coder2, reviewer]) agent.refresh();
  workRound(random, [...taskIds, ...followUps.map(([id]) => id)], [coder1, coder2, reviewer, planner], 110);
  coder2.update("task-011", { status: "review", notes: "ready for a look" });
  reviewer.update("task-011", { status: "changes-requested", notes: "needs tests" });
  closeSprint(planner, coder1);
  return done;
}

/**
 * The planner checkpoints and plans the next sprint alone, so that every
 * reader (with or without an agent id) sees the same current state; coder-1,
 * not yet refreshed, writes one more note into its retired WAL: a lost write.
 */
function closeSprint(planner: DemoAgent, coder1: DemoAgent): void {
  planner.compact();
  coder1.update([...coder1.state.keys()][0], { notes: "cache hit rate 93%, shipping" });
  planner.set("sprint-2", { title: "Sprint 2 goals", status: "todo", priority: "high", estimate: 5, tags: ["planning"], assignee: "planner", notes: "carry over open follow-ups", updatedBy: "planner" });
  const open = [...planner.state].filter(([id, t]) => id !== "sprint-2" && t.status !== "done").map(([id]) => id);
  for (const id of open.slice(0, 4)) planner.update(id, { priority: "high", notes: "carried into sprint 2" });
  planner.update("sprint-2", { status: "in-progress" });
}

/** Agents pick tasks and move them along; each refreshes now and then, as real agents do. */
function workRound(random: () => number, ids: string[], agents: DemoAgent[], steps: number): void {
  const flow = ["todo", "in-progress", "review", "done"];
  for (let i = 0; i < steps; i++) {
    const agent = pick(random, agents);
    if (random() < 0.8) agent.refresh();
    const id = pick(random, ids.filter((t) => agent.state.has(t)));
    if (!id) continue;
    const task = agent.state.get(id)!;
    const roll = random();
    if (roll < 0.45) agent.update(id, { status: flow[Math.min(flow.indexOf(String(task.status)) + 1, 3)], assignee: task.assignee ?? agent.id });
    else if (roll < 0.7) agent.update(id, { notes: pick(random, ["looks good", "needs a test", "split into two", "waiting on review", "benchmarked: 2x faster"]) });
    else if (roll < 0.85) agent.update(id, { estimate: 1 + Math.floor(random() * 8) });
    else agent.update(id, { tags: [...new Set([...(task.tags as string[]), pick(random, ["infra", "agents", "evals", "ux", "perf"])])] });
  }
}

async function writeWorld(dir: string, world: DemoWorld, archived: Map<string, Task>): Promise<void> {
  for (const sub of ["snapshots", "ops", "archive"]) await mkdir(join(dir, sub), { recursive: true });
  let generation = 0;
  for (const [path, records] of world.snapshots) {
    const timestamp = new Date(Number(/snap-(\d+)/.exec(path)![1])).toISOString();
    const body = Object.fromEntries(records);
    // Three generations: compact JSON (0.1–0.3), pretty JSON (some 0.4–0.6), JSONL (0.7+).
    const text = generation === 0 ? JSON.stringify({ version: 1, timestamp, records: body })
      : generation === 1 ? JSON.stringify({ version: 1, timestamp, records: body }, null, 2)
      : [JSON.stringify({ version: 1, timestamp }), ...[...records].map(([id, data]) => JSON.stringify({ id, data }))].join("\n") + "\n";
    await writeFile(join(dir, path), text);
    generation++;
  }
  for (const [path, lines] of world.files) await writeFile(join(dir, path), lines.map((l) => l + "\n").join(""));
  const segment = { version: 1, period: "2026-Q1", timestamp: new Date(world.now).toISOString(), records: Object.fromEntries(archived) };
  await writeFile(join(dir, "archive/archive-2026-Q1.json"), JSON.stringify(segment, null, 2));
  await writeFile(join(dir, "manifest.json"), JSON.stringify(world.manifest, null, 2));
}
