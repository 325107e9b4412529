// The Timeline chart's buckets by position (the positionBuckets query): n
// equal ranges of timeline positions, on stores written by the published
// opslog. Expectations: the timeline's ops, their times and agents from the
// raw WAL lines in opslog's order (scenarios/timeline.ts), the record counts
// from the published Store's own state after each write or from replaying
// those lines: never from the inspector.
import { beforeAll, describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import type { InspectorApi, PositionBuckets } from "../../src/inspect/index.js";
import { singleWriterCompactedThenArchived, threeAgentsReviewTasks } from "../scenarios/index.js";
import type { RawOp } from "../scenarios/index.js";
import { rawTimeline } from "../scenarios/timeline.js";
import { suiteDir } from "./fixtures.js";

/** The expected answer, counted the plain way: ranges of ceil(total / n) ops, each with its ops by agent, its first and last op's time, and the records after it. */
function expected(ops: RawOp[], recordsAfter: (position: number) => number, n: number) {
  const width = Math.ceil(ops.length / n);
  const agents = [...new Set(ops.map((o) => o.agent ?? null))].sort((a, b) => ((a ?? "") < (b ?? "") ? -1 : 1));
  const rows = [];
  for (let first = 0; first < ops.length; first += width) {
    const inside = ops.slice(first, first + width);
    const last = first + inside.length - 1;
    const byAgent = Object.fromEntries(agents.map((a) => [String(a), inside.filter((o) => (o.agent ?? null) === a).length]));
    rows.push({ firstPos: first, lastPos: last, firstTime: new Date(ops[first].ts).toISOString(), lastTime: new Date(ops[last].ts).toISOString(), ops: inside.length, byAgent, position: last + 1, records: recordsAfter(last + 1) });
  }
  return rows;
}

/** The answer in the shape of `expected`: counts keyed by agent name. */
function shown(answer: PositionBuckets) {
  return answer.buckets.map((b) => ({ firstPos: b.firstPos, lastPos: b.lastPos, firstTime: b.firstTime, lastTime: b.lastTime, ops: b.ops, byAgent: Object.fromEntries(answer.agents.map((a, i) => [String(a), b.byAgent[i]])), position: b.position, records: b.records }));
}

describe("position buckets on a single-writer store (compactions, an undo, an archive)", () => {
  let ops: RawOp[];
  let records: number[];
  let insp: InspectorApi;
  beforeAll(async () => {
    const dir = await suiteDir();
    const store = await singleWriterCompactedThenArchived.build(dir);
    ops = (await rawTimeline(store)).ops.map((o) => o.op);
    records = store.states.map((s) => s.size);
    insp = await openInspector(dir);
    return () => insp.close();
  });

  it("the raw timeline is the published store's whole history (the fixture's premise)", () => {
    expect(ops.length).toBe(records.length - 1);
  });

  it.each([1, 4, 7, 500])("counts the ops of each equal range of positions, its first and last op's time, and the records after it (%i buckets)", async (n) => {
    const answer = await insp.positionBuckets({ buckets: n });
    expect(shown(answer)).toEqual(expected(ops, (p) => records[p], n));
    expect(answer.total).toBe(ops.length);
    expect(answer.bucketOps).toBe(Math.ceil(ops.length / n));
    expect(answer.agents).toEqual([null]);
    expect(answer.undated).toBe(0);
  });

  it("refuses a bucket count out of range, with a clear error", async () => {
    await expect(insp.positionBuckets({ buckets: 0 })).rejects.toMatchObject({ code: "bad-argument", message: expect.stringContaining("buckets") });
    await expect(insp.positionBuckets({ buckets: 2.5 })).rejects.toMatchObject({ code: "bad-argument", message: expect.stringContaining("2.5") });
  });
});

describe("position buckets on a multi-writer store", () => {
  let ops: RawOp[];
  let records: number[];
  let insp: InspectorApi;
  beforeAll(async () => {
    const dir = await suiteDir();
    const store = await threeAgentsReviewTasks.build(dir);
    ops = (await rawTimeline(store)).ops.map((o) => o.op);
    // No compaction: the records after each position, replayed from the raw lines.
    const alive = new Set<string>();
    records = [0];
    for (const o of ops) {
      if (o.op === "set") alive.add(o.id);
      else alive.delete(o.id);
      records.push(alive.size);
    }
    insp = await openInspector(dir);
    return () => insp.close();
  });

  it.each([1, 4, 6, 1000])("counts each agent's ops per range of positions in (clock, agent) order, and the records after each range (%i buckets)", async (n) => {
    const answer = await insp.positionBuckets({ buckets: n });
    expect(answer.agents).toEqual(["planner", "reviewer", "worker"]);
    expect(shown(answer)).toEqual(expected(ops, (p) => records[p], n));
  });
});
