// The op reader keeps the ops it parsed for the next page, bounded by the
// bytes of their lines, so that a store of large records cannot fill the
// memory through it; what it gives back is the op on disk, kept or not.
import { describe, expect, it } from "vitest";
import { buildHistory } from "../../src/inspect/build.js";
import { handWritten } from "./fixtures.js";

describe("the op reader's cache", () => {
  it("keeps at most 4 MB of op lines, however large each op, and reads back every op exactly", async () => {
    const body = "x".repeat(100_000);
    const wal = "ops/ops-1700000000001.jsonl";
    const ops = Array.from({ length: 120 }, (_, i) => ({ ts: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), op: "set", id: `doc-${i}`, data: { i, body }, prev: null }));
    const h = await buildHistory(await handWritten({ [wal]: ops }), "never");
    try {
      let most = 0;
      // Two passes of pages of 5 ops (500 kB each: small enough to be kept), as a user scrolls down and back up.
      for (const pass of [0, 1]) {
        for (let first = 0; first < ops.length; first += 5) {
          const entries = Array.from({ length: 5 }, (_, k) => h.timeline.get(pass === 0 ? first + k : ops.length - 1 - first - k));
          const read = h.reader.many(entries);
          for (const e of entries) expect(read.get(e)!.data).toEqual(ops[h.table.pos(e)].data);
          most = Math.max(most, h.reader.cachedBytes);
        }
      }
      expect(most).toBeGreaterThan(2_000_000);
      expect(most).toBeLessThanOrEqual(4 * 1024 * 1024 + 100_100);
    } finally {
      h.reader.close();
    }
  });
});
