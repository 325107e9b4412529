import { describe, expect, it } from "vitest";
import { Store } from "../../src/index.js";
import { openInspector } from "../../src/inspect/index.js";
import { tempDir } from "../helpers/tmp.js";

describe("inspector: deep unfiltered pages", () => {
  it("a page past the first 2,000 records at a past position and at now equals a naive replay", async () => {
    const dir = await tempDir();
    const store = new Store<{ n: number }>();
    await store.open(dir, { checkpointOnClose: false, checkpointThreshold: 1_000_000 });
    await store.batch(() => {
      for (let i = 0; i < 2600; i++) store.set(`r${String(i).padStart(5, "0")}`, { n: i });
    });
    for (let i = 0; i < 400; i += 3) await store.delete(`r${String(i + 2100).padStart(5, "0")}`);
    await store.close();
    const inspector = await openInspector(dir);
    const total = (await inspector.timelineInfo()).total;
    for (const at of [2600, total]) {
      // Naive: ids created by the first 2600 ops, minus those deleted by the ops up to `at`.
      const deleted = new Set<string>();
      for (let p = 2600; p < at; p++) deleted.add(`r${String(2100 + (p - 2600) * 3).padStart(5, "0")}`);
      const alive = Array.from({ length: 2600 }, (_, i) => `r${String(i).padStart(5, "0")}`).filter((id) => !deleted.has(id));
      const page = await inspector.records({ at, offset: 2050, limit: 100 });
      expect(page.total).toBe(alive.length);
      expect(page.rows.map((r) => r.id)).toEqual(alive.slice(2050, 2150));
      expect(page.rows.every((r) => r.data.n === Number(r.id.slice(1)))).toBe(true);
    }
  });
});
