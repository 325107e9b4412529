// The schema's tally of records (schema-summary.ts) and its random order (schema.ts), on hand-made records
// whose figures are plain to see: the edges a real store rarely shows.
import { describe, expect, it } from "vitest";
import { isIsoDate, MAX_FIELDS, SchemaTally } from "../../src/inspect/schema-summary.js";
import { randomOrder } from "../../src/inspect/schema.js";
import type { SchemaType } from "../../src/inspect/types.js";

function tally(docs: Record<string, unknown>[]) {
  const t = new SchemaTally();
  docs.forEach((d) => t.add(d));
  return t;
}

const typeOf = (t: SchemaTally, path: string, type: string): SchemaType => t.result().find((f) => f.path === path)!.types.find((x) => x.type === type)!;

describe("the schema tally", () => {
  it("recognises ISO 8601 dates and date-times as dates, and nothing else", () => {
    for (const s of ["2026-01-05", "2026-01-05T10:00:00Z", "2026-01-05T10:00:00.123+02:00", "2026-01-05T10:00"]) expect(isIsoDate(s), s).toBe(true);
    for (const s of ["2026-13-45", "12345", "Jan 5 2026", "2026-01-05 and more", ""]) expect(isIsoDate(s), s).toBe(false);
  });

  it("orders a date range by instant, not by text (an offset counts)", () => {
    const t = tally([{ at: "2026-01-05T10:00:00+02:00" }, { at: "2026-01-05T09:00:00Z" }, { at: "2026-01-05T07:30:00Z" }]);
    expect(typeOf(t, "at", "date")).toMatchObject({ min: "2026-01-05T07:30:00Z", max: "2026-01-05T09:00:00Z" });
  });

  it("gives one bar per value to whole numbers over a short range, and equal-width bars that hold every value otherwise", () => {
    const whole = typeOf(tally([{ n: 3 }, { n: 3 }, { n: 5 }]), "n", "number");
    expect(whole).toMatchObject({ min: 3, max: 5, histogram: [{ from: 3, to: 4, count: 2 }, { from: 4, to: 5, count: 0 }, { from: 5, to: 6, count: 1 }] });
    const spread = typeOf(tally([-10.5, 0, 0.25, 99.75, 1000].map((n) => ({ n }))), "n", "number");
    if (spread.type !== "number") throw new Error("numbers");
    expect(spread.histogram).toHaveLength(10);
    expect(spread.histogram.reduce((s, b) => s + b.count, 0)).toBe(5);
    expect(spread.histogram[9]).toMatchObject({ to: 1000, count: 1 });
    expect(typeOf(tally([{ n: 0.5 }, { n: 0.5 }]), "n", "number")).toMatchObject({ histogram: [{ from: 0.5, count: 2 }] });
  });

  it("lists at most 1000 field paths and says there were more", () => {
    const wide = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`k${i}`, i]));
    const t = tally([wide]);
    expect(t.result()).toHaveLength(MAX_FIELDS);
    expect(t.fieldsCapped).toBe(true);
  });

  it("counts nested paths against all records, and an array's items by type", () => {
    const t = tally([{ a: { b: 1 } }, { a: { b: "x", c: null } }, { a: [1, "y", { z: 1 }] }, {}]);
    expect(t.result().map((f) => [f.path, f.count])).toEqual([["a", 3], ["a.b", 2], ["a.c", 1]]);
    const array = typeOf(t, "a", "array");
    if (array.type !== "array") throw new Error("array");
    expect(Object.fromEntries(array.items.map((i) => [i.type, i.count]))).toEqual({ number: 1, string: 1, object: 1 });
  });
});

describe("the schema's random order of records", () => {
  it("is a permutation of every slot, the same whether the draws are kept in a Map (few expected) or an array", () => {
    const sparse = randomOrder(1000, 10);
    const dense = randomOrder(1000, 1000);
    const a = Array.from({ length: 1000 }, () => sparse());
    const b = Array.from({ length: 1000 }, () => dense());
    expect(a).toEqual(b);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(a.slice(0, 20)).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
