// What the main-process tests share: temp folders, a digest of every byte on
// disk, envelope unpacking and every read call of the contract. Their stores
// are the named scenarios of engine/test/scenarios (written by the published opslog).
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { Envelope } from "../contract.js";

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `opslog-explorer-${prefix}-`));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
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
    ["store.folders", { path: "./" }], // the repository's folders: local, few
    ["store.check", {}],
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
