import { describe, expect, it } from "vitest";
import { mergeFields } from "../src/state/fields";

const row = (data: Record<string, unknown>) => ({ id: "x", data });

describe("the Archive table's columns", () => {
  it("are the segment's fields, the most common first, kept in place as more pages arrive", () => {
    const first = mergeFields([], [row({ title: 1, status: 2 }), row({ title: 3, notes: 4 }), row({ title: 5, status: 6 })]);
    expect(first).toEqual(["title", "status", "notes"]);
    expect(mergeFields(first, [row({ title: 1 })])).toBe(first); // nothing new: the same array
    expect(mergeFields(first, [row({ owner: 1, status: 2 })])).toEqual(["title", "status", "notes", "owner"]);
  });

  it("stop at ten", () => {
    const wide = Object.fromEntries(Array.from({ length: 14 }, (_, i) => [`f${i}`, i]));
    expect(mergeFields([], [row(wide)])).toHaveLength(10);
  });
});
