// The CSV cell rule's quick check of "would JSON.parse accept this string"
// (csv.ts decides without throwing, for speed) against JSON.parse itself, on
// random strings, random JSON texts with JSON's whitespace around them, and
// the awkward cases by hand.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsesAsJson } from "../../src/inspect/csv.js";

function jsonParseAccepts(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const jsonSpace = fc.array(fc.constantFrom(" ", "\t", "\n", "\r"), { maxLength: 3 }).map((s) => s.join(""));
const nearJson = fc.oneof(
  fc.json().map(String),
  fc.tuple(jsonSpace, fc.json(), jsonSpace).map(([a, j, b]) => a + j + b),
  fc.tuple(fc.constantFrom("", " ", "\u00a0", "\u2028", "x", "-", "0", "."), fc.json(), fc.constantFrom("", " ", "\u00a0", "e", ".", "0", "x")).map(([a, j, b]) => a + j + b),
  fc.string(),
  fc.string({ unit: fc.constantFrom("-", "+", "0", "1", "9", ".", "e", "E", "t", "r", "u", "e", "n", "l", "f", "a", "s", '"', "[", "]", "{", "}", " ") }),
);

describe("parsesAsJson, the CSV cell rule's check", () => {
  it("agrees with JSON.parse on random strings and JSON texts", () => {
    fc.assert(fc.property(nearJson, (text) => parsesAsJson(text) === jsonParseAccepts(text)), { numRuns: 20_000, seed: 20261207 });
  });

  it("agrees with JSON.parse on the awkward cases", () => {
    const cases = ["", " ", "null", " null\n", "nul", "nulll", "True", "-", "-0", "01", "1.", ".5", "1e5", "1E+5", "-1.5e-3", "\u00a01", "1\u2028", '"x"', '"x', "[1]", "[1", "{}", "{a:1}", "task-1", "=1+1", "Infinity", "NaN", "0x10", "1_000"];
    for (const text of cases) expect([text, parsesAsJson(text)]).toEqual([text, jsonParseAccepts(text)]);
  });
});
