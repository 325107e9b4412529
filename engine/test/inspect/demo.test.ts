import { cp, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildDemoStore } from "../../src/demo.js";
import { openInspector } from "../../src/inspect/index.js";
import type { InspectorApi } from "../../src/inspect/index.js";
import { hashTree } from "../helpers/tmp.js";
import { publishedState, suiteDir } from "./fixtures.js";

const ALL = { offset: 0, limit: 100_000 };

describe("the demo store", () => {
  let dir: string;
  let insp: InspectorApi;

  beforeAll(async () => {
    dir = await suiteDir();
    await buildDemoStore(dir, { seed: 7 });
    insp = await openInspector(dir);
  });

  it("is the same, byte for byte, for the same seed, and differs for another", async () => {
    const again = await suiteDir();
    await buildDemoStore(again, { seed: 7 });
    expect(await hashTree(again)).toEqual(await hashTree(dir));
    const other = await suiteDir();
    await buildDemoStore(other, { seed: 8 });
    expect(await hashTree(other)).not.toEqual(await hashTree(dir));
  });

  it("the published opslog opens it read-only with the inspector's current state", async () => {
    const rows = (await insp.records(ALL)).rows.map((r) => [r.id, r.data]);
    expect(rows.length).toBeGreaterThan(5);
    expect(await publishedState(dir)).toEqual(rows);
  });

  it("the published opslog opens a copy as a new agent with the inspector's current state", async () => {
    const copy = await suiteDir();
    await cp(dir, copy, { recursive: true });
    const rows = (await insp.records(ALL)).rows.map((r) => [r.id, r.data]);
    expect(await publishedState(copy, "newcomer")).toEqual(rows);
  });

  it("has several agents, a few hundred ops, delta updates and a verified chain of 3+ compactions", async () => {
    const s = await insp.summary();
    expect(s.kind).toBe("multi-writer");
    expect(s.agents.length).toBeGreaterThanOrEqual(3);
    expect(s.counts.timelineOps).toBeGreaterThanOrEqual(300);
    expect(s.counts.timelineOps).toBeLessThanOrEqual(800);
    const info = await insp.timelineInfo();
    expect(info.links.length).toBeGreaterThanOrEqual(4);
    expect(info.links.slice(0, -1).map((l) => l.verified)).toEqual(info.links.slice(0, -1).map(() => "ok"));
    expect(info.links[0].snapshot).not.toBeNull();
    const ops = (await insp.ops(ALL)).rows;
    expect(ops.filter((o) => o.encoding === "delta").length).toBeGreaterThan(10);
    expect(ops.filter((o) => o.encoding === "full" && o.prev !== null).length).toBeGreaterThan(0);
  });

  it("shows conflicts, lost writes and an archive segment", async () => {
    const s = await insp.summary();
    expect(s.counts.conflicts).toBeGreaterThan(0);
    expect(s.counts.lostWrites).toBeGreaterThan(0);
    expect(s.archiveSegments.length).toBe(1);
    expect(s.archiveSegments[0].records).toBeGreaterThan(0);
    const conflict = (await insp.conflicts({ offset: 0, limit: 1 })).rows[0];
    expect(conflict.winner.agent).not.toBe(conflict.losers[0].agent);
  });

  it("keeps snapshots of all three generations: compact JSON, pretty JSON and JSONL", async () => {
    const names = (await readdir(join(dir, "snapshots"))).sort();
    const firstLines = await Promise.all(names.map(async (n) => (await readFile(join(dir, "snapshots", n), "utf-8")).split("\n")[0]));
    expect(firstLines.some((l) => l.startsWith('{"version":1') && l.includes('"records"'))).toBe(true);
    expect(firstLines.some((l) => l === "{")).toBe(true);
    expect(names.some((n) => n.endsWith(".jsonl"))).toBe(true);
  });

  it("every state along the timeline equals a naive replay of its ops from each snapshot file", async () => {
    const info = await insp.timelineInfo();
    const ops = (await insp.ops(ALL)).rows;
    let state = new Map<string, unknown>();
    for (let at = 0; at <= info.total; at++) {
      if (at > 0) {
        const op = ops[at - 1];
        if (op.op === "set") state.set(op.id, op.data);
        else state.delete(op.id);
      }
      // At a link boundary the timeline continues from the next snapshot, as opslog does.
      const link = info.links.find((l) => l.startPos === at && l.snapshot !== null);
      if (link) state = await readSnapshot(join(dir, link.snapshot!));
      const rows = (await insp.records({ at, ...ALL })).rows.map((r) => [r.id, r.data]);
      expect(rows, `state at ${at}`).toEqual([...state].sort(([a], [b]) => (a < b ? -1 : 1)));
    }
  });
});

/** Either snapshot generation, read naively. */
async function readSnapshot(path: string): Promise<Map<string, unknown>> {
  const text = await readFile(path, "utf-8");
  const first = text.split("\n")[0];
  if (first === "{" || first.includes('"records"')) return new Map(Object.entries((JSON.parse(text) as { records: Record<string, unknown> }).records));
  const lines = text.split("\n").slice(1).filter((l) => l.trim());
  return new Map(lines.map((l) => JSON.parse(l) as { id: string; data: unknown }).map((r) => [r.id, r.data]));
}
