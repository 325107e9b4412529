// Schema paths are exact key paths (AGREED.md item 5): a literal key "d.e"
// and a nested d: {e} are two fields, each counted by its own segments, the
// literal one shown quoted with a hint on filtering that is true of the
// filter engine. Expected figures come from the published opslog's state,
// walked by this file's own loop.
import { beforeAll, describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import type { InspectorApi } from "../../src/inspect/index.js";
import { dottedKeysBesideNestedPaths } from "../scenarios/index.js";
import type { FactsOf } from "../scenarios/index.js";
import { suiteDir } from "./fixtures.js";

type Doc = Record<string, unknown>;

/** How many records have each exact key path (JSON of its segments), nested objects walked. */
function countsBySegments(docs: Doc[]): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (doc: Doc, parent: string[]) => {
    for (const [key, value] of Object.entries(doc)) {
      const segments = [...parent, key];
      out.set(JSON.stringify(segments), (out.get(JSON.stringify(segments)) ?? 0) + 1);
      if (value && typeof value === "object" && !Array.isArray(value)) walk(value as Doc, segments);
    }
  };
  docs.forEach((d) => walk(d, []));
  return out;
}

describe("schema paths: a literal dotted key is not a nested path", () => {
  let store: FactsOf<typeof dottedKeysBesideNestedPaths>;
  let insp: InspectorApi;

  beforeAll(async () => {
    store = await dottedKeysBesideNestedPaths.build(await suiteDir());
    insp = await openInspector(store.dir);
  });

  it("every exact key path is its own field, counted by its segments: \"d.e\" in 2 records, d → e in 2, never one d.e in 4", async () => {
    const schema = await insp.schema({ sample: 0 });
    const expected = countsBySegments(store.state.map(([, v]) => v));
    expect(new Map(schema.fields.map((f) => [JSON.stringify(f.segments), f.count]))).toEqual(expected);
    expect(expected.get('["d.e"]')).toBe(2);
    expect(expected.get('["d","e"]')).toBe(2);
  });

  it("a literal dotted key is shown quoted (also below a parent), a nested path dotted, and only the literal ones carry a filter hint", async () => {
    const fields = (await insp.schema({ sample: 0 })).fields;
    const shown = Object.fromEntries(fields.map((f) => [JSON.stringify(f.segments), f.path]));
    expect(shown['["d.e"]']).toBe('["d.e"]');
    expect(shown['["d","e"]']).toBe("d.e");
    expect(shown['["a","b.c"]']).toBe('a["b.c"]');
    expect(fields.filter((f) => f.filterHint).map((f) => f.segments)).toEqual(expect.arrayContaining([["d.e"], ["a", "b.c"]]));
    expect(fields.filter((f) => f.filterHint)).toHaveLength(2);
  });

  it("the hint tells the truth: a filter on \"d.e\" selects the nested path, never the literal key", async () => {
    const hint = (await insp.schema({ sample: 0 })).fields.find((f) => f.segments.length === 1 && f.segments[0] === "d.e")!.filterHint!;
    expect(hint).toMatch(/No filter can select on this key: a filter reads "d\.e" as the nested path d → e/);
    const page = await insp.records({ filter: { "d.e": { $exists: true } }, offset: 0, limit: 10 });
    const nested = store.state.filter(([, v]) => typeof v.d === "object" && v.d !== null && "e" in (v.d as Doc)).map(([id]) => id);
    expect(page.rows.map((r) => r.id).sort()).toEqual(nested.sort());
    expect(nested).not.toContain("lit");
  });
});
