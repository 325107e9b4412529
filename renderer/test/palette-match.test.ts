// The palette's matching: every typed word in the label, and a label that
// starts with (or holds) the typed phrase above one that merely has its words.
import { describe, expect, it } from "vitest";
import { paletteMatches } from "../src/lib/paletteMatch";

describe("the palette's matches", () => {
  it("puts the command whose label starts with what was typed first, among commands that hold every word", () => {
    const commands = [{ label: "Clear index cache: each store's next open builds its index again" }, { label: "Reopen read-only" }, { label: "Open a store… (a folder)" }];
    expect(paletteMatches(commands, "open a store").map((c) => c.label)).toEqual(["Open a store… (a folder)", "Clear index cache: each store's next open builds its index again"]);
    expect(paletteMatches(commands, "  ").map((c) => c.label)).toEqual(commands.map((c) => c.label));
    expect(paletteMatches(commands, "zzz")).toEqual([]);
  });

});
