import { appendFile, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Store as Published } from "@backloghq/opslog";
import { describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import { tempDir } from "../helpers/tmp.js";
import { nextMs, task } from "./fixtures.js";
import type { Task } from "./fixtures.js";

const ALL = { offset: 0, limit: 10_000 };

function sorted(entries: [string, unknown][]): [string, unknown][] {
  return [...entries].sort(([a], [b]) => (a < b ? -1 : 1));
}

describe("refresh: following a store that others write", () => {
  it("tails new ops a single writer appends, without rebuilding", async () => {
    const dir = await tempDir();
    const writer = new Published<Task>();
    await writer.open(dir, { checkpointThreshold: 1000 });
    await writer.set("a", task(1, "todo"));
    const insp = await openInspector(dir);
    expect((await insp.timelineInfo()).total).toBe(1);
    await writer.set("b", task(2, "todo"));
    await writer.set("a", task(1, "done"));
    await writer.delete("b");
    expect(await insp.refresh()).toEqual({ newOps: 3, rebuilt: false });
    expect((await insp.records(ALL)).rows.map((r) => [r.id, r.data])).toEqual(sorted(writer.entries()));
    expect((await insp.op({ pos: 3 }))?.op).toBe("delete");
    expect(await insp.refresh()).toEqual({ newOps: 0, rebuilt: false });
    await writer.close();
  });

  it("leaves a half-written last line for later, names it as a fresh open does, and reads it once it is complete", async () => {
    const dir = await tempDir();
    const writer = new Published<Task>();
    await writer.open(dir, { checkpointThreshold: 1000, checkpointOnClose: false });
    await writer.set("a", task(1, "todo"));
    await writer.close();
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { activeOps: string };
    const insp = await openInspector(dir);
    const line = JSON.stringify({ ts: new Date().toISOString(), op: "set", id: "b", data: task(2, "todo"), prev: null });
    await appendFile(join(dir, manifest.activeOps), line.slice(0, 20));
    expect(await insp.refresh()).toEqual({ newOps: 0, rebuilt: false, summaryChanged: true });
    const lineWarnings = async (i: typeof insp) => (await i.summary()).warnings.filter((w) => w.code === "torn-line" || w.code === "malformed-line");
    const fresh = await openInspector(dir);
    expect(await lineWarnings(insp)).toEqual(await lineWarnings(fresh));
    expect((await lineWarnings(insp)).map((w) => [w.line, w.message.includes("incomplete last line")])).toEqual([[2, true]]);
    await fresh.close();
    await appendFile(join(dir, manifest.activeOps), line.slice(20) + "\n");
    expect(await insp.refresh()).toEqual({ newOps: 1, rebuilt: false, summaryChanged: true });
    expect(await insp.record({ id: "b" })).toEqual(task(2, "todo"));
    expect(await lineWarnings(insp)).toEqual([]);
  });

  it("notices a compaction and rebuilds, keeping the history before it", async () => {
    const dir = await tempDir();
    const writer = new Published<Task>();
    await writer.open(dir, { checkpointThreshold: 1000 });
    for (let i = 0; i < 5; i++) await writer.set(`t${i}`, task(i, "todo"));
    const insp = await openInspector(dir);
    await nextMs();
    await writer.compact();
    await nextMs();
    await writer.set("t0", task(0, "done"));
    const result = await insp.refresh();
    expect(result.rebuilt).toBe(true);
    const info = await insp.timelineInfo();
    expect(info.total).toBe(6);
    expect(info.links.map((l) => l.verified)).toEqual(["ok", "live"]);
    expect((await insp.records(ALL)).rows.map((r) => [r.id, r.data])).toEqual(sorted(writer.entries()));
    await writer.close();
  });

  it("tails the ops of several agents in replay order", async () => {
    const dir = await tempDir();
    const open = async (agentId: string) => {
      const store = new Published<Task>();
      await store.open(dir, { agentId, checkpointThreshold: 1000, checkpointOnClose: false });
      return store;
    };
    const alice = await open("alice");
    const bob = await open("bob");
    await alice.set("a", task(1, "todo"));
    const insp = await openInspector(dir);
    await bob.set("b", task(2, "todo"));
    await alice.set("c", task(3, "todo"));
    const result = await insp.refresh();
    expect(result.newOps).toBe(2);
    const ops = (await insp.ops(ALL)).rows;
    for (let i = 1; i < ops.length; i++) {
      const [a, b] = [ops[i - 1], ops[i]];
      expect(a.clock! < b.clock! || (a.clock === b.clock && a.agent!.localeCompare(b.agent!) <= 0)).toBe(true);
    }
    const observer = await open("observer");
    expect((await insp.records(ALL)).rows.map((r) => [r.id, r.data])).toEqual(sorted(observer.entries()));
    for (const store of [alice, bob, observer]) await store.close();
  });
});
