// The 0.3.0 Operation type: the literal a 0.3.0 program writes type-checks
// (npm run typecheck compiles this file) and passes the engine's validator;
// a literal the type refuses is also refused by the validator at run time.
import { describe, expect, it } from "vitest";
import type { Operation } from "../src/types.js";
import { validateOp } from "../src/validate.js";

describe("the Operation type", () => {
  it("takes an op with the 0.3.0 fields (agent, clock), which the validator accepts as it is", () => {
    const op: Operation = { ts: "2026-01-01T00:00:00.000Z", op: "set", id: "a", data: { x: 1 }, prev: null, agent: "A", clock: 1 };
    expect(validateOp(JSON.parse(JSON.stringify(op)))).toEqual(op);
  });

  it("refuses, at compile time and at run time alike, an op that is neither set nor delete or has no prev", () => {
    // @ts-expect-error: "archive" is not an op
    const badOp: Operation = { ts: "2026-01-01T00:00:00.000Z", op: "archive", id: "a", prev: null };
    // @ts-expect-error: prev is required
    const noPrev: Operation = { ts: "2026-01-01T00:00:00.000Z", op: "set", id: "a", data: {} };
    expect(() => validateOp(badOp)).toThrow(/op must be "set" or "delete"/);
    expect(() => validateOp(noPrev)).toThrow(/missing prev/);
  });
});
