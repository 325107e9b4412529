import { describe, expect, it } from "vitest";
import { formatBytes, numberText, plural, shortTime } from "../src/lib/format";
import { setTimeLocale } from "../src/lib/timeFormat";

describe("formatting for lists", () => {
  it("gives file sizes in the unit people read", () => {
    expect([0, 812, 1024, 4300, 27.1 * 1024 * 1024, 1.3 * 1024 ** 3].map(formatBytes)).toEqual(["0 B", "812 B", "1.0 KB", "4.2 KB", "27.1 MB", "1.3 GB"]);
  });

  it("gives timestamps to the second in UTC, the day year first and the time as the locale writes it, and odd ones as written", () => {
    setTimeLocale("en-GB");
    expect(shortTime("2026-03-02T18:02:58.123Z")).toBe("2026-03-02 18:02:58");
    setTimeLocale("en-US");
    expect(shortTime("2026-03-02T18:02:58.123Z")).toBe("2026-03-02 06:02:58 PM");
    setTimeLocale(undefined);
    expect(shortTime("yesterday")).toBe("yesterday");
  });

  it("says a count with its noun, singular for exactly one", () => {
    expect([0, 1, 2, 1500].map((n) => plural(n, "op"))).toEqual(["0 ops", "1 op", "2 ops", "1,500 ops"]);
    expect(plural(1, "entry", "entries")).toBe("1 entry");
    expect(plural(3, "entry", "entries")).toBe("3 entries");
  });
});

describe("numberText", () => {
  it("writes a number as toLocaleString does, with the one formatter it keeps", () => {
    for (const n of [0, 1, 7, 1941, 1_000_000, -3.5, 12345.678]) expect(numberText(n)).toBe(n.toLocaleString());
  });
});
