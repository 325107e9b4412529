import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyReversePatch } from "../../src/delta.js";
import { jsonEqual } from "../../src/inspect/json.js";
import { hashPatched, hashValue } from "../../src/inspect/hash.js";

function hash(v: unknown): string {
  const out = new Int32Array(2);
  hashValue(v, out);
  return `${out[0]}:${out[1]}`;
}

const leaf = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom("x", "y", "", "1", "true", "null"), fc.boolean(), fc.constant(null));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, leaf, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 3 }),
  object: fc.dictionary(fc.constantFrom("a", "b", "c", "d"), tie("value"), { maxKeys: 4 }),
}));
const doc = fc.dictionary(fc.constantFrom("a", "b", "c", "d", "e"), json.value, { maxKeys: 5 });

describe("JSON value hashes", () => {
  it("equal values hash equal whatever their key order; different values hash differently", () => {
    fc.assert(
      fc.property(json.value, json.value, (a, b) => {
        const reordered = JSON.parse(JSON.stringify(a, (_k, v) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v)));
        expect(hash(reordered)).toBe(hash(a));
        expect(hash(a) === hash(b)).toBe(jsonEqual(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it("tells apart values that differ only in type or nesting", () => {
    const values = [0, "0", false, null, [], {}, [0], { a: 0 }, { a: "0" }, { a: [0] }, [[0]], [0, 0], ["a", 0], { a: { a: 0 } }, { a: 0, b: 0 }, { b: 0 }, "", 1, -1, 0.5];
    expect(new Set(values.map(hash)).size).toBe(values.length);
    expect(hash(-0)).toBe(hash(0)); // one JSON value
  });

  it("hashPatched gives the hash of the record applyReversePatch builds", () => {
    fc.assert(
      fc.property(doc, doc, fc.array(fc.constantFrom("a", "b", "c", "d", "e"), { maxLength: 3 }), (data, $set, $unset) => {
        const out = new Int32Array(2);
        hashPatched(data, { $set, $unset }, out);
        expect(`${out[0]}:${out[1]}`).toBe(hash(applyReversePatch(data, { $set, $unset })));
      }),
      { numRuns: 2000 },
    );
  });
});
