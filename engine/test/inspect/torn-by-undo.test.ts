// Lines torn by the published opslog's undo (non-ASCII text, truncation at a
// character index): opslog skips the whole physical line, including the op
// appended onto the fragment. The inspector's records, counts and timeline
// must be what the published opslog reads (its own API, opened read-only),
// and each appended op is a lost write of its own kind, whose text, place
// and writer come from the raw WAL bytes (scenarios/torn-by-undo.ts).
import { Store as Published } from "@backloghq/opslog";
import { describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import { tornByUndoManyUndos, tornByUndoShortFragment } from "../scenarios/index.js";
import type { TornLine } from "../scenarios/index.js";
import { suiteDir } from "./fixtures.js";

const ALL = { offset: 0, limit: 100_000 };

/** What the published opslog reads: its ops since the last compaction, and its records, by id. */
async function publishedReading(dir: string): Promise<{ ops: { op: string; id: string; ts: string }[]; records: [string, unknown][] }> {
  const store = new Published<Record<string, unknown>>();
  await store.open(dir, { readOnly: true });
  try {
    const ops = store.getOps().map((o) => ({ op: o.op, id: o.id, ts: o.ts }));
    const records = store.entries().sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { ops, records };
  } finally {
    await store.close();
  }
}

const STORES = [
  { name: "short fragment ('{\"t')", build: (dir: string) => tornByUndoShortFragment.build(dir), parallel: "never" as const },
  { name: "short fragment, read by the worker", build: (dir: string) => tornByUndoShortFragment.build(dir), parallel: "always" as const },
  { name: "many undos", build: (dir: string) => tornByUndoManyUndos.build(dir), parallel: "never" as const },
  { name: "many undos, read by the worker", build: (dir: string) => tornByUndoManyUndos.build(dir), parallel: "always" as const },
];

describe.each(STORES)("a WAL torn by the published opslog's undo ($name)", ({ build, parallel }) => {
  it("shows the records, the op count and the timeline the published opslog reads, never replaying an op appended onto a torn line", async () => {
    const dir = await suiteDir();
    const store = await build(dir);
    expect(store.torn.length).toBeGreaterThan(0); // the store is torn as built
    const published = await publishedReading(dir);
    const insp = await openInspector(dir, { parallel });
    try {
      expect((await insp.timelineInfo()).total).toBe(published.ops.length);
      expect((await insp.ops(ALL)).rows.map((o) => ({ op: o.op, id: o.id, ts: o.ts }))).toEqual(published.ops);
      const records = (await insp.records(ALL)).rows.map((r) => [r.id, r.data]);
      expect(records).toEqual(published.records);
      expect((await insp.summary()).counts.records).toBe(published.records.length);
    } finally {
      await insp.close();
    }
  });

  it("lists each op appended onto a torn line as a lost write torn by undo, with its text, place and writer", async () => {
    const dir = await suiteDir();
    const store = await build(dir);
    const insp = await openInspector(dir, { parallel });
    try {
      const lost = await insp.lostWrites(ALL);
      const torn = lost.rows.filter((r) => r.reason === "torn-by-undo");
      const shape = (t: TornLine) => ({ file: t.file, line: t.line, offset: t.offset, ts: t.op.ts, op: t.op.op, id: t.op.id, data: t.op.data ?? null, agent: t.op.agent ?? null, pos: null });
      expect(torn.map((r) => ({ file: r.file, line: r.line, offset: r.offset, ts: r.ts, op: r.op, id: r.id, data: r.data, agent: r.agent, pos: r.pos }))).toEqual(store.torn.map(shape));
      for (const r of torn) expect(r.explanation.startsWith("Torn by opslog's undo: its writer believes it saved")).toBe(true);
      expect(lost.total).toBe(store.torn.length); // nothing else is lost in these stores
      const summary = await insp.summary();
      expect(summary.counts.lostWrites).toBe(store.torn.length);
      expect(summary.lanes.reduce((n, l) => n + l.lostOps, 0)).toBe(store.torn.length);
    } finally {
      await insp.close();
    }
  });
});

describe("a line torn by the published opslog's undo while the inspector follows the store", () => {
  it("never replays the op appended onto it, and lists it as a lost write torn by undo, as a fresh open does", async () => {
    const dir = await suiteDir();
    const writer = new Published<Record<string, unknown>>();
    await writer.open(dir, { checkpointOnClose: false });
    await writer.set("a", { title: "café ☕" });
    await writer.set("b", { title: "bee" });
    const insp = await openInspector(dir);
    try {
      await writer.undo();
      await insp.refresh();
      await writer.set("c", { title: "sea" });
      await writer.close();
      await insp.refresh();
      const published = await publishedReading(dir);
      expect(published.ops).toHaveLength(0); // opslog skips the torn line, a's remains and c alike
      expect((await insp.timelineInfo()).total).toBe(published.ops.length);
      expect(await insp.record({ id: "c" })).toBeNull();
      const lost = await insp.lostWrites(ALL);
      expect(lost.rows.map((r) => [r.reason, r.op, r.id, r.data])).toEqual([["torn-by-undo", "set", "c", { title: "sea" }]]);
    } finally {
      await insp.close();
    }
  });
});
