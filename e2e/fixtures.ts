/**
 * What every end-to-end spec stands on: browser mode started as a child
 * process (exactly as a user runs it: `serve <dir> [--writer|--agent ID]`, from
 * the bundle `npm start` runs when `npm run test:e2e` made it, else the sources under tsx),
 * with its app data in a temp folder, stopped after each test; a copy of the
 * demo store; and reading a store back with the published opslog. The other
 * stores the specs open are the named scenarios of engine/test/scenarios.
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
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
