// Every call to the inspector's thread has a deadline: a call past it
// answers "timeout", the thread is terminated (its CPU freed) and the store
// reopened in a new one, so the calls after it, and those waiting behind
// it, answer. A call that never ends is the thread's test hook (spinOn).
import { readFile } from "node:fs/promises";
import { Store as Published } from "@backloghq/opslog";
import { describe, expect, it } from "vitest";
import { OpslogError } from "../../src/errors.js";
import { openInspectorThread } from "../../src/inspect/thread.js";
import type { ThreadOptions } from "../../src/inspect/thread.js";
import { suiteDir } from "./fixtures.js";

const DEADLINE: ThreadOptions = { deadlineMs: 300, spinOn: "records" };

/** Five records written by the published opslog; returns the ids as written. */
async function smallStore(): Promise<{ dir: string; ids: string[] }> {
  const dir = await suiteDir("opslog-deadline-");
  const store = new Published<{ title: string }>();
  await store.open(dir, { checkpointOnClose: false });
  const ids = ["r0", "r1", "r2", "r3", "r4"];
  for (const id of ids) await store.set(id, { title: `record ${id}` });
  await store.close();
  return { dir, ids };
}

/** Threads of this process, as the OS counts them (Linux). */
async function osThreads(): Promise<number> {
  const status = await readFile("/proc/self/status", "utf-8");
  return Number(/^Threads:\s+(\d+)/m.exec(status)![1]);
}

async function until(condition: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`still not true after ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("the inspector thread's deadline", () => {
  it("answers a call past its deadline with 'timeout', naming the call and the deadline, then answers the next call", async () => {
    const { dir, ids } = await smallStore();
    const inspector = await openInspectorThread(dir, {}, DEADLINE);
    const error = await inspector.records({ offset: 0, limit: 10 }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(OpslogError);
    expect(error).toMatchObject({ code: "timeout" });
    expect((error as Error).message).toContain("300 ms");
    expect((error as Error).message).toContain("records");
    const summary = await inspector.summary();
    expect(summary.counts.records).toBe(ids.length);
    expect((await inspector.record({ id: "r3" }))?.title).toBe("record r3");
    await inspector.close();
  });

  it("answers the calls that were waiting behind it from the restarted thread", async () => {
    const { dir, ids } = await smallStore();
    const inspector = await openInspectorThread(dir, {}, DEADLINE);
    const stuck = inspector.records({ offset: 0, limit: 10 }).catch((err: unknown) => err);
    const waiting = [inspector.summary(), inspector.record({ id: "r1" }), inspector.op({ pos: 0 })];
    expect(await stuck).toMatchObject({ code: "timeout" });
    const [summary, record, op] = await Promise.all(waiting);
    expect(summary).toMatchObject({ counts: { records: ids.length } });
    expect(record).toEqual({ title: "record r1" });
    expect(op).toMatchObject({ pos: 0, op: "set", id: "r0" });
    await inspector.close();
  });

  it.runIf(process.platform === "linux")("terminates the thread that was past its deadline, freeing its CPU (counted in /proc)", async () => {
    const { dir } = await smallStore();
    const inspector = await openInspectorThread(dir, {}, DEADLINE);
    await inspector.summary();
    const before = await osThreads();
    expect(await inspector.records({ offset: 0, limit: 10 }).catch((err: unknown) => err)).toMatchObject({ code: "timeout" });
    await inspector.summary(); // the new thread is up
    await until(async () => (await osThreads()) <= before, `the spinning thread exits (threads now ${await osThreads()}, before ${before})`);
    await inspector.close();
  });

  it("closes at once while a call spins, and that call answers that the inspector was closed", async () => {
    const { dir } = await smallStore();
    const inspector = await openInspectorThread(dir, {}, { deadlineMs: 0, spinOn: "records" });
    const stuck = inspector.records({ offset: 0, limit: 10 }).catch((err: unknown) => err);
    await inspector.close();
    expect(await stuck).toMatchObject({ code: "not-open" });
  });
});

if (process.platform !== "linux") console.log("deadline.test.ts: the /proc thread count is Linux only; that test is skipped here.");
