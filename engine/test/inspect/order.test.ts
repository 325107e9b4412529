import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyReversePatch } from "../../src/delta.js";
import { compareOps } from "../../src/store.js";
import { jsonEqual, prevIs } from "../../src/inspect/conflicts.js";
import { mergeInReplayOrder } from "../../src/inspect/order.js";
import type { ScannedOp } from "../../src/inspect/walscan.js";

function op(fields: Partial<ScannedOp>): ScannedOp {
  return { fileIdx: 0, line: 1, offset: 0, ts: "t", agent: null, clock: null, op: "set", id: "x", data: {}, rawPrev: null, encoding: "full", pos: null, epoch: null, lost: false, ...fields };
}

const doc = fc.dictionary(fc.constantFrom("a", "b", "c", "d"), fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom("x", "y"), fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 2 })));

describe("replay order and prev comparison", () => {
  it("merging per-agent WALs gives exactly opslog's stable sort by (clock, agent)", () => {
    const agents = ["coder-1", "Coder-2", "planner", "reviewer", "ä-agent"];
    const run = fc.tuple(fc.constantFrom(...agents), fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 30 }));
    fc.assert(
      fc.property(fc.array(run, { maxLength: 5 }), (spec) => {
        const runs = spec.map(([agent, clocks], fileIdx) => [...clocks].sort((a, b) => a - b).map((clock, line) => op({ agent, clock, fileIdx, line })));
        const expected = runs.flat().sort(compareOps);
        expect(mergeInReplayOrder(runs)).toEqual(expected);
      }),
    );
  });

  it("an out-of-order WAL falls back to the sort", () => {
    const runs = [[op({ agent: "a", clock: 5 }), op({ agent: "a", clock: 2, line: 2 })], [op({ agent: "b", clock: 3 })]];
    expect(mergeInReplayOrder(runs).map((o) => o.clock)).toEqual([2, 3, 5]);
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
