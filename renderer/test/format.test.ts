import { describe, expect, it } from "vitest";
import { formatBytes, shortTime } from "../src/lib/format";

describe("formatting for lists", () => {
  it("gives file sizes in the unit people read", () => {
    expect([0, 812, 1024, 4300, 27.1 * 1024 * 1024, 1.3 * 1024 ** 3].map(formatBytes)).toEqual(["0 B", "812 B", "1.0 KB", "4.2 KB", "27.1 MB", "1.3 GB"]);
  });

  it("gives timestamps to the second, and odd ones as written", () => {
    expect(shortTime("2026-03-02T09:02:58.123Z")).toBe("2026-03-02 09:02:58");
    expect(shortTime("yesterday")).toBe("yesterday");
  });
});
