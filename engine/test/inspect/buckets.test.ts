// The charts' time buckets (the buckets query), on stores written by the
// published opslog. Expectations: each op's time and agent from the raw WAL
// lines, the replay order from those lines (file order single-writer;
// (clock, agent) multi-writer), and the record counts from the published
// Store's own state after each write: never from the inspector.
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import type { InspectorApi, TimeBuckets } from "../../src/inspect/index.js";
import { singleWriterCompactedThenArchived } from "../scenarios/index.js";
import { nextMs, openPublishedAgent, suiteDir, task } from "./fixtures.js";
import type { State } from "./fixtures.js";

interface Line {
  ts: string;
  agent: string | null;
  op: string;
  id: string;
  clock?: number;
}

async function walLines(dir: string, file: string): Promise<Line[]> {
  const text = await readFile(join(dir, "ops", file), "utf8");
  return text.split("\n").filter(Boolean).map((l) => {
    const o = JSON.parse(l) as Line;
    return { ...o, agent: o.agent ?? null };
  });
}

/** The expected answer, counted the plain way from the ops in replay order and the record count after each position. */
function expected(ops: Line[], recordsAfter: (position: number) => number, n: number, bounds: { from?: string; to?: string } = {}) {
  const times = ops.map((o) => Date.parse(o.ts));
  const from = bounds.from ? Date.parse(bounds.from) : Math.min(...times);
  const to = bounds.to ? Date.parse(bounds.to) : Math.max(...times);
  const width = Math.max(1, Math.ceil((to - from + 1) / n));
  const agents = [...new Set(ops.map((o) => o.agent))];
  const rows = [];
  for (let start = from; start <= to; start += width) {
    const end = Math.min(start + width, to + 1);
    const inside = ops.map((o, pos) => ({ o, pos })).filter(({ pos }) => times[pos] >= start && times[pos] < end);
    const dated = ops.map((_, pos) => pos).filter((pos) => times[pos] < end);
    const position = dated.length ? Math.max(...dated) + 1 : 0;
    const byAgent = Object.fromEntries(agents.map((a) => [String(a), inside.filter(({ o }) => o.agent === a).length]));
    rows.push({ start: new Date(start).toISOString(), end: new Date(end).toISOString(), ops: inside.length, byAgent, firstPos: inside[0]?.pos ?? null, lastPos: inside.at(-1)?.pos ?? null, position, records: recordsAfter(position) });
  }
  return rows;
}

/** The answer in the shape of `expected`: counts keyed by agent name. */
function shown(answer: TimeBuckets) {
  return answer.buckets.map((b) => ({ start: b.start, end: b.end, ops: b.ops, byAgent: Object.fromEntries(answer.agents.map((a, i) => [String(a), b.byAgent[i]])), firstPos: b.firstPos, lastPos: b.lastPos, position: b.position, records: b.records }));
}

describe("time buckets on a single-writer store (compactions, an undo, an archive)", () => {
  let dir: string;
  let states: State[];
  let ops: Line[];
  let insp: InspectorApi;
  beforeAll(async () => {
    dir = await suiteDir();
    states = (await singleWriterCompactedThenArchived.build(dir)).states;
    // Single-writer replay order: the WALs oldest first (their names carry the ms), each in line order.
    const files = (await readdir(join(dir, "ops"))).sort();
    ops = (await Promise.all(files.map((f) => walLines(dir, f)))).flat();
    insp = await openInspector(dir);
    return () => insp.close();
  });

  it("the WAL lines are the published store's whole history (the fixture's premise)", () => {
    expect(ops.length).toBe(states.length - 1);
  });

  it.each([1, 4, 7, 500])("counts every op in its time bucket and the records at each bucket's end (%i buckets)", async (n) => {
    const answer = await insp.buckets({ buckets: n });
    expect(shown(answer)).toEqual(expected(ops, (p) => states[p].size, n));
    expect(answer.buckets.reduce((s, b) => s + b.ops, 0)).toBe(ops.length);
    expect(answer.agents).toEqual([null]);
  });

  it("counts only the stretch between from and to, the state at each end still counting the ops before it", async () => {
    const from = ops[5].ts;
    const to = ops[14].ts;
    const answer = await insp.buckets({ buckets: 3, from, to });
    expect(answer.from).toBe(new Date(from).toISOString());
    expect(shown(answer)).toEqual(expected(ops, (p) => states[p].size, 3, { from, to }));
  });

  it("refuses a bucket count out of range and a bound that is no date, with a clear error", async () => {
    await expect(insp.buckets({ buckets: 0 })).rejects.toMatchObject({ code: "bad-argument", message: expect.stringContaining("buckets") });
    await expect(insp.buckets({ buckets: 10, from: "last tuesday" })).rejects.toMatchObject({ code: "bad-argument", message: expect.stringContaining("last tuesday") });
  });
});

describe("time buckets on a multi-writer store", () => {
  let ops: Line[];
  let counts: number[];
  let insp: InspectorApi;
  beforeAll(async () => {
    const dir = await suiteDir();
    const agents = { alice: await openPublishedAgent(dir, "alice"), bob: await openPublishedAgent(dir, "bob"), carol: await openPublishedAgent(dir, "carol") };
    const names = ["alice", "bob", "carol"] as const;
    const lastSet = new Map<string, string>(); // an agent deletes only what it has seen: its own last write
    for (let i = 0; i < 30; i++) {
      const name = names[(i * 7) % 3];
      const who = agents[name];
      const own = lastSet.get(name);
      if (i % 9 === 8 && own) await who.delete(own);
      else {
        await who.set(`t${i % 12}`, task(i, i % 2 ? "todo" : "done"));
        lastSet.set(name, `t${i % 12}`);
      }
      if (i % 4 === 0) await nextMs();
    }
    for (const store of Object.values(agents)) await store.close();
    // Multi-writer replay order: every agent's lines, by (clock, agent); the record count from replaying them.
    const files = (await readdir(join(dir, "ops"))).sort();
    ops = (await Promise.all(files.map((f) => walLines(dir, f)))).flat();
    ops.sort((a, b) => a.clock! - b.clock! || (a.agent! < b.agent! ? -1 : a.agent! > b.agent! ? 1 : 0));
    const alive = new Set<string>();
    counts = [0];
    for (const o of ops) {
      if (o.op === "set") alive.add(o.id);
      else alive.delete(o.id);
      counts.push(alive.size);
    }
    insp = await openInspector(dir);
    return () => insp.close();
  });

  it.each([1, 5, 1000])("counts each agent's ops per time bucket and the records at each bucket's end (%i buckets)", async (n) => {
    const answer = await insp.buckets({ buckets: n });
    expect([...answer.agents].sort()).toEqual(["alice", "bob", "carol"]);
    expect(shown(answer)).toEqual(expected(ops, (p) => counts[p], n));
  });
});
