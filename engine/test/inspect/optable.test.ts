// The op index packs each op into nine 32-bit words and a lane's entries into
// runs: every field must come back exactly as it went in, at the edges of
// the packing too, before and after the build trims its lists.
import { describe, expect, it } from "vitest";
import { EntryRuns } from "../../src/inspect/entry-runs.js";
import { IntList, OpTable } from "../../src/inspect/optable.js";
import type { OpFields } from "../../src/inspect/optable.js";

const base: OpFields = { fileIdx: 0, line: 1, offset: 0, length: 10, ts: "", tsMs: Date.UTC(2026, 0, 5), clock: 1, op: "set", encoding: "full" };

/** Ops at the packing's edges, each with the agent and record it is added with. */
const edges: { op: OpFields; agent: number; rec: number }[] = [
  { op: base, agent: 0, rec: 0 },
  { op: { ...base, offset: 2 ** 32 - 1, length: 2 ** 31 - 1, line: 2 ** 31 - 1 }, agent: 1, rec: 1 },
  { op: { ...base, offset: 2 ** 32 + 17, fileIdx: 3 }, agent: 2, rec: 2 },
  { op: { ...base, offset: 255 * 2 ** 32 + 12345, fileIdx: (1 << 22) - 1 }, agent: (1 << 20) - 1, rec: 3 },
  { op: { ...base, tsMs: Date.UTC(1969, 11, 31, 23, 59, 59, 999), op: "delete", encoding: "delta" }, agent: 0, rec: 4 },
  { op: { ...base, tsMs: Date.UTC(1500, 0, 1) }, agent: 0, rec: 5 },
  { op: { ...base, tsMs: Date.UTC(2300, 0, 1), encoding: "delta" }, agent: 0, rec: 6 },
  { op: { ...base, tsMs: NaN, ts: "yesterday" }, agent: 0, rec: 7 },
  { op: { ...base, tsMs: NaN, ts: "2026-01-05T08:00:00+02:00" }, agent: 0, rec: 8 },
  { op: { ...base, clock: null }, agent: 0, rec: 9 },
  { op: { ...base, clock: 2 ** 31 - 1 }, agent: 0, rec: 10 },
  { op: { ...base, clock: 2 ** 40 }, agent: 0, rec: 11 },
  { op: { ...base, clock: 0 }, agent: 0, rec: 2 ** 31 - 1 },
];

function expectFields(table: OpTable, e: number, { op, agent, rec }: (typeof edges)[number]): void {
  const ms = Number.isNaN(op.tsMs) ? Date.parse(op.ts) : op.tsMs;
  expect({ fileIdx: table.fileIdx(e), line: table.line(e), offset: table.offset(e), length: table.length_(e), tsMs: table.tsMs(e), clock: table.clock(e), op: table.op(e), encoding: table.encoding(e), agent: table.agent(e), rec: table.rec(e) }, `entry ${e}`).toEqual({
    fileIdx: op.fileIdx, line: op.line, offset: op.offset, length: op.length, tsMs: ms, clock: op.clock, op: op.op, encoding: op.encoding, agent, rec,
  });
  expect(table.ts(e)).toBe(Number.isNaN(op.tsMs) ? op.ts : new Date(op.tsMs).toISOString());
}

describe("the packed op index", () => {
  it("gives back every field as added: offsets past 4 GiB, times before 1970 or past 2248 or unparsable, no clock or a huge one", () => {
    const table = new OpTable();
    for (const { op, agent, rec } of edges) table.add(op, agent, rec);
    edges.forEach((edge, e) => expectFields(table, e, edge));
  });

  it("says clearly when a store is beyond what it packs, instead of keeping a wrong field", () => {
    const table = new OpTable();
    expect(() => table.add({ ...base, offset: 256 * 2 ** 32 }, 0, 0)).toThrow(/larger than 256 x 4 GiB/);
    expect(() => table.add({ ...base, fileIdx: 1 << 22 }, 0, 0)).toThrow(/WAL files/);
    expect(() => table.add(base, 1 << 20, 0)).toThrow(/agents/);
  });

  it("tells each op's epoch from its timeline position, and -1 for an op not replayed", () => {
    const table = new OpTable();
    for (let i = 0; i < 10; i++) table.add(base, 0, i);
    const epochs = [0, 0, 2, 2, 2, 3, 5, 5];
    epochs.forEach((epoch, pos) => table.place(9 - pos, pos, epoch));
    epochs.forEach((epoch, pos) => expect(table.epoch(9 - pos), `position ${pos}`).toBe(epoch));
    expect([table.pos(1), table.epoch(1), table.pos(0), table.epoch(0)]).toEqual([-1, -1, -1, -1]);
  });

  it("holds a million ops in 36 bytes each once trimmed, and grows again for ops added after the trim", () => {
    const table = new OpTable();
    const n = 1_000_000;
    for (let i = 0; i < n; i++) table.add({ ...base, offset: i * 100, line: i + 1, clock: i }, i & 3, i % 1000);
    table.trim();
    expect(table.bytes).toBe(36 * n);
    for (const { op, agent, rec } of edges) table.add(op, agent, rec);
    edges.forEach((edge, i) => expectFields(table, n + i, edge));
    expect([table.offset(n - 1), table.line(n - 1), table.clock(n - 1), table.agent(n - 1), table.rec(n - 1)]).toEqual([(n - 1) * 100, n, n - 1, (n - 1) & 3, (n - 1) % 1000]);
  });

  it("IntList: trimmed to its length, it reads the same and takes pushes again", () => {
    const list = new IntList();
    for (let i = 0; i < 70_000; i++) list.push(i * 3);
    list.trim();
    expect(list.bytes).toBe(4 * 70_000);
    for (let i = 70_000; i < 140_000; i++) list.push(i * 3);
    for (let i = 0; i < 140_000; i += 997) expect(list.get(i)).toBe(i * 3);
    expect(list.last()).toBe(139_999 * 3);
  });
});

describe("a lane's entries as runs", () => {
  it("read back as the plain list, in order and at random, while pushed to and after a trim", () => {
    // Three lanes' chunks interleaved, as the build adds them, with the odd single entry between.
    const lanes = [new EntryRuns(), new EntryRuns(), new EntryRuns()];
    const plain: number[][] = [[], [], []];
    let entry = 0;
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let chunk = 0; chunk < 400; chunk++) {
      const lane = Math.floor(random() * 3);
      const size = random() < 0.1 ? 1 : Math.floor(random() * 500);
      for (let i = 0; i < size; i++, entry++) {
        lanes[lane].push(entry);
        plain[lane].push(entry);
      }
      if (chunk === 200) lanes.forEach((l) => l.trim());
    }
    lanes.forEach((runs, k) => {
      expect(runs.length).toBe(plain[k].length);
      expect(Array.from({ length: runs.length }, (_, i) => runs.get(i))).toEqual(plain[k]);
      for (let t = 0; t < 200; t++) {
        const i = Math.floor(random() * runs.length);
        expect(runs.get(i)).toBe(plain[k][i]);
      }
    });
  });

  it("keeps a lane added in chunks in far fewer bytes than 4 per entry", () => {
    const runs = new EntryRuns();
    for (let e = 0; e < 1_000_000; e++) if (Math.floor(e / 250) % 4 === 0) runs.push(e);
    runs.trim();
    expect(runs.length).toBe(250_000);
    expect(runs.bytes).toBe(2 * 4 * 1000);
  });
});
