// The engine's undo cuts a WAL at a byte index, so non-ASCII text before the
// undone line survives intact (the published opslog's undo cuts at a character
// index and merges the cut line with the next append). Checked by reopening
// with this engine and with the published opslog.
import { Store as Published } from "@backloghq/opslog";
import { describe, expect, it } from "vitest";
import { Store } from "../../src/index.js";
import { sortedEntries, tempDir } from "../helpers/tmp.js";

type Doc = Record<string, unknown>;

describe("Store: undo on a WAL with non-ASCII text", () => {
  for (const agentId of [undefined, "agent-é"]) {
    it(`removes exactly the last op, byte-correct${agentId ? " (as an agent)" : ""}: set "café ☕", set b, undo, set c reopens as a and c`, async () => {
      const dir = await tempDir();
      const store = new Store<Doc>();
      await store.open(dir, { checkpointOnClose: false, agentId });
      await store.set("a", { title: "café ☕" });
      await store.set("b", { title: "naïve — ünïcödé" });
      expect(await store.undo()).toBe(true);
      await store.set("c", { title: "sea" });
      await store.close();
      const expected = [["a", { title: "café ☕" }], ["c", { title: "sea" }]];

      const ours = new Store<Doc>();
      const skipped: unknown[] = [];
      await ours.open(dir, { readOnly: true, agentId, onSkippedLine: (s) => skipped.push(s) });
      expect(sortedEntries(ours.entries())).toEqual(expected);
      expect(skipped).toEqual([]);
      await ours.close();

      const published = new Published<Doc>();
      await published.open(dir, agentId ? { agentId, checkpointOnClose: false } : { readOnly: true });
      expect(sortedEntries(published.entries())).toEqual(expected);
      await published.close();
    });
  }
});
