import { cp, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import type { Doc, InspectorApi } from "../../src/inspect/index.js";
import { threeAgentsConflictThenLostWrites, walLinesOf } from "../scenarios/index.js";
import type { FactsOf } from "../scenarios/index.js";
import { publishedState, suiteDir } from "./fixtures.js";

const ALL = { offset: 0, limit: 100_000 };
type RawOp = { ts: string; op: string; id: string; data?: Doc; agent: string; clock: number };

async function readJsonLines(path: string): Promise<unknown[]> {
  return (await readFile(path, "utf-8")).split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);
}

/** opslog's order, written out here independently: clock, then agent by localeCompare. */
/** A WAL's ops, from its raw lines. */
async function walOps(dir: string, file: string): Promise<RawOp[]> {
  return (await walLinesOf(dir, file)).map((l) => l.op as RawOp);
}

function replayOrder(ops: RawOp[]): RawOp[] {
  return [...ops].sort((a, b) => a.clock - b.clock || a.agent.localeCompare(b.agent));
}

/** Naive replay of the whole history: every state, from creation to now. */
async function naiveStates(dir: string): Promise<Map<string, Doc>[]> {
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { currentSnapshot: string; activeAgentOps: Record<string, string> };
  const named = new Set(Object.values(manifest.activeAgentOps));
  const [header, ...lines] = (await readJsonLines(join(dir, manifest.currentSnapshot))) as [{ timestamp: string }, ...{ id: string; data: Doc }[]];
  const retired: RawOp[] = [];
  const live: RawOp[] = [];
  for (const name of await readdir(join(dir, "ops"))) {
    const ops = await walOps(dir, `ops/${name}`);
    if (named.has(`ops/${name}`)) live.push(...ops);
    else retired.push(...ops.filter((op) => op.ts <= header.timestamp));
  }
  const states = [new Map<string, Doc>()];
  const apply = (op: RawOp) => {
    const next = new Map(states.at(-1)!);
    if (op.op === "set") next.set(op.id, op.data!);
    else next.delete(op.id);
    states.push(next);
  };
  replayOrder(retired).forEach(apply);
  states[states.length - 1] = new Map(lines.map((l) => [l.id, l.data]));
  replayOrder(live).forEach(apply);
  return states;
}

