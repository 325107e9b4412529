/**
 * What every end-to-end spec stands on: browser mode started as a child
 * process (exactly as a user runs it: `serve.ts <dir> [--writer|--agent ID]`),
 * with its app data in a temp folder, stopped after each test; and stores to
 * open: a copy of the demo store, stores written by the published opslog, and
 * a store with malformed WAL lines.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test as base, expect } from "@playwright/test";
import { Store } from "@backloghq/opslog";
import { buildDemoStore } from "../engine/src/demo.js";
import { ROOT, startExplorer } from "./serve-child.js";
import type { ExplorerOptions, RunningExplorer } from "./serve-child.js";

export { expect, ROOT, startExplorer };
export type { ExplorerOptions, RunningExplorer };

export const SCREENSHOTS = join(ROOT, "test-results", "screenshots");

export type Doc = Record<string, unknown>;

// ------------------------------------------------------------------ stores

/** A fresh copy of the demo store (4 agents, 4 snapshot generations, conflicts, 3 lost writes, an archive segment). */
export async function demoStoreCopy(parent: string): Promise<string> {
  const dir = join(parent, "demo");
  await buildDemoStore(dir, { seed: 7 });
  return dir;
}

/** The values the single-writer store holds at the end, and the one its last op replaced. */
export const SINGLE_WRITER = {
  ids: ["task-1", "task-2", "task-3", "task-4", "task-5", "task-6"],
  deleted: "task-2",
  /** The last op: an update of this record... */
  lastUpdated: "task-3",
  /** ...from this value */
  beforeLastUpdate: { title: "Write the parser", status: "todo", estimate: 3 },
  afterLastUpdate: { title: "Write the parser", status: "done", estimate: 3 },
};

/**
 * A single-writer store written by the published opslog: five sets, a
 * compaction (checkpointThreshold 5), then a sixth set, an update, a delete
 * and a last update in the active WAL. Closed without a checkpoint so the
 * active WAL keeps those four ops.
 */
export async function singleWriterStore(parent: string): Promise<string> {
  const dir = join(parent, "single");
  const store = new Store<Doc>();
  await store.open(dir, { checkpointThreshold: 5, checkpointOnClose: false });
  await store.set("task-1", { title: "Design the API", status: "todo", estimate: 2 });
  await store.set("task-2", { title: "Fix a flaky test", status: "todo", estimate: 1 });
  await store.set("task-3", SINGLE_WRITER.beforeLastUpdate);
  await store.set("task-4", { title: "Cache embeddings", status: "todo", estimate: 5 });
  await store.set("task-5", { title: "Rate-limit tools", status: "in-progress", estimate: 2 });
  await store.set("task-6", { title: "Trim the context", status: "todo", estimate: 8 });
  await store.set("task-1", { title: "Design the API", status: "in-progress", estimate: 2 });
  await store.delete(SINGLE_WRITER.deleted);
  await store.set(SINGLE_WRITER.lastUpdated, SINGLE_WRITER.afterLastUpdate);
  await store.close();
  return dir;
}

/** A multi-writer store written by the published opslog: two agents, each with its own WAL. */
export async function multiWriterStore(parent: string): Promise<string> {
  const dir = join(parent, "multi");
  const alpha = new Store<Doc>();
  await alpha.open(dir, { agentId: "alpha", checkpointOnClose: false });
  const beta = new Store<Doc>();
  await beta.open(dir, { agentId: "beta", checkpointOnClose: false });
  await alpha.set("doc-1", { owner: "alpha", n: 1 });
  await beta.set("doc-2", { owner: "beta", n: 2 });
  await alpha.set("doc-3", { owner: "alpha", n: 3 });
  await beta.refresh();
  await beta.set("doc-1", { owner: "beta", n: 10 });
  await alpha.close();
  await beta.close();
  return dir;
}

/** The active WAL of a store, as the manifest names it. */
export async function activeWal(dir: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { activeOps: string };
  return manifest.activeOps;
}

/**
 * The single-writer store with two malformed lines put into its active WAL
 * (not JSON; JSON that is no op), between valid ones. Returns the WAL and the
 * 1-based line numbers of the bad lines.
 */
export async function malformedStore(parent: string): Promise<{ dir: string; wal: string; badLines: number[] }> {
  const dir = await singleWriterStore(parent);
  const wal = await activeWal(dir);
  const lines = (await readFile(join(dir, wal), "utf-8")).split("\n").filter((l) => l !== "");
  const withJunk = [lines[0], "this line is not JSON {", ...lines.slice(1, 2), JSON.stringify({ ts: "2026-01-01T00:00:00.000Z", op: "bogus", id: "x" }), ...lines.slice(2)];
  await writeFile(join(dir, wal), withJunk.join("\n") + "\n");
  return { dir, wal, badLines: [2, 4] };
}

/** A copy of a store directory: published opslog 0.8.1 registers an agent even when read-only, so checks open copies. */
export async function copyStore(dir: string, parent: string, name: string): Promise<string> {
  const target = join(parent, name);
  await cp(dir, target, { recursive: true });
  return target;
}

/** Open a store with the published opslog, read it, close it (on a copy, so the store under test is untouched). */
export async function readWithPublished(dir: string, parent: string, options: { agentId?: string } = {}): Promise<Map<string, Doc>> {
  const copy = await copyStore(dir, parent, `check-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
  const store = new Store<Doc>();
  await store.open(copy, { readOnly: true, ...options });
  const state = new Map(store.entries());
  await store.close();
  return state;
}

// ---------------------------------------------------------------- fixtures

interface Fixtures {
  /** A temp folder for this test, removed after it */
  workDir: string;
  /** Start browser mode on a store; stopped after the test */
  explorer: (dir: string, options?: ExplorerOptions) => Promise<RunningExplorer>;
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  workDir: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), "opslog-e2e-"));
    await use(dir);
    await rm(dir, { recursive: true, force: true });
  },
  explorer: async ({ workDir }, use, testInfo) => {
    const running: RunningExplorer[] = [];
    await use(async (dir, options) => {
      const server = await startExplorer(dir, join(workDir, "app-home"), options);
      running.push(server);
      return server;
    });
    for (const server of running) {
      if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach("server-log", { body: server.log() });
      await server.stop();
    }
  },
});
