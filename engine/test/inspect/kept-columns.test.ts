// What the build keeps of each op's data as it parses it (kept-columns.ts):
// the short top-level values, field by field, and the data's hash. Kept alike
// whether the scan worker parsed the op (its batches, scan-batch.ts) or this
// thread did; never a wrong value (one not kept reads as UNKNOWN, and is read
// from the WAL); and enough that a filter or a diff right after the open
// reads nothing from the WALs at all.
import { readFile, readdir, writeFile } from "node:fs/promises";
import { isDeepStrictEqual } from "node:util";
import { join } from "node:path";
import fc from "fast-check";
import { Query as Mingo } from "mingo";
import { Store as Published } from "@backloghq/opslog";
import { describe, expect, it } from "vitest";
import { hashValue } from "../../src/inspect/hash.js";
import { openInspector } from "../../src/inspect/index.js";
import type { Doc } from "../../src/inspect/index.js";
import { KeptColumns, UNKNOWN } from "../../src/inspect/kept-columns.js";
import { learnFields } from "../../src/inspect/scan-protocol.js";
import type { ScannedField } from "../../src/inspect/scan-protocol.js";
import { ScanBatchEncoder } from "../../src/inspect/scan-batch.js";
import { MAX_FIELDS } from "../../src/inspect/value-codes.js";
import { parseOp } from "../../src/inspect/walscan.js";
import type { ScannedOp } from "../../src/inspect/walscan.js";
import { tempDir } from "../helpers/tmp.js";
import { nextMs } from "./fixtures.js";
import { replayAgentWals } from "../scenarios/facts.js";

const value = fc.oneof(
  fc.constantFrom("todo", "done", "open", "", "é😀"),
  fc.string({ maxLength: 12 }),
  fc.string({ minLength: 257, maxLength: 300 }), // too long to keep
  fc.integer({ min: -5, max: 5 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.record({ level: fc.integer({ min: 0, max: 2 }) }),
  fc.array(fc.constantFrom("a", "b"), { maxLength: 2 }),
);
/** A data of one op: a record over some of `names`, now and then an array or a string (opslog allows any JSON). */
const data = (names: string[]) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.dictionary(fc.constantFrom(...names), value, { maxKeys: 6 }) },
    { weight: 1, arbitrary: fc.array(value, { maxLength: 2 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 5 }) },
  );
/** Ops over a few records, a delete now and then; each chunk parsed here or sent by the worker. */
const history = (names: string[]) =>
  fc.array(
    fc.record({
      chunk: fc.array(fc.record({ id: fc.constantFrom("a", "b", "c", "d"), data: fc.option(data(names), { freq: 6 }) }), { minLength: 1, maxLength: 12 }),
      inWorker: fc.boolean(),
    }),
    { minLength: 1, maxLength: 8 },
  );

/** The ops of the chunks as parsed from their WAL lines, kept as a build keeps them: by op entry, in order. */
function keep(chunks: { chunk: { id: string; data: unknown }[]; inWorker: boolean }[]): { kept: KeptColumns; ops: ScannedOp[] } {
  const kept = new KeptColumns();
  const encoder = new ScanBatchEncoder();
  const fields: ScannedField[] = [];
  const recs = new Map<string, number>();
  const ops: ScannedOp[] = [];
  for (const { chunk, inWorker } of chunks) {
    const parsed = chunk.map(({ id, data }) => {
      const line = JSON.stringify(data === null ? { ts: "2026-01-05T08:00:00.000Z", op: "delete", id, prev: {} } : { ts: "2026-01-05T08:00:00.000Z", op: "set", id, data, prev: null });
      const op = parseOp(line) as ScannedOp;
      op.entry = ops.length;
      ops.push(op);
      if (!recs.has(id)) recs.set(id, recs.size);
      return op;
    });
    if (inWorker) {
      const batch = encoder.encode(0, parsed);
      learnFields(fields, batch);
      kept.keepScanned(parsed[0].entry, batch, fields);
    } else kept.keepParsed(parsed, { rec: (e) => recs.get(ops[e].id)! });
  }
  return { kept, ops };
}

/** Each field's value in each op, as kept (undefined: absent, UNKNOWN: not kept). */
function readAll(kept: KeptColumns, ops: ScannedOp[], names: string[]): Map<string, unknown[]> {
  const entries = ops.map((op) => op.entry);
  return new Map(
    names.map((name) => {
      const out: unknown[] = new Array(entries.length);
      kept.read(name, entries, out);
      return [name, out];
    }),
  );
}

const isShort = (v: unknown) => v === null || typeof v === "number" || typeof v === "boolean" || (typeof v === "string" && v.length <= 256);
const isRecord = (d: unknown): d is Doc => d !== null && typeof d === "object" && !Array.isArray(d);

