// The charts' and the comparison's calls through the contract (dispatch ->
// session -> inspector thread), on a multi-writer store written by the
// published opslog; expectations from its raw WAL lines, replayed here.
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppData } from "../appdata.js";
import { Handlers } from "../handlers.js";
import type { DiffPage, PositionBuckets, TimeBuckets } from "../../engine/src/inspect/types.js";
import { plannerAndWorkerOnJobs } from "../../engine/test/scenarios/index.js";
import { errorOf, removeDir, tempDir, valueOf } from "./helpers.js";

type Line = { op: "set" | "delete"; id: string; agent: string; clock: number; data?: Record<string, unknown> };

let work: string;
let handlers: Handlers;
let lines: Line[];

beforeEach(async () => {
  work = await tempDir("charts-compare");
  handlers = new Handlers({ appData: new AppData(`${work}/home`), pollMs: 0 });
  const dir = (await plannerAndWorkerOnJobs.build(`${work}/multi`)).dir;
  lines = [];
  for (const name of await readdir(join(dir, "ops"))) for (const l of (await readFile(join(dir, "ops", name), "utf-8")).split("\n").filter(Boolean)) lines.push(JSON.parse(l) as Line);
  lines.sort((a, b) => a.clock - b.clock || (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0));
  await handlers.dispatch("store.open", { dir });
});
afterEach(async () => {
  await handlers.store.closeSession();
  await removeDir(work);
});

/** The records after replaying every line. */
function finalIds(): Set<string> {
  const alive = new Set<string>();
  for (const l of lines) {
    if (l.op === "set") alive.add(l.id);
    else alive.delete(l.id);
  }
  return alive;
}

describe("buckets", () => {
  it("counts every op once, by agent, and the last bucket ends at the current state", async () => {
    const answer = valueOf<TimeBuckets>(await handlers.dispatch("buckets", { buckets: 3 }));
    expect([...answer.agents].sort()).toEqual(["planner", "worker"]);
    for (const agent of ["planner", "worker"]) {
      const column = answer.agents.indexOf(agent);
      expect(answer.buckets.reduce((n, b) => n + b.byAgent[column], 0), agent).toBe(lines.filter((l) => l.agent === agent).length);
    }
    const last = answer.buckets[answer.buckets.length - 1];
    expect(last.position).toBe(lines.length);
    expect(last.records).toBe(finalIds().size);
  });

  it("refuses a bucket count out of range", async () => {
    expect(errorOf(await handlers.dispatch("buckets", { buckets: 0 })).code).toBe("bad-argument");
    expect(errorOf(await handlers.dispatch("buckets", { buckets: 5000 })).code).toBe("bad-argument");
  });
});

describe("positionBuckets", () => {
  it("counts every op once, by agent, in ranges of positions that tile the timeline, the last ending at the current state", async () => {
    const answer = valueOf<PositionBuckets>(await handlers.dispatch("positionBuckets", { buckets: 3 }));
    expect(answer.total).toBe(lines.length);
    expect(answer.buckets.map((b) => [b.firstPos, b.lastPos])).toEqual(answer.buckets.map((_, i) => [i * answer.bucketOps, Math.min((i + 1) * answer.bucketOps, lines.length) - 1]));
    for (const agent of ["planner", "worker"]) {
      const column = answer.agents.indexOf(agent);
      expect(answer.buckets.reduce((n, b) => n + b.byAgent[column], 0), agent).toBe(lines.filter((l) => l.agent === agent).length);
    }
    const last = answer.buckets[answer.buckets.length - 1];
    expect(last.position).toBe(lines.length);
    expect(last.records).toBe(finalIds().size);
  });

  it("refuses a bucket count out of range and a time bound (the position axis covers the whole timeline)", async () => {
    expect(errorOf(await handlers.dispatch("positionBuckets", { buckets: 0 })).code).toBe("bad-argument");
    expect(errorOf(await handlers.dispatch("positionBuckets", { buckets: 5000 })).code).toBe("bad-argument");
    expect(errorOf(await handlers.dispatch("positionBuckets", { buckets: 3, from: "2026-01-01T00:00:00Z" } as never)).code).toBe("bad-argument");
  });
});

describe("the diff call with filters", () => {
  it("keeps the records whose id contains the text and whose value before or after matches the query", async () => {
    const total = lines.length;
    const done = valueOf<DiffPage>(await handlers.dispatch("diff", { a: 0, b: total, offset: 0, limit: 100, filter: { state: "done" } }));
    const expected = [...new Set(lines.filter((l) => l.data?.state === "done").map((l) => l.id))].sort();
    expect(done.rows.map((r) => r.id)).toEqual(expected);
    const byId = valueOf<DiffPage>(await handlers.dispatch("diff", { a: 0, b: total, offset: 0, limit: 100, idContains: "job-1" }));
    expect(byId.rows.map((r) => r.id)).toEqual(["job-1"]);
  });

  it("refuses a filter it cannot evaluate as a bad filter", async () => {
    expect(errorOf(await handlers.dispatch("diff", { a: 0, b: 3, offset: 0, limit: 10, filter: { state: { $nosuch: 1 } } })).code).toBe("bad-filter");
  });
});