describe("inspector on a multi-writer store written by the published opslog", () => {
  let dir: string;
  let store: FactsOf<typeof threeAgentsConflictThenLostWrites>;
  let insp: InspectorApi;

  beforeAll(async () => {
    dir = await suiteDir();
    store = await threeAgentsConflictThenLostWrites.build(dir);
    insp = await openInspector(dir);
  });

  it("the current records equal what the published Store sees when it opens a copy as an agent", async () => {
    const copy = await suiteDir();
    await cp(dir, copy, { recursive: true });
    const rows = (await insp.records(ALL)).rows.map((r) => [r.id, r.data]);
    expect(rows).toEqual(await publishedState(copy, "observer"));
  });

  it("orders ops by (clock, agent) and every state matches a naive replay", async () => {
    const expected = await naiveStates(dir);
    const { total } = await insp.timelineInfo();
    expect(total).toBe(expected.length - 1);
    const ops = (await insp.ops(ALL)).rows;
    for (let i = 1; i < ops.length; i++) {
      if (ops[i].epoch !== ops[i - 1].epoch) continue;
      const [a, b] = [ops[i - 1], ops[i]];
      expect(a.clock! < b.clock! || (a.clock === b.clock && a.agent!.localeCompare(b.agent!) <= 0)).toBe(true);
    }
    for (let at = 0; at <= total; at++) {
      const rows = (await insp.records({ ...ALL, at })).rows.map((r) => [r.id, r.data]);
      expect(rows, `state at ${at}`).toEqual([...expected[at]].sort(([x], [y]) => (x < y ? -1 : 1)));
    }
  });

  it("finds the conflict: bob overwrote alice's write to k1 without having seen it", async () => {
    const conflicts = await insp.conflicts(ALL);
    expect(conflicts.total).toBe(1);
    const [c] = conflicts.rows;
    expect(c.id).toBe(store.conflict.id);
    expect(c.winner.agent).toBe(store.conflict.winner);
    expect(c.losers.map((l) => l.agent)).toEqual([store.conflict.loser]);
    expect(c.losers[0].pos!).toBeLessThan(c.winner.pos!);
    expect(c.explanation).toContain("bob");
    expect(c.explanation).toContain("alice");
  });

  it("asked by an op's position, lists only the conflicts that op is in: bob's winning write and alice's overridden one each name it; other ops none", async () => {
    const [c] = (await insp.conflicts(ALL)).rows;
    for (const pos of [c.winner.pos!, c.losers[0].pos!]) expect((await insp.conflicts({ ...ALL, pos })).rows).toEqual([c]);
    const ops = (await insp.ops(ALL)).rows;
    const bystander = ops.find((o) => o.id !== store.conflict.id)!;
    expect(await insp.conflicts({ ...ALL, pos: bystander.pos })).toMatchObject({ rows: [], total: 0 });
    // The overridden op, found here from the raw ops: alice's write to the conflicted key
    const alice = ops.filter((o) => o.id === store.conflict.id && o.agent === store.conflict.loser).at(-1)!;
    expect(c.losers[0].pos).toBe(alice.pos);
  });

  it("reports bob's writes to his retired WAL as lost writes, with file and line", async () => {
    const lost = await insp.lostWrites(ALL);
    expect(lost.rows.map((w) => w.id)).toEqual(store.lostWrites.ids);
    expect(store.retiredWals).toContain(lost.rows[0].file);
    const lines = await walLinesOf(dir, lost.rows[0].file);
    for (const w of lost.rows) expect(lines[w.line - 1].op).toMatchObject({ id: w.id, agent: store.lostWrites.agent });
    const lane = (await insp.lanes()).find((l) => l.path === lost.rows[0].file)!;
    expect(lane).toMatchObject({ agent: store.lostWrites.agent, named: false, lostOps: store.lostWrites.ids.length });
  });

  it("lists one lane per WAL file with agent, naming, clock range and op count", async () => {
    const lanes = await insp.lanes();
    const files = await readdir(join(dir, "ops"));
    expect(lanes.map((l) => l.path).sort()).toEqual(files.map((f) => `ops/${f}`).sort());
    for (const lane of lanes) {
      const ops = await walOps(dir, lane.path);
      expect(lane.ops).toBe(ops.length);
      if (ops.length > 0) expect(lane.clockRange).toEqual([Math.min(...ops.map((o) => o.clock)), Math.max(...ops.map((o) => o.clock))]);
      const page = await insp.laneOps({ path: lane.path, offset: 0, limit: 100 });
      expect(page.rows.map((o) => o.id)).toEqual(ops.map((o) => o.id));
    }
  });

  it("summarises the store as multi-writer with its agents, conflicts and lost writes", async () => {
    const s = await insp.summary();
    expect(s.kind).toBe("multi-writer");
    expect(s.agents).toEqual(store.agents);
    expect(s.counts).toMatchObject({ conflicts: 1, lostWrites: store.lostWrites.ids.length });
    expect(s.warnings.some((w) => w.code === "lost-writes")).toBe(true);
    const info = await insp.timelineInfo();
    expect(info.links.map((l) => l.verified)).toEqual(["ok", "live"]);
  });

  it("filters ops by agent", async () => {
    const carol = await insp.ops({ ...ALL, agent: "carol" });
    expect(carol.total).toBe(store.walLines.filter((l) => l.op?.agent === "carol").length);
    expect(carol.total).toBe(3);
    expect(carol.rows.every((o) => o.agent === "carol")).toBe(true);
  });
});
