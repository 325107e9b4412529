import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyReversePatch } from "../../src/delta.js";
import { compareOps } from "../../src/store.js";
import { jsonEqual, prevIs } from "../../src/inspect/json.js";
import { AgentTable } from "../../src/inspect/optable.js";
import { OutOfOrder, mergeInReplayOrder } from "../../src/inspect/order.js";
import type { MergeSource } from "../../src/inspect/order.js";
import type { ScannedOp } from "../../src/inspect/walscan.js";

function op(fields: Partial<ScannedOp>): ScannedOp {
  return { fileIdx: 0, line: 1, offset: 0, length: 0, ts: "t", tsMs: NaN, agent: null, clock: null, op: "set", id: "x", data: {}, rawPrev: null, hasPrev: false, loaded: true, dataHash0: 0, dataHash1: 0, prevHash0: 0, prevHash1: 0, encoding: "full", entry: -1, agentIdx: 0, ...fields };
}

/** Merge runs as the inspector does, each run arriving in chunks of `chunk` ops. */
async function merge(runs: ScannedOp[][], chunk = 3): Promise<ScannedOp[]> {
  const agents = new AgentTable();
  const sources = runs.map((run): MergeSource => {
    let next = 0;
    const source: MergeSource = {
      buf: [],
      i: 0,
      async fill() {
        while (source.i >= source.buf.length && next < run.length) {
          source.buf = run.slice(next, next + chunk);
          next += chunk;
          source.i = 0;
          for (const o of source.buf) o.agentIdx = agents.intern(o.agent);
        }
      },
    };
    return source;
  });
  const out: ScannedOp[] = [];
  await mergeInReplayOrder(sources, () => agents.ranks, (o) => out.push(o));
  return out;
}

const doc = fc.dictionary(fc.constantFrom("a", "b", "c", "d"), fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom("x", "y"), fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 2 })));

describe("replay order and prev comparison", () => {
  it("merging per-agent WALs as they stream in gives exactly opslog's stable sort by (clock, agent)", async () => {
    const agents = ["coder-1", "Coder-2", "planner", "reviewer", "ä-agent"];
    const run = fc.tuple(fc.constantFrom(...agents), fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 30 }));
    await fc.assert(
      fc.asyncProperty(fc.array(run, { maxLength: 5 }), fc.integer({ min: 1, max: 8 }), async (spec, chunk) => {
        const runs = spec.map(([agent, clocks], fileIdx) => [...clocks].sort((a, b) => a - b).map((clock, line) => op({ agent, clock, fileIdx, line })));
        const expected = runs.flat().sort(compareOps);
        expect(await merge(runs, chunk)).toEqual(expected);
      }),
    );
  });

  it("single-writer WALs (no clocks) keep file order, one WAL after another", async () => {
    const runs = [[op({ id: "a" }), op({ id: "b" })], [op({ id: "c", fileIdx: 1 })]];
    expect((await merge(runs, 1)).map((o) => o.id)).toEqual(["a", "b", "c"]);
  });

  it("a WAL out of clock order stops the merge, so the caller can sort instead", async () => {
    const runs = [[op({ agent: "a", clock: 5 }), op({ agent: "a", clock: 2, line: 2 })], [op({ agent: "b", clock: 3 })]];
    await expect(merge(runs)).rejects.toBeInstanceOf(OutOfOrder);
  });

  it("prevIs agrees with comparing the fully resolved prev, for full and delta encodings", () => {
    fc.assert(
      fc.property(doc, doc, doc, (prev, data, other) => {
        const $set: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(prev)) if (!jsonEqual(v, data[k])) $set[k] = v;
        const $unset = Object.keys(data).filter((k) => !(k in prev));
        const patch = { $set, $unset };
        const delta = op({ data, rawPrev: patch, encoding: "delta" });
        expect(applyReversePatch(data, patch)).toEqual(prev);
        expect(prevIs(delta, prev)).toBe(true);
        expect(prevIs(delta, other)).toBe(jsonEqual(prev, other));
        expect(prevIs(op({ data, rawPrev: prev }), other)).toBe(jsonEqual(prev, other));
        expect(prevIs(op({ data, rawPrev: null }), null)).toBe(true);
      }),
    );
  });
});
