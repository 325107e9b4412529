import { describe, expect, it } from "vitest";
import { Store as Published } from "@backloghq/opslog";
import { Store } from "../../src/index.js";
import { sortedEntries, tempDir } from "../helpers/tmp.js";

type Task = { title: string; status: string; n?: number; tags?: string[] };

async function publishedState(dir: string, agentId?: string): Promise<[string, unknown][]> {
  const store = new Published<Task>();
  await store.open(dir, { readOnly: true, ...(agentId ? { agentId } : {}) });
  const entries = sortedEntries(store.entries());
  await store.close();
  return entries;
}

async function engineState(dir: string, agentId?: string): Promise<[string, unknown][]> {
  const store = new Store<Task>();
  await store.open(dir, { readOnly: true, ...(agentId ? { agentId } : {}) });
  const entries = sortedEntries(store.entries());
  await store.close();
  return entries;
}

describe("interop with the published opslog", () => {
  it("opens a single-writer store the published package wrote (compactions, delta updates, archive, undo) with equal state", async () => {
    const dir = await tempDir();
    const pub = new Published<Task>();
    await pub.open(dir, { checkpointThreshold: 7 });
    for (let i = 0; i < 30; i++) await pub.set(`t${i % 12}`, { title: `task ${i % 12} with a long enough title to make deltas smaller`, status: i % 3 ? "open" : "done", n: i, tags: ["a", "b"] });
    await pub.delete("t3");
    await pub.undo();
    await pub.delete("t4");
    await pub.archive((t) => t.status === "done", "2026-Q1");
    await pub.set("t5", { title: "task 5 with a long enough title to make deltas smaller", status: "open", n: 99, tags: ["a", "b"] });
    await pub.close();
    const expected = await publishedState(dir);
    expect(expected.length).toBeGreaterThan(3);
    expect(await engineState(dir)).toEqual(expected);
  });

  it("the published package opens a single-writer store the engine wrote with equal state", async () => {
    const dir = await tempDir();
    const store = new Store<Task>();
    await store.open(dir, { checkpointThreshold: 5 });
    for (let i = 0; i < 17; i++) await store.set(`t${i % 6}`, { title: `task ${i}`, status: i % 2 ? "open" : "done", n: i });
    await store.delete("t1");
    await store.undo();
    await store.delete("t2");
    await store.archive((t) => t.status === "done", "2026-Q2");
    await store.set("t9", { title: "late", status: "open" });
    const own = sortedEntries(store.entries());
    await store.close();
    expect(await publishedState(dir)).toEqual(own);
    const archived = new Published<Task>();
    await archived.open(dir, { readOnly: true });
    expect((await archived.loadArchive("2026-Q2")).size).toBeGreaterThan(0);
    await archived.close();
  });

  it("opens a multi-writer store with conflicts the published package wrote, with equal state, and vice versa", async () => {
    const dir = await tempDir();
    const a = new Published<Task>();
    const b = new Published<Task>();
    await a.open(dir, { agentId: "alice", checkpointOnClose: false });
    await b.open(dir, { agentId: "bob", checkpointOnClose: false });
    await a.set("shared", { title: "from alice", status: "open" });
    await b.set("shared", { title: "from bob", status: "open" });
    await a.set("only-a", { title: "a", status: "open" });
    await b.refresh();
    await b.set("only-b", { title: "b", status: "done" });
    await a.close();
    await b.close();
    const expected = await publishedState(dir, "reader");
    expect(await engineState(dir, "reader")).toEqual(expected);

    const c = new Store<Task>();
    await c.open(dir, { agentId: "carol", checkpointOnClose: false });
    await c.set("shared", { title: "from carol", status: "done" });
    await c.set("only-c", { title: "c", status: "open" });
    const own = sortedEntries(c.entries());
    await c.close();
    expect(await publishedState(dir, "reader")).toEqual(own);
  });
});