describe("the columns the build keeps", () => {
  it("hold every short top-level value and every absent field exactly, whether the worker or this thread parsed the op, and nothing else", () => {
    const names = ["status", "n", "title", "flag", "meta", "gone"];
    fc.assert(
      fc.property(history(names), (chunks) => {
        const { kept, ops } = keep(chunks);
        const read = readAll(kept, ops, names);
        ops.forEach((op, i) => {
          if (!isRecord(op.data)) return; // deletes are never asked; other data is read from the WAL
          for (const name of names) {
            const got = read.get(name)![i];
            const want = Object.hasOwn(op.data, name) ? op.data[name] : undefined;
            if (want === undefined || isShort(want)) expect(Object.is(got, want) || got === want, `${name} of op ${i}`).toBe(true);
            else expect(got, `${name} of op ${i}`).toBe(UNKNOWN);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it("past the fields it keeps, never claims a field absent or a value it did not keep", () => {
    const names = Array.from({ length: MAX_FIELDS + 8 }, (_, i) => `f${i}`);
    fc.assert(
      fc.property(history(names), (chunks) => {
        const { kept, ops } = keep(chunks);
        const read = readAll(kept, ops, names);
        ops.forEach((op, i) => {
          if (!isRecord(op.data)) return;
          for (const name of names) {
            const got = read.get(name)![i];
            const want = Object.hasOwn(op.data, name) ? op.data[name] : undefined;
            if (got !== UNKNOWN) expect(Object.is(got, want) || isDeepStrictEqual(got, want), `${name} of op ${i}`).toBe(true);
          }
        });
      }),
      { numRuns: 200 },
    );
  });

  it("tells two ops' data apart exactly when their hashes differ, and never tells equal data apart", () => {
    fc.assert(
      fc.property(history(["status", "n", "meta"]), (chunks) => {
        const { kept, ops } = keep(chunks);
        const h = new Int32Array(2);
        const hashes = ops.map((op) => (op.data === null ? null : (hashValue(op.data, h), [h[0], h[1]])));
        for (let a = 0; a < ops.length; a++) {
          for (let b = 0; b < ops.length; b++) {
            const differ = hashes[a] !== null && hashes[b] !== null && !isDeepStrictEqual(hashes[a], hashes[b]);
            expect(kept.knownDifferent(a, b), `ops ${a} and ${b}`).toBe(differ);
            if (differ) expect(isDeepStrictEqual(ops[a].data, ops[b].data)).toBe(false);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});


/** Three agents writing unequal shares (the smallest WAL is read in this thread, the others by the worker); every version differs. */
async function writeAgents(dir: string): Promise<Map<string, Doc>[]> {
  const agents: Published<Doc>[] = [];
  for (const agentId of ["ann", "ben", "cat"]) {
    const store = new Published<Doc>();
    await store.open(dir, { agentId, checkpointThreshold: 100_000, checkpointOnClose: false });
    agents.push(store);
  }
  for (let i = 0; i < 600; i++) {
    const store = agents[i % 10 < 5 ? 0 : i % 10 < 8 ? 1 : 2];
    const id = `task-${(i * 7) % 41}`;
    if (i % 13 === 12 && store.has(id)) await store.delete(id);
    else await store.set(id, { status: ["todo", "doing", "done"][i % 3], n: i, flag: i % 4 === 0, owner: i % 5 === 0 ? null : `agent ${i % 3}`, tags: ["x"] });
  }
  for (const store of agents) await store.close();
  await nextMs();
  return replayAgentWals(dir);
}

/** Blank every WAL byte but its newlines (same sizes): a line read from now on is no op at all. */
async function blankWals(dir: string): Promise<void> {
  for (const name of await readdir(join(dir, "ops"))) {
    const path = join(dir, "ops", name);
    await writeFile(path, (await readFile(path, "utf-8")).replace(/[^\n]/g, " "));
  }
}

describe("right after the open", () => {
  it.each(["always", "never"] as const)("filters and diffs read nothing from the WALs (parallel %s)", async (parallel) => {
    const dir = await tempDir();
    const states = await writeAgents(dir);
    const insp = await openInspector(dir, { parallel });
    try {
      await blankWals(dir); // what the build did not keep can no longer be read
      const total = states.length - 1;
      const filters = [{ status: "done" }, { n: { $gt: 300 }, flag: true }, { owner: null }, { $or: [{ status: "todo" }, { n: { $lt: 20 } }] }];
      for (const at of [0, Math.floor(total / 3), Math.floor(total / 2), total - 1, total]) {
        for (const filter of filters) {
          const mingo = new Mingo(filter);
          const page = await insp.records({ at, filter, offset: 0, limit: 0 });
          expect(page.total, JSON.stringify({ at, filter })).toBe([...states[at].values()].filter((d) => mingo.test(d)).length);
        }
      }
      for (const [a, b] of [[0, total], [Math.floor(total / 3), Math.floor(total / 2)], [total, 10]]) {
        const ids = new Set([...states[a].keys(), ...states[b].keys()]);
        const changed = [...ids].filter((id) => !isDeepStrictEqual(states[a].get(id), states[b].get(id))).length;
        expect((await insp.diff({ a, b, offset: 0, limit: 0 })).total, `diff ${a} -> ${b}`).toBe(changed);
      }
    } finally {
      await insp.close();
    }
  });
});
