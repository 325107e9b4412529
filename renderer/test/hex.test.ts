import { describe, expect, it } from "vitest";
import { hexDump } from "../src/lib/hex";

describe("the blob preview's hex dump", () => {
  it("shows each 16 bytes with their offset from the blob's start, in hex and as printable text", () => {
    const bytes = Uint8Array.from([...Buffer.from("opslog blob\n"), 0, 255, 127, 32, 65, 66]);
    expect(hexDump(bytes, 0x10000).split("\n")).toEqual([
      "00010000  6f 70 73 6c 6f 67 20 62 6c 6f 62 0a 00 ff 7f 20  opslog blob.... ",
      "00010010  41 42                                            AB",
    ]);
  });

  it("is empty for no bytes", () => {
    expect(hexDump(new Uint8Array(0), 0)).toBe("");
  });
});
