// Read-only means read-only: every byte of the store is the same after a
// whole read-only session that exercised every read call.
import { afterEach, describe, expect, it } from "vitest";
import { AppData } from "../appdata.js";
import type { OpenResult } from "../contract.js";
import { Handlers } from "../handlers.js";
import { buildDemoStore } from "../../engine/src/demo.js";
import { plannerAndWorkerOnJobs, twentyTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";
import { digestTree, readCalls, removeDir, tempDir, valueOf } from "./helpers.js";

let work: string | null = null;
afterEach(async () => {
  if (work) await removeDir(work);
  work = null;
});

async function exerciseReadOnly(dir: string, home: string): Promise<void> {
  const handlers = new Handlers({ appData: new AppData(home), pollMs: 20 });
  const opened = valueOf<OpenResult>(await handlers.dispatch("store.open", { dir }));
  expect(opened.session.mode).toBe("read-only");
  const archive = opened.summary.archiveSegments[0]?.path ?? null;
  // Every call must really have run (answered ok): a session whose calls all failed would write nothing too.
  for (const [name, arg] of readCalls({ lanes: opened.summary.lanes.map((l) => l.path), archive })) expect(await handlers.dispatch(name, arg), `${name} ${JSON.stringify(arg)}`).toMatchObject({ ok: true });
  await handlers.store.closeSession();
}

describe("a read-only session", () => {
  it.each([
    ["single-writer", async (dir: string) => (await twentyTasksCompactedThenEdited.build(dir)).dir],
    ["multi-writer", async (dir: string) => (await plannerAndWorkerOnJobs.build(dir)).dir],
    ["demo", async (dir: string) => (await buildDemoStore(dir), dir)],
  ])("leaves every byte of a %s store unchanged", async (_kind, build) => {
    work = await tempDir("readonly");
    const dir = await build(`${work}/store`);
    const before = await digestTree(dir);
    await exerciseReadOnly(dir, `${work}/home`);
    expect(await digestTree(dir)).toEqual(before);
  });
});
