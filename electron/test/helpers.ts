// Real stores for the main-process tests, written by the published opslog
// (never by the engine under test), plus a digest of every byte on disk.
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { Store } from "@backloghq/opslog";
import type { Envelope } from "../contract.js";

type Doc = Record<string, unknown>;

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `opslog-explorer-${prefix}-`));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** A single-writer store: 20 tasks, one compaction, then 6 more ops in the active WAL. */
export async function singleWriterStore(dir: string): Promise<string> {
  const store = new Store<Doc>();
  await store.open(dir, { checkpointOnClose: false, checkpointThreshold: 1_000_000 });
  for (let i = 0; i < 20; i++) await store.set(`task-${i}`, { title: `Task ${i}`, status: i % 3 === 0 ? "done" : "open", estimate: i % 5 });
  await store.compact();
  await store.set("task-1", { title: "Task 1", status: "done", estimate: 2 });
  await store.set("task-20", { title: "Task 20", status: "open", estimate: 1 });
  await store.delete("task-2");
  await store.set("task-3", { title: "Task 3 renamed", status: "done", estimate: 3 });
  await store.set("task-21", { title: "Task 21", status: "open", estimate: 4 });
  await store.set("task-4", { title: "Task 4", status: "blocked", estimate: 4 });
  await store.close();
  return dir;
}

/** A multi-writer store: agents "planner" and "worker" writing the same records. */
export async function multiWriterStore(dir: string): Promise<string> {
  const planner = new Store<Doc>();
  await planner.open(dir, { agentId: "planner", checkpointOnClose: false });
  for (let i = 0; i < 8; i++) await planner.set(`job-${i}`, { title: `Job ${i}`, state: "planned" });
  const worker = new Store<Doc>();
  await worker.open(dir, { agentId: "worker", checkpointOnClose: false });
  await worker.set("job-1", { title: "Job 1", state: "running" });
  await worker.set("job-2", { title: "Job 2", state: "done" });
  await planner.set("job-3", { title: "Job 3", state: "cancelled" });
  await worker.delete("job-7");
  await worker.close();
  await planner.close();
  return dir;
}

/** sha256 of every file under dir, keyed by relative path. */
export async function digestTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(at: string): Promise<void> {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out[relative(dir, path)] = createHash("sha256").update(await readFile(path)).digest("hex");
    }
  }
  await walk(dir);
  return out;
}

/** The value of a successful envelope; a readable failure otherwise. */
export function valueOf<T = unknown>(envelope: Envelope<unknown>): T {
  if (!envelope.ok) throw new Error(`call failed: ${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value as T;
}

export function errorOf(envelope: Envelope<unknown>): { code: string; message: string; detail?: string } {
  if (envelope.ok) throw new Error(`expected a failure, got ${JSON.stringify(envelope.value).slice(0, 200)}`);
  return envelope.error;
}

/** Every read call of the contract with a valid argument, for a store whose summary names these lanes/segments. */
export function readCalls(lanePath: string, archivePath: string | null): [string, unknown][] {
  return [
    ["store.summary", {}],
    ["store.recent", {}],
    ["store.pickDirectory", {}],
    ["store.pending", {}],
    ["records.page", { offset: 0, limit: 50 }],
    ["records.page", { offset: 0, limit: 50, filter: { status: "open" }, sort: { field: "estimate", dir: -1 } }],
    ["records.page", { offset: 0, limit: 10, at: 3, idContains: "1" }],
    ["records.get", { id: "task-1" }],
    ["records.columns", {}],
    ["records.schema", {}],
    ["records.schema", { at: 3, sample: 0, filter: { status: "done" } }],
    ["ops.page", { offset: 0, limit: 100 }],
    ["ops.page", { offset: 0, limit: 100, op: "delete", filter: { "data.status": "done" } }],
    ["ops.get", { pos: 0 }],
    ["agents.list", {}],
    ["agents.ops", { path: lanePath, offset: 0, limit: 20 }],
    ["conflicts.page", { offset: 0, limit: 20 }],
    ["lostWrites.page", { offset: 0, limit: 20 }],
    ["archive.list", {}],
    ...(archivePath ? ([["archive.page", { path: archivePath, offset: 0, limit: 20 }]] as [string, unknown][]) : []),
    ["timeline.info", {}],
    ["timeline.diff", { a: 0, b: 5, offset: 0, limit: 20 }],
    ["timeline.events", {}],
    ["timeline.events", { id: "task-1", op: "set" }],
    ["timeline.posAtTime", { ts: new Date().toISOString() }],
    // Saved and recent queries live in the explorer's app data: allowed read-only, and never a byte in the store.
    ["queries.remember", { box: "records", text: '{status: "done"}' }],
    ["queries.save", { box: "records", name: "done", text: '{status: "done"}' }],
    ["queries.list", { box: "records" }],
    ["queries.forget", { box: "records", name: "done" }],
    ["actions.undoPreview", {}],
    ["actions.refresh", {}],
  ];
}
