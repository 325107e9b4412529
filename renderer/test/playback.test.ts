import { describe, expect, it } from "vitest";
import { nextEventAfter, opsDue, reachedAt } from "../src/lib/playback";

describe("how far a replay plays in a tick", () => {
  it("at thousands of ops a second, a 100 ms tick applies hundreds of ops in one step", () => {
    expect(opsDue(0, 100, 4000)).toEqual({ steps: 400, carry: 0 });
    expect(opsDue(0, 100, 16000).steps).toBe(1600);
  });

  it("at one op a second, ten ticks of 100 ms apply one op, carrying the fraction between ticks", () => {
    let carry = 0;
    const steps: number[] = [];
    for (let i = 0; i < 10; i++) {
      const due = opsDue(carry, 100, 1);
      steps.push(due.steps);
      carry = due.carry;
    }
    expect(steps.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it("in real time, applies the ops whose time has come, an undated one at once, and stops at the first still to come", () => {
    const t0 = Date.parse("2026-03-02T09:00:00Z");
    const times = { from: 10, ms: [t0, t0 + 1000, Number.NaN, t0 + 60_000, t0 + 61_000] };
    expect(reachedAt(10, 15, t0 - 1, times)).toEqual({ pos: 10, exhausted: false });
    expect(reachedAt(10, 15, t0, times)).toEqual({ pos: 11, exhausted: false });
    expect(reachedAt(10, 15, t0 + 1000, times)).toEqual({ pos: 13, exhausted: false }); // the undated op follows at once
    expect(reachedAt(10, 15, t0 + 61_000, times)).toEqual({ pos: 15, exhausted: false });
    expect(reachedAt(10, 20, t0 + 99_000, times)).toEqual({ pos: 15, exhausted: true }); // more times are needed
  });

  it("finds the next event strictly after the cursor", () => {
    expect(nextEventAfter(5, [3, 9, 7, 7])).toBe(7);
    expect(nextEventAfter(9, [3, 9])).toBeNull();
  });
});
