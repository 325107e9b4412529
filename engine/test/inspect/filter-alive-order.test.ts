// The order the records alive are walked in (alive-set.ts): a store read from
// one snapshot whose sources nearly lie in record order keeps that order (no
// sort); one whose ops scatter the sources is sorted by source. Whichever
// order, and whether record numbers are in id order or not, every filter now
// and at each position after the snapshot answers as mingo on a plain replay
// of the raw snapshot and WAL lines (read here, not through the inspector).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Query as Mingo } from "mingo";
import { Store as Published } from "@backloghq/opslog";
import { describe, expect, it } from "vitest";
import { aliveSet } from "../../src/inspect/alive-set.js";
import { buildHistory } from "../../src/inspect/build.js";
import { RecordFilter } from "../../src/inspect/filtered-records.js";
import type { Filter } from "../../src/inspect/types.js";
import { tempDir } from "../helpers/tmp.js";
import { nextMs } from "./fixtures.js";

type Doc = Record<string, unknown>;

const FILTERS: Filter[] = [
  { status: "open" },
  { status: "done", n: { $gte: 5 } },
  { $or: [{ status: "doing" }, { n: { $lt: 3 } }] },
  { note: { $exists: true } },
  { tags: "b" },
  { long: { $gt: "m" } },
  { status: { $ne: "open" }, $or: [{ n: 1 }, { tags: { $size: 2 } }] },
];

const STATUS = ["open", "done", "doing"];

function doc(i: number, round: number): Doc {
  const d: Doc = { status: STATUS[(i + round) % 3], n: (i * 7 + round) % 11 };
  if (i % 5 === 0) d.note = { i };
  if (i % 4 === 1) d.tags = i % 8 === 1 ? ["a", "b"] : ["c"];
  if (i % 6 === 2) d.long = `${"mz"[i % 2]}${"x".repeat(300)}`; // past what a column keeps: read whole
  return d;
}

/**
 * A store of `ids` written in that order, compacted into one snapshot, then
 * `edits` sets and deletes of records picked by `pick`. Returns the states
 * replayed from the raw files: [0] the snapshot's, [i] after the i-th op of
 * the live WAL.
 */
async function snapshotStore(dir: string, ids: string[], edits: number, pick: (e: number) => number): Promise<Map<string, Doc>[]> {
  const writer = new Published<Doc>();
  await writer.open(dir, { checkpointThreshold: 1_000_000, checkpointOnClose: false });
  for (let i = 0; i < ids.length; i++) await writer.set(ids[i], doc(i, 0));
  await nextMs(); // snapshot and WAL names carry the ms
  await writer.compact();
  await nextMs();
  for (let e = 0; e < edits; e++) {
    const i = pick(e) % ids.length;
    if (e % 7 === 3) await writer.delete(ids[i]);
    else await writer.set(ids[i], doc(i, e + 1));
  }
  await writer.close();
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { currentSnapshot: string; activeOps: string };
  const snapshotLines = (await readFile(join(dir, manifest.currentSnapshot), "utf-8")).split("\n").filter(Boolean).slice(1);
  let state = new Map(snapshotLines.map((line) => JSON.parse(line) as { id: string; data: Doc }).map((r) => [r.id, r.data]));
  const states = [state];
  for (const line of (await readFile(join(dir, manifest.activeOps), "utf-8")).split("\n").filter(Boolean)) {
    const op = JSON.parse(line) as { op: string; id: string; data?: Doc };
    state = new Map(state);
    if (op.op === "delete") state.delete(op.id);
    else state.set(op.id, op.data!);
    states.push(state);
  }
  expect(states.length).toBe(edits + 1);
  return states;
}

function expected(state: Map<string, Doc>, filter: Filter): string[] {
  const mingo = new Mingo(filter);
  return [...state].filter(([, d]) => mingo.test(d)).map(([id]) => id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Every filter, now and at every position from the snapshot on, against the replayed states; by a prepared filter and a fresh one. */
async function checkAll(dir: string, states: Map<string, Doc>[]): Promise<{ bySource: boolean; inIdOrder: boolean }> {
  const h = await buildHistory(dir, "never");
  try {
    const total = h.timeline.length;
    const first = total - (states.length - 1);
    const prepared = new RecordFilter(h);
    await prepared.prepare(() => new Promise<void>((done) => setImmediate(done)));
    const fresh = new RecordFilter(h);
    for (const filter of FILTERS) {
      for (let i = states.length - 1; i >= 0; i -= 3) {
        const want = expected(states[i], filter);
        for (const [name, f] of [["prepared", prepared], ["fresh", fresh]] as const) {
          f.forgetAnswer(); // each position a scan of its own, not a step from the last
          const got = f.matching({ at: first + i, filter })!.map((rec) => h.versions.ids.at(rec));
          expect(got, `${name}, ${JSON.stringify(filter)} at ${first + i}`).toEqual(want);
        }
      }
    }
    const sorted = h.versions.sortedRecs();
    return { bySource: aliveSet(h, total).bySource, inIdOrder: sorted.every((rec, i) => rec === i) };
  } finally {
    h.reader.close();
  }
}

const pad = (i: number) => `r${String(i).padStart(4, "0")}`;

describe("filters on a store read from one snapshot", () => {
  it("snapshot listed in id order, a few ops after: the records alive keep record order (no sort), and every filter answers as a replay of the raw files", async () => {
    const dir = await tempDir();
    const ids = Array.from({ length: 700 }, (_, i) => pad(i));
    const states = await snapshotStore(dir, ids, 8, (e) => e * 97 + 5);
    expect(await checkAll(dir, states)).toEqual({ bySource: false, inIdOrder: true });
  });

  it("snapshot listed out of id order, a few ops after: record order is kept, the answers come in id order as the replay's", async () => {
    const dir = await tempDir();
    const ids = Array.from({ length: 700 }, (_, i) => pad((i * 311) % 700)); // a permutation: record numbers not in id order
    const states = await snapshotStore(dir, ids, 8, (e) => e * 53 + 11);
    expect(await checkAll(dir, states)).toEqual({ bySource: false, inIdOrder: false });
  });

  it("many ops after the snapshot scatter the sources: the records alive are sorted by source, and the answers are the replay's", async () => {
    const dir = await tempDir();
    const ids = Array.from({ length: 300 }, (_, i) => pad((i * 7) % 300));
    const states = await snapshotStore(dir, ids, 120, (e) => e * 131 + 17);
    expect(await checkAll(dir, states)).toEqual({ bySource: true, inIdOrder: false });
  });
});
