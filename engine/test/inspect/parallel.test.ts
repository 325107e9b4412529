// The parallel scan (a worker thread parses the WALs and sends hashes instead
// of records) must answer exactly as the in-thread scan: every answer of the
// inspector, on every kind of store, compared between the two.
import { Store as Published } from "@backloghq/opslog";
import { describe, expect, it } from "vitest";
import { buildDemoStore } from "../../src/demo.js";
import { openInspector } from "../../src/inspect/index.js";
import type { InspectorApi } from "../../src/inspect/index.js";
import { singleWriterCompactedThenArchived, threeAgentsConflictThenLostWrites } from "../scenarios/index.js";
import { answers, handWritten, nextMs, suiteDir, task } from "./fixtures.js";
import type { Task } from "./fixtures.js";

async function expectSameAnswers(dir: string): Promise<{ serial: InspectorApi; parallel: InspectorApi; seen: Record<string, unknown> }> {
  const serial = await openInspector(dir, { parallel: "never" });
  const parallel = await openInspector(dir, { parallel: "always" });
  const seen = await answers(serial);
  expect(await answers(parallel)).toEqual(seen);
  return { serial, parallel, seen };
}

/**
 * Three agents writing the same keys, each from its own view of the store,
 * refreshed now and then: some overwrites had seen the write they replace,
 * others had not (conflicts). Prevs full and delta-encoded; some deletes.
 */
function racingAgents(): Record<string, object[]> {
  const agents = ["ann", "ben", "cat"];
  const wals: Record<string, object[]> = Object.fromEntries(agents.map((agent, a) => [`ops/agent-${agent}-${1700000000001 + a}.jsonl`, []]));
  const lanes = Object.values(wals);
  const store = new Map<string, Record<string, unknown>>();
  const views = agents.map(() => new Map<string, Record<string, unknown>>());
  let ms = Date.UTC(2026, 0, 5, 8);
  for (let i = 0; i < 240; i++) {
    const a = i % 3;
    const agent = agents[a];
    const view = views[a];
    if (i % 5 === a) for (const [id, value] of store) view.set(id, value); // a refresh
    const id = `k${(i * 7) % 13}`;
    const before = view.get(id) ?? null;
    const ts = new Date((ms += 7)).toISOString();
    if (before && i % 19 === 0) {
      lanes[a].push({ ts, op: "delete", id, prev: before, agent, clock: i + 1 });
      view.delete(id);
      store.delete(id);
      continue;
    }
    const data = { title: `task ${id}`, status: ["todo", "doing", "done"][i % 3], by: agent, n: i, tags: i % 2 ? ["x"] : [] };
    const delta = before !== null && i % 3 === 1;
    const prev = delta ? { $set: { status: before.status, by: before.by, n: before.n, tags: before.tags } } : before;
    lanes[a].push({ ts, op: "set", id, data, prev, agent, clock: i + 1, ...(delta ? { encoding: "delta" } : {}) });
    view.set(id, data);
    store.set(id, data);
  }
  return wals;
}

describe("the parallel scan", () => {
  it("answers exactly as the in-thread scan on the demo store (compactions, archive, undo, conflicts, a lost write)", async () => {
    const dir = await suiteDir();
    await buildDemoStore(dir, { seed: 7 });
    const { seen } = await expectSameAnswers(dir);
    const summary = seen.summary as { counts: { conflicts: number; lostWrites: number } };
    expect(summary.counts.conflicts).toBeGreaterThan(0);
    expect(summary.counts.lostWrites).toBeGreaterThan(0);
  });

  it("answers exactly as the in-thread scan on stores the published opslog wrote, single- and multi-writer", async () => {
    const single = await suiteDir();
    await singleWriterCompactedThenArchived.build(single);
    await expectSameAnswers(single);
    const multi = await suiteDir();
    await threeAgentsConflictThenLostWrites.build(multi);
    await expectSameAnswers(multi);
  });

  it("finds the same conflicts from hashes as from records, with full and delta-encoded prevs", async () => {
    const wals = racingAgents();
    const dir = await handWritten(wals, Object.fromEntries(Object.keys(wals).map((p) => [p.split("-")[1], p])));
    const { seen } = await expectSameAnswers(dir);
    // Both kinds of cross-agent overwrite are there: conflicts, and writes that had seen what they replace.
    const conflicts = (seen.conflicts as { total: number }).total;
    const crossAgent = (seen.ops as { rows: { agent: string; id: string; pos: number }[] }).rows.filter((op, i, rows) => {
      const last = rows.slice(0, i).findLast((o) => o.id === op.id);
      return last !== undefined && last.agent !== op.agent;
    }).length;
    expect(conflicts).toBeGreaterThan(10);
    expect(crossAgent - conflicts).toBeGreaterThan(10);
  });

  it("answers exactly as the in-thread scan on a WAL out of clock order and on odd timestamps", async () => {
    const op = (agent: string, clock: number, id: string, n: number, ts?: string) => ({ ts: ts ?? new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(), op: "set", id, data: { n, by: agent }, prev: null, agent, clock });
    const walA = "ops/agent-alice-1700000000001.jsonl";
    const walB = "ops/agent-bob-1700000000002.jsonl";
    const lines = { [walA]: [op("alice", 1, "x", 1), op("alice", 5, "y", 2, "yesterday"), op("alice", 3, "x", 3, "2026-01-05T08:00:01.000+02:00")], [walB]: [op("bob", 2, "y", 4), op("bob", 4, "x", 5), op("bob", 3, "z", 6)] };
    await expectSameAnswers(await handWritten(lines, { alice: walA, bob: walB }));
  });

  it("tails ops appended after a parallel build as the in-thread scan does", async () => {
    const dir = await suiteDir();
    await threeAgentsConflictThenLostWrites.build(dir);
    const { serial, parallel } = await expectSameAnswers(dir);
    const carol = new Published<Task>();
    await carol.open(dir, { agentId: "carol", checkpointThreshold: 1000, checkpointOnClose: false });
    await carol.set("c1", task(300, "done"));
    await nextMs();
    await carol.set("k1", task(100, "carol's take"));
    await carol.close();
    const [a, b] = [await serial.refresh(), await parallel.refresh()];
    expect(b).toEqual(a);
    expect(a.newOps).toBe(2);
    expect(await answers(parallel)).toEqual(await answers(serial));
  });
});
