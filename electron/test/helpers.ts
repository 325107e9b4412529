// What the main-process tests share: temp folders, a digest of every byte on
// disk, envelope unpacking and every read call of the contract. Their stores
// are the named scenarios of engine/test/scenarios (written by the published opslog).
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { CallArg, CallName, Envelope } from "../contract.js";
import type { calls } from "../calls.js";

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

type ReadCall = { [N in CallName]: (typeof calls)[N]["writes"] extends false ? N : never }[CallName];
/** The store's lanes and archive segment (null: it has none), as its summary names them */
export type Paths = { lanes: string[]; archive: string | null };

/**
 * Every call that does not write, with the valid arguments to try it with,
 * or why it is not tried here: typed over the declaration (calls.ts), so a
 * new read call cannot be left out of the read-only tests unnoticed.
 */
const READ_CALLS: { [N in ReadCall]: ((at: Paths) => CallArg<N>[]) | { notTried: string } } = {
  "store.open": { notTried: "opens the session the read calls then run in" },
  "store.close": { notTried: "ends the session; each test closes it at its end" },
  "store.summary": () => [{}],
  "store.check": () => [{}],
  "store.recent": () => [{}],
  "store.pickDirectory": () => [{}],
  "store.pending": () => [{}],
  "store.folders": () => [{ path: "./" }], // the repository's folders: local, few
  "cache.clearIndex": () => [{}], // the explorer's own cache folder, never the store
  "store.loading": () => [{}],
  "store.preview": () => [{}],
  "store.history": () => [{}],
  "records": () => [{ offset: 0, limit: 50 }, { offset: 0, limit: 50, filter: { status: "open" }, sort: { field: "estimate", dir: -1 } }, { offset: 0, limit: 10, at: 3, idContains: "1" }],
  "records.get": () => [{ id: "task-1" }],
  "columns": () => [{}],
  "schema": () => [{}, { at: 3, sample: 0, filter: { status: "done" } }],
  "ops": () => [{ offset: 0, limit: 100 }, { offset: 0, limit: 100, op: "delete", filter: { "data.status": "done" } }],
  "ops.get": () => [{ pos: 0 }],
  "lanes": () => [{}],
  "laneOps": ({ lanes }) => lanes.map((path) => ({ path, offset: 0, limit: 20 })),
  "conflicts": () => [{ offset: 0, limit: 20 }],
  "lostWrites.page": () => [{ offset: 0, limit: 20 }],
  "archiveSegments": () => [{}],
  "archivePage": ({ archive }) => (archive ? [{ path: archive, offset: 0, limit: 20 }] : []),
  "timelineInfo": () => [{}],
  "diff": () => [{ a: 0, b: 5, offset: 0, limit: 20 }],
  "timeline.step": () => [{ pos: 0, end: 5, opDiffLimit: 50, laterDiffLimit: 200, statePages: [{ offset: 0, limit: 200 }] }, { pos: 3, end: 5, opDiffLimit: 50, laterDiffLimit: 200, statePages: [{ offset: 0, limit: 200 }], filter: { status: "done" } }],
  "timelineEvents": () => [{}, { id: "task-1", op: "set" }],
  "timeline.posAtTime": () => [{ ts: new Date().toISOString() }],
  "buckets": () => [{ buckets: 10 }],
  "positionBuckets": () => [{ buckets: 10 }],
  // Saved and recent queries live in the explorer's app data: allowed read-only, and never a byte in the store.
  "savedFilters.remember": () => [{ box: "records", text: '{status: "done"}' }],
  "savedFilters.save": () => [{ box: "records", name: "done", text: '{status: "done"}' }],
  "savedFilters.list": () => [{ box: "records" }],
  "savedFilters.forget": () => [{ box: "records", name: "done" }],
  "actions.undoPreview": () => [{}],
  "actions.compactPreview": () => [{}],
  "actions.revertPreview": () => [{ pos: 0 }],
  "actions.reapplyPreview": { notTried: "needs a lost write of the store: reapply.test.ts previews one read-only" },
  "actions.refresh": () => [{}],
  "export.save": { notTried: "writes a file outside the store (a path chosen per test): export.test.ts" },
  "export.store": { notTried: "writes a copy outside the store (a folder chosen per test): export.test.ts" },
  "export.download": { notTried: "a download, not a call: GET /api/download/export.download (export.test.ts)" },
  "blobs.list": () => [{ offset: 0, limit: 20 }],
  "blobs.read": { notTried: "needs a blob of the store: blobs are tested with a store that has them" },
  "blobs.refs": () => [{ id: "task-1" }],
};

/** Every read call of the contract with valid arguments, for a store whose summary names these lanes and segment. */
export function readCalls(at: Paths): [string, unknown][] {
  return Object.entries(READ_CALLS).flatMap(([name, args]) => (typeof args === "function" ? (args as (at: Paths) => unknown[])(at).map((arg): [string, unknown] => [name, arg]) : []));
}
