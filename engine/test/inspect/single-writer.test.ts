import { beforeAll, describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import type { InspectorApi } from "../../src/inspect/index.js";
import { singleWriterCompactedThenArchived } from "../scenarios/index.js";
import type { FactsOf, State } from "../scenarios/index.js";
import { publishedState, suiteDir } from "./fixtures.js";

const ALL = { offset: 0, limit: 100_000 };

function asEntries(state: State): [string, unknown][] {
  return [...state].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

describe("inspector on a single-writer store written by the published opslog", () => {
  let dir: string;
  let store: FactsOf<typeof singleWriterCompactedThenArchived>;
  let states: State[];
  let insp: InspectorApi;

  beforeAll(async () => {
    dir = await suiteDir();
    store = await singleWriterCompactedThenArchived.build(dir);
    states = store.states;
    insp = await openInspector(dir);
  });

  it("the current records equal the published Store's own state", async () => {
    const rows = (await insp.records(ALL)).rows.map((r) => [r.id, r.data]);
    expect(rows).toEqual(await publishedState(dir));
  });

  it("the timeline reaches back to creation through every compaction, each link verified", async () => {
    const info = await insp.timelineInfo();
    expect(info.links.length).toBe(store.snapshots.length);
    expect(info.total).toBe(states.length - 1);
    expect(info.links.slice(0, -1).every((l) => l.verified === "ok")).toBe(true);
    expect(info.links.at(-1)!.verified).toBe("live");
    for (let i = 1; i < info.links.length; i++) expect(info.links[i].startPos).toBe(info.links[i - 1].endPos);
  });

  it("the state at every position equals the state the writer had after that many ops", async () => {
    const { total } = await insp.timelineInfo();
    for (let at = 0; at <= total; at++) {
      const rows = (await insp.records({ ...ALL, at })).rows.map((r) => [r.id, r.data]);
      expect(rows, `state at ${at}`).toEqual(asEntries(states[at]));
    }
  });

  it("every op comes with its file, line and byte offset, and prev resolved from delta encoding", async () => {
    const ops = (await insp.ops(ALL)).rows;
    expect(ops.some((op) => op.encoding === "delta")).toBe(true);
    for (const op of ops) {
      expect(op.file).toMatch(/^ops\/ops-\d+\.jsonl$/);
      const raw = store.walLines.find((l) => l.file === op.file && l.line === op.line);
      expect(raw, `op ${op.pos} at ${op.file}:${op.line}`).toMatchObject({ offset: op.offset, op: { op: op.op, id: op.id, ts: op.ts } });
      const before = states[op.pos].get(op.id) ?? null;
      expect(op.prev, `prev of op ${op.pos}`).toEqual(before);
    }
    const byFile = new Map<string, number[]>();
    for (const op of ops) byFile.set(op.file, [...(byFile.get(op.file) ?? []), op.line]);
    for (const lines of byFile.values()) expect(lines).toEqual(lines.map((_, i) => i + 1));
  });

  it("filters ops by id, op and a mingo query", async () => {
    const all = (await insp.ops(ALL)).rows;
    const t0 = await insp.ops({ ...ALL, id: "t0" });
    expect(t0.rows.map((o) => o.pos)).toEqual(all.filter((o) => o.id === "t0").map((o) => o.pos));
    const deletes = await insp.ops({ ...ALL, op: "delete" });
    expect(deletes.rows.map((o) => o.id)).toEqual(store.deletedIds);
    const done = await insp.ops({ ...ALL, filter: { "data.status": "done" } });
    expect(done.total).toBe(all.filter((o) => o.data?.status === "done").length);
    expect(done.total).toBeGreaterThan(0);
  });

  it("pages records with a filter and a sort at a past position", async () => {
    const at = Math.floor(states.length / 2);
    const expected = asEntries(states[at]).filter(([, v]) => (v as { status: string }).status === "todo");
    const page = await insp.records({ at, offset: 1, limit: 2, filter: { status: "todo" }, sort: { field: "n", dir: -1 } });
    expect(page.total).toBe(expected.length);
    const byN = expected.map(([id, v]) => [id, v] as [string, { n: number }]).sort((a, b) => b[1].n - a[1].n);
    expect(page.rows.map((r) => r.id)).toEqual(byN.slice(1, 3).map(([id]) => id));
  });

  it("diff between two positions lists exactly the ids whose values differ", async () => {
    const { total } = await insp.timelineInfo();
    for (const [a, b] of [[0, total], [3, 11], [total, 5]]) {
      const d = await insp.diff({ a, b, ...ALL });
      const ids = new Set([...states[a].keys(), ...states[b].keys()]);
      const expected = [...ids].filter((id) => JSON.stringify(states[a].get(id)) !== JSON.stringify(states[b].get(id))).sort();
      expect(d.rows.map((r) => r.id)).toEqual(expected);
      for (const row of d.rows) {
        expect(row.before).toEqual(states[a].get(row.id) ?? null);
        expect(row.after).toEqual(states[b].get(row.id) ?? null);
      }
    }
  });

  it("a record's history lists every op on it with before and after", async () => {
    const history = await insp.recordHistory({ id: "t1" });
    const ops = (await insp.ops({ ...ALL, id: "t1" })).rows;
    expect(history.map((h) => h.pos)).toEqual(ops.map((o) => o.pos));
    for (const h of history) {
      expect(h.before).toEqual(states[h.pos].get("t1") ?? null);
      expect(h.after).toEqual(states[h.pos + 1].get("t1") ?? null);
    }
  });

  it("lists the archive segment with the archived records", async () => {
    const segments = await insp.archiveSegments();
    expect(segments.map((s) => s.path)).toEqual([store.archive.segment]);
    const page = await insp.archivePage({ path: segments[0].path, offset: 0, limit: 50 });
    expect(page.total).toBeGreaterThan(0);
    expect(page.rows.map((r) => r.id).sort()).toEqual(store.archive.ids);
    expect(page.rows.every((r) => r.data.status === "done")).toBe(true);
  });

  it("calls the store single-writer, and its one named WAL lane is the live one", async () => {
    const summary = await insp.summary();
    expect(summary.kind).toBe("single-writer");
    expect(summary.counts.records).toBe(states.at(-1)!.size);
    expect(summary.lanes.filter((l) => l.named).length).toBe(1);
    expect(summary.warnings.filter((w) => w.severity !== "info")).toEqual([]);
  });

  it("posAtTime finds the last op at or before a time", async () => {
    const ops = (await insp.ops(ALL)).rows;
    const mid = ops[Math.floor(ops.length / 2)];
    expect(await insp.posAtTime({ ts: mid.ts })).toBe(mid.pos + 1);
    expect(await insp.posAtTime({ ts: "2000-01-01T00:00:00.000Z" })).toBe(0);
  });
});
