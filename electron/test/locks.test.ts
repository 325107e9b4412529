// Locks held by other processes: writer mode names the live holder; an
// agent's compaction reports another agent's compaction lock; the explorer's
// own .lock (writer mode) is never reported as another process's.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AppData } from "../appdata.js";
import type { CompactPreview, OpenResult, StoreSummary } from "../contract.js";
import { Handlers } from "../handlers.js";
import { ExplorerSession } from "../session.js";
import type { StoreChangedEvent } from "../contract.js";
import { plannerAndWorkerOnJobs, twentyTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";
import { digestTree, errorOf, removeDir, tempDir, valueOf } from "./helpers.js";

let work: string;
let handlers: Handlers;
let holder: ChildProcess | null = null;

afterEach(async () => {
  holder?.kill();
  holder = null;
  await handlers?.store.closeSession();
  if (work) await removeDir(work);
});

/** A live process that is not us: its pid goes into the lock file. */
function liveProcess(): ChildProcess {
  return spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
}

async function setup(): Promise<void> {
  work = await tempDir("locks");
  handlers = new Handlers({ appData: new AppData(join(work, "home")), pollMs: 0 });
}

describe("a store locked by another process", () => {
  it("refuses writer mode with a message naming the live pid, and changes nothing", async () => {
    await setup();
    const dir = (await twentyTasksCompactedThenEdited.build(join(work, "single"))).dir;
    holder = liveProcess();
    await writeFile(join(dir, ".lock"), String(holder.pid));
    const before = await digestTree(dir);
    const error = errorOf(await handlers.dispatch("store.open", { dir, mode: "writer" }));
    expect(error.code).toBe("locked");
    expect(error.message).toContain(String(holder.pid));
    expect(await digestTree(dir)).toEqual(before);
  });

  it("still opens read-only alongside the lock holder", async () => {
    await setup();
    const dir = (await twentyTasksCompactedThenEdited.build(join(work, "single"))).dir;
    holder = liveProcess();
    await writeFile(join(dir, ".lock"), String(holder.pid));
    const opened = valueOf<OpenResult>(await handlers.dispatch("store.open", { dir }));
    expect(opened.summary.locks).toContainEqual(expect.objectContaining({ file: ".lock", pid: holder.pid, alive: true }));
    expect(opened.summary.warnings).toContainEqual(expect.objectContaining({ code: "lock-live", message: expect.stringContaining(`process ${holder.pid}`) }));
  });

  it("takes over a stale lock left by a dead process", async () => {
    await setup();
    const dir = (await twentyTasksCompactedThenEdited.build(join(work, "single"))).dir;
    const dead = liveProcess();
    const pid = dead.pid!;
    await new Promise((done) => { dead.once("exit", done); dead.kill(); });
    await writeFile(join(dir, ".lock"), String(pid));
    expect(valueOf<OpenResult>(await handlers.dispatch("store.open", { dir, mode: "writer" })).session.mode).toBe("writer");
  });

  it("reports another agent's compaction lock when an agent compacts", async () => {
    await setup();
    const dir = (await plannerAndWorkerOnJobs.build(join(work, "multi"))).dir;
    valueOf(await handlers.dispatch("store.open", { dir, mode: "agent" }));
    holder = liveProcess();
    await writeFile(join(dir, ".compact-lock"), String(holder.pid));
    const confirmAgents = valueOf<CompactPreview>(await handlers.dispatch("actions.compactPreview", {})).otherAgents.map((a) => a.agent);
    const error = errorOf(await handlers.dispatch("actions.compact", { confirmAgents }));
    expect(error.code).toBe("compaction-locked");
    expect(error.message).toContain(String(holder.pid));
  });

  it("a read-only session's poll and Refresh report the lock as stale once its holder has exited", async () => {
    await setup();
    const dir = (await twentyTasksCompactedThenEdited.build(join(work, "single"))).dir;
    holder = liveProcess();
    const pid = holder.pid!;
    await writeFile(join(dir, ".lock"), String(pid));
    const session = await ExplorerSession.open({ dir, pollMs: 0 });
    try {
      const events: StoreChangedEvent[] = [];
      session.onChange((e) => events.push(e));
      expect((await session.inspector.summary()).locks).toEqual([{ file: ".lock", pid, alive: true }]);
      await new Promise((done) => { holder!.once("exit", done); holder!.kill(); });
      await session.poll();
      expect(events.map((e) => [e.what, e.summary?.locks])).toEqual([["summary", [{ file: ".lock", pid, alive: false }]]]);
      const refreshed = await session.refresh();
      expect(refreshed.summary.locks).toEqual([{ file: ".lock", pid, alive: false }]);
      expect(refreshed.summary.warnings.map((w) => w.code)).toContain("lock-stale");
      expect(refreshed.summary.warnings.map((w) => w.code)).not.toContain("lock-live");
    } finally {
      await session.close();
    }
  });
});

describe("the explorer's own lock in writer mode", () => {
  it("is reported as held by this explorer, never as a foreign live lock", async () => {
    await setup();
    const dir = (await twentyTasksCompactedThenEdited.build(join(work, "single"))).dir;
    valueOf(await handlers.dispatch("store.open", { dir, mode: "writer" }));
    expect((await readFile(join(dir, ".lock"), "utf-8")).trim()).toBe(String(process.pid)); // the explorer does hold it
    valueOf(await handlers.dispatch("actions.set", { id: "task-99", value: { title: "Task 99" } }));
    valueOf(await handlers.dispatch("actions.compact", {})); // a compaction makes the inspector scan the store again, .lock included
    for (const call of ["store.summary", "actions.refresh"] as const) {
      const { summary } = valueOf<{ summary: StoreSummary }>(await handlers.dispatch(call, {}));
      const lockWarnings = summary.warnings.filter((w) => w.file === ".lock");
      expect(lockWarnings.filter((w) => w.code === "lock-live" || /must wait|process \d+/.test(w.message)), call).toEqual([]);
      expect(lockWarnings, call).toEqual([expect.objectContaining({ code: "lock-own", severity: "info", message: expect.stringContaining("held by this explorer (writer mode)") })]);
    }
  });
});

