import { describe, expect, it } from "vitest";
import type { Operation } from "../src/types.js";

describe("types", () => {
  it("an Operation literal type-checks with the 0.3.0 fields", () => {
    const op: Operation = { ts: "2026-01-01T00:00:00.000Z", op: "set", id: "a", data: { x: 1 }, prev: null, agent: "A", clock: 1 };
    expect(op.clock).toBe(1);
  });
});
