// Reverting an op through the contract, on stores written by the published
// opslog: the preview's later ops match a replay of the raw WAL lines, "undo
// only this op's change" keeps later changes, the full revert overwrites
// them, and the published opslog reads each result back from disk.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Store } from "@backloghq/opslog";
import { AppData } from "../appdata.js";
import type { ActionResult, RevertPreview } from "../contract.js";
import { Handlers } from "../handlers.js";
import { plannerAndWorkerOnJobs, SPEC_REVISIONS, specRevisedAcrossCompaction, specRevisedByTwoAgents } from "../../engine/test/scenarios/index.js";
import { digestTree, errorOf, removeDir, tempDir, valueOf } from "./helpers.js";

type Doc = Record<string, unknown>;
let work: string;
let handlers: Handlers;

beforeEach(async () => {
  work = await tempDir("revert");
  handlers = new Handlers({ appData: new AppData(join(work, "home")), pollMs: 0 });
});
afterEach(async () => {
  await handlers.store.closeSession();
  await removeDir(work);
});

const { v1: V1, target: TARGET, latest: LATEST } = SPEC_REVISIONS;

interface RawOp { file: string; line: number; ts: string; op: string; id: string; data?: Doc; agent?: string; clock?: number }

/** Every op of the store's WALs, in replay order: single-writer WALs by name; agent WALs by (clock, agent). Lines read as they are on disk. */
async function rawTimeline(dir: string): Promise<RawOp[]> {
  const files = (await readdir(join(dir, "ops"))).filter((f) => f.endsWith(".jsonl")).sort();
  const ops: RawOp[] = [];
  for (const f of files) {
    const lines = (await readFile(join(dir, "ops", f), "utf-8")).split("\n");
    lines.forEach((text, i) => text.trim() && ops.push({ ...(JSON.parse(text) as RawOp), file: `ops/${f}`, line: i + 1 }));
  }
  if (ops.some((o) => o.clock !== undefined)) ops.sort((a, b) => a.clock! - b.clock! || (a.agent! < b.agent! ? -1 : a.agent! > b.agent! ? 1 : 0));
  return ops;
}

/** The target op's position and the later ops on doc-014, from the raw lines. */
async function expectedFromRaw(dir: string): Promise<{ pos: number; later: { pos: number; file: string; line: number; agent: string | null; op: string; ts: string }[] }> {
  const raw = await rawTimeline(dir);
  const pos = raw.findIndex((o) => o.id === "doc-014" && o.data?.tag === "x" && o.data?.n === 1);
  const later = raw.flatMap((o, p) => (p > pos && o.id === "doc-014" ? [{ pos: p, file: o.file, line: o.line, agent: o.agent ?? null, op: o.op, ts: o.ts }] : []));
  return { pos, later };
}

async function readBack(dir: string, agentId?: string): Promise<Doc | undefined> {
  const store = new Store<Doc>();
  await store.open(dir, { checkpointOnClose: false, ...(agentId ? { agentId } : {}) });
  const value = store.get("doc-014");
  await store.close();
  return value;
}

const preview = async (pos: number) => valueOf<RevertPreview>(await handlers.dispatch("actions.revertPreview", { pos }));
const later = (p: RevertPreview) => p.laterOps.map(({ pos, file, line, agent, op, ts }) => ({ pos, file, line, agent, op, ts }));

describe("the revert preview", () => {
  it("lists exactly the later ops on the record that a replay of the raw WAL lines gives (single writer, across a compaction)", async () => {
    const dir = (await specRevisedAcrossCompaction.build(join(work, "single"))).dir;
    const expected = await expectedFromRaw(dir);
    expect(expected.later).toHaveLength(8);
    valueOf(await handlers.dispatch("store.open", { dir, mode: "writer" }));
    const p = await preview(expected.pos);
    expect(p.op).toMatchObject({ id: "doc-014", data: TARGET, prev: V1 });
    expect(later(p)).toEqual(expected.later);
    expect(p.laterOpsTotal).toBe(8);
    expect(new Set(p.laterOps.map((o) => o.file)).size).toBe(2); // the compaction split them over two WALs
    expect(p.now).toEqual(LATEST);
    expect(p.afterFull).toEqual(V1);
    expect(p.afterOwnChange).toEqual({ title: "Spec v2", status: "done", owner: "ann", n: 9 });
    expect(p.fieldsChangedLater).toEqual(["status"]);
  });

  it("lists exactly the later ops of both agents, as the raw lines sorted by (clock, agent) give them", async () => {
    const dir = (await specRevisedByTwoAgents.build(join(work, "multi"))).dir;
    const expected = await expectedFromRaw(dir);
    valueOf(await handlers.dispatch("store.open", { dir, mode: "agent", agentId: "fixer" }));
    const p = await preview(expected.pos);
    expect(p.op).toMatchObject({ agent: "worker", data: TARGET });
    expect(later(p)).toEqual(expected.later);
    expect(new Set(p.laterOps.map((o) => o.agent))).toEqual(new Set(["planner", "worker"]));
  });
});

