// The store's kind (single-writer, multi-writer, mixed, empty) as the live
// tail updates it: from the kind of the history up to where the new ops
// start and the new ops alone (build.ts storeKind with `known`), always the
// kind a look at the whole live link gives, wherever the new ops start.
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/tmp.js";
import { SCENARIOS } from "../scenarios/index.js";
import { buildHistory, storeKind } from "../../src/inspect/build.js";
import type { StoreIndex } from "../../src/inspect/store-index.js";

/** The kind of the live link's ops up to `until`, as a reader of the table would say it (no storeKind). */
function kindUpTo(h: StoreIndex, start: number, until: number): "single-writer" | "multi-writer" | "mixed" {
  let withAgent = 0;
  for (let p = start; p < until; p++) if (h.table.agent(h.timeline.get(p)) !== 0) withAgent++;
  if (h.multiWriter) return withAgent < until - start ? "mixed" : "multi-writer";
  return withAgent > 0 ? "mixed" : "single-writer";
}

describe("storeKind resumed from a known kind", () => {
  it("gives the whole live link's kind from every starting point, on every scenario", async () => {
    let checked = 0;
    for (const scenario of SCENARIOS) {
      const dir = (await scenario.build(await tempDir("opslog-kind-"))).dir;
      const h = await buildHistory(dir, "never");
      const whole = storeKind(h);
      if (whole === "empty") continue;
      const start = h.links[h.links.length - 1].startPos;
      for (let until = start; until <= h.timeline.length; until++) {
        expect(storeKind(h, { kind: kindUpTo(h, start, until), until }), `${scenario.name} from ${until}`).toBe(whole);
        checked++;
      }
      h.reader.close();
    }
    expect(checked).toBeGreaterThan(100);
  }, 120_000);
});
