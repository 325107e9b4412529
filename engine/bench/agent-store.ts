/**
 * The benchmarks' multi-writer store, written line by line as opslog 0.8
 * writes it: a JSONL snapshot with no records, one WAL per agent, `set` ops
 * round-robin over the agents with Lamport clocks (op i is agent i % agents
 * with clock floor(i / agents) + 1, so (clock, agent) order is i's order),
 * and every update delta-encoded (`prev` is a reverse `$set` patch).
 * Written into a temporary folder and renamed into place once complete, so a
 * cached store is always whole, and so two processes generating at once
 * cannot mix their lines.
 */
import { createWriteStream } from "node:fs";
import type { WriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { prng } from "../src/demo.js";

export interface AgentStoreShape {
  ops: number;
  /** Ids are drawn at random from this many ("task-000000" on) */
  keys: number;
  agents: string[];
}

export const BENCH_BASE_MS = Date.UTC(2026, 0, 5, 8, 0, 0);
const STATUSES = ["todo", "doing", "review", "done"];
/** Lines are buffered per WAL and written in pieces of about this many characters */
const FLUSH_CHARS = 1 << 20;

/** The agent names used by the benchmarks: "agent-a", "agent-b", … */
export function agentNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `agent-${String.fromCharCode(97 + i)}`);
}

/** The WAL file (relative to the store) of each agent, in `agents` order. */
export function agentWals(agents: string[]): string[] {
  return agents.map((agent, i) => `ops/agent-${agent}-${BENCH_BASE_MS + 1 + i}.jsonl`);
}

/** The manifest naming the snapshot and every agent's WAL. */
export function agentManifest(agents: string[], opsCount: number): Record<string, unknown> {
  const wals = agentWals(agents);
  const stamp = new Date(BENCH_BASE_MS).toISOString();
  return {
    version: 1, currentSnapshot: `snapshots/snap-${BENCH_BASE_MS}.jsonl`, activeOps: wals[0],
    activeAgentOps: Object.fromEntries(agents.map((a, i) => [a, wals[i]])), archiveSegments: [],
    stats: { activeRecords: 0, archivedRecords: 0, opsCount, created: stamp, lastCheckpoint: stamp },
  };
}

/** Writes the snapshot (header only) and manifest of an agent store whose WALs are already in `dir/ops`. */
export async function writeAgentStoreFrame(dir: string, agents: string[], opsCount: number): Promise<void> {
  await mkdir(join(dir, "snapshots"), { recursive: true });
  await mkdir(join(dir, "archive"), { recursive: true });
  await writeFile(join(dir, `snapshots/snap-${BENCH_BASE_MS}.jsonl`), JSON.stringify({ version: 1, timestamp: new Date(BENCH_BASE_MS).toISOString() }) + "\n");
  await writeFile(join(dir, "manifest.json"), JSON.stringify(agentManifest(agents, opsCount), null, 2));
}

async function writeOut(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await new Promise<void>((r) => stream.once("drain", () => r()));
}

/** Writes the store into `dir` through a temporary folder beside it. */
export async function generateAgentStore(dir: string, shape: AgentStoreShape): Promise<void> {
  const temp = `${dir}.tmp-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(join(temp, "ops"), { recursive: true });
  const { ops, keys, agents } = shape;
  const random = prng(42);
  const state = new Map<string, { title: string; status: string; n: number; owner: string }>();
  const streams = agentWals(agents).map((p) => createWriteStream(join(temp, p)));
  const pending = agents.map(() => "");
  for (let i = 0; i < ops; i++) {
    const a = i % agents.length;
    const id = `task-${String(Math.floor(random() * keys)).padStart(6, "0")}`;
    const prev = state.get(id) ?? null;
    const data = { title: prev?.title ?? `Task ${id} for the benchmark`, status: STATUSES[Math.floor(random() * 4)], n: i, owner: agents[a] };
    const op: Record<string, unknown> = { ts: new Date(BENCH_BASE_MS + 10 + i * 10).toISOString(), op: "set", id, data, prev, agent: agents[a], clock: Math.floor(i / agents.length) + 1 };
    if (prev) {
      op.prev = { $set: { status: prev.status, n: prev.n, owner: prev.owner } };
      op.encoding = "delta";
    }
    state.set(id, data);
    pending[a] += JSON.stringify(op) + "\n";
    if (pending[a].length >= FLUSH_CHARS) {
      await writeOut(streams[a], pending[a]);
      pending[a] = "";
    }
  }
  for (const [a, stream] of streams.entries()) {
    await writeOut(stream, pending[a]);
    await new Promise((r) => stream.end(r));
  }
  await writeAgentStoreFrame(temp, agents, ops);
  // An incomplete folder (no manifest) is replaced; a complete one that another process renamed there first stands.
  if (!(await isComplete(dir))) await rm(dir, { recursive: true, force: true });
  try {
    await rename(temp, dir);
  } catch (err) {
    if (!["ENOTEMPTY", "EEXIST"].includes((err as NodeJS.ErrnoException).code ?? "")) throw err;
    await rm(temp, { recursive: true, force: true });
  }
}

async function isComplete(dir: string): Promise<boolean> {
  return (await stat(join(dir, "manifest.json")).catch(() => null)) !== null;
}

/** The store in `dir`, generated first unless a complete one is cached there; true if it was generated now. */
export async function cachedAgentStore(dir: string, shape: AgentStoreShape): Promise<boolean> {
  if (await isComplete(dir)) return false;
  await generateAgentStore(dir, shape);
  return true;
}

/** The bytes of a store's files: the manifest, its snapshots and WALs (what RSS is compared with). */
export async function bytesOnDisk(dir: string): Promise<number> {
  let total = 0;
  for (const sub of ["", "snapshots", "ops"]) {
    for (const name of await readdir(join(dir, sub))) {
      const info = await stat(join(dir, sub, name));
      if (info.isFile()) total += info.size;
    }
  }
  return total;
}