describe("undo only this op's change", () => {
  it("in writer mode reverses only the op's own fields and keeps later changes, as the published opslog reads it back", async () => {
    const dir = (await specRevisedAcrossCompaction.build(join(work, "single"))).dir;
    const { pos, later: laterOps } = await expectedFromRaw(dir);
    valueOf(await handlers.dispatch("store.open", { dir, mode: "writer" }));
    const { op } = await preview(pos);
    const result = valueOf<ActionResult>(await handlers.dispatch("actions.revert", { pos, mode: "own-change", seen: { file: op.file, line: op.line, laterOps: laterOps.length } }));
    expect(result.message).toMatch(/kept the later value of status/);
    await handlers.store.closeSession();
    // owner comes back, tag goes, status keeps the later "done"; n and title keep their later values
    expect(await readBack(dir)).toEqual({ title: "Spec v2", status: "done", owner: "ann", n: 9 });
  });

  it("in agent mode is a compensating write by the explorer's agent that wins, as the published opslog reads it back", async () => {
    const dir = (await specRevisedByTwoAgents.build(join(work, "multi"))).dir;
    const { pos } = await expectedFromRaw(dir);
    valueOf(await handlers.dispatch("store.open", { dir, mode: "agent", agentId: "fixer" }));
    valueOf(await handlers.dispatch("actions.revert", { pos, mode: "own-change" }));
    await handlers.store.closeSession();
    expect(await readBack(dir, "planner")).toEqual({ title: "Spec v2", status: "done", owner: "ann", n: 9 });
    const written = (await rawTimeline(dir)).filter((o) => o.agent === "fixer");
    expect(written.map((o) => [o.op, o.id])).toEqual([["set", "doc-014"]]);
  });

  it("on a delete recreates the record as it was, as the published opslog reads it back", async () => {
    const dir = (await plannerAndWorkerOnJobs.build(join(work, "jobs"))).dir;
    const pos = (await rawTimeline(dir)).findIndex((o) => o.op === "delete" && o.id === "job-7");
    valueOf(await handlers.dispatch("store.open", { dir, mode: "agent", agentId: "fixer" }));
    expect((await preview(pos)).afterOwnChange).toEqual({ title: "Job 7", state: "planned" });
    valueOf(await handlers.dispatch("actions.revert", { pos, mode: "own-change" }));
    await handlers.store.closeSession();
    const store = new Store<Doc>();
    await store.open(dir, { agentId: "planner", checkpointOnClose: false });
    expect(store.get("job-7")).toEqual({ title: "Job 7", state: "planned" });
    await store.close();
  });

  it("refuses on a create that later ops changed, says why, and writes nothing", async () => {
    const dir = (await specRevisedAcrossCompaction.build(join(work, "single"))).dir;
    const create = (await rawTimeline(dir)).findIndex((o) => o.id === "doc-014");
    valueOf(await handlers.dispatch("store.open", { dir, mode: "writer" }));
    const p = await preview(create);
    expect(p.ownChange.applicable).toBe(false);
    expect(p.ownChange.explanation).toMatch(/created "doc-014", and 9 later op\(s\) changed it/);
    const before = await digestTree(dir);
    expect(errorOf(await handlers.dispatch("actions.revert", { pos: create, mode: "own-change" })).code).toBe("nothing-to-undo");
    expect(await digestTree(dir)).toEqual(before);
  });
});

describe("the full revert", () => {
  it("restores the value before the op, overwriting every later change, as the published opslog reads it back", async () => {
    const dir = (await specRevisedAcrossCompaction.build(join(work, "single"))).dir;
    const { pos } = await expectedFromRaw(dir);
    valueOf(await handlers.dispatch("store.open", { dir, mode: "writer" }));
    const result = valueOf<ActionResult>(await handlers.dispatch("actions.revert", { pos, mode: "full" }));
    expect(result.message).toMatch(/overwriting 8 later op\(s\)/);
    await handlers.store.closeSession();
    expect(await readBack(dir)).toEqual(V1);
  });

  it("refuses when the record changed after the preview, and writes nothing", async () => {
    const dir = (await specRevisedByTwoAgents.build(join(work, "multi"))).dir;
    const { pos } = await expectedFromRaw(dir);
    valueOf(await handlers.dispatch("store.open", { dir, mode: "agent", agentId: "fixer" }));
    const p = await preview(pos);
    const planner = new Store<Doc>();
    await planner.open(dir, { agentId: "planner", checkpointOnClose: false });
    await planner.set("doc-014", { ...LATEST, n: 10 });
    await planner.close();
    const before = await digestTree(dir);
    const error = errorOf(await handlers.dispatch("actions.revert", { pos, mode: "full", seen: { file: p.op.file, line: p.op.line, laterOps: p.laterOpsTotal } }));
    expect(error.code).toBe("changed-on-disk");
    expect(error.message).toMatch(/9 later op\(s\) now, 8 when you looked/);
    expect(await digestTree(dir)).toEqual(before);
  });
});
