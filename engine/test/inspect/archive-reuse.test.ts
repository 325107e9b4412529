// Archives that reuse a segment's name, written by the published opslog:
// opslog merges into the existing segment, so a segment keeps only the value
// and the time of each id's last archive into it. Every archive event must
// still name the segment that archive wrote, with the ids it moved, at its own
// position; the record's history and the diff across it say the same. The
// expectations are what the writer did: each archive's segment, the ids the
// published Store held before it and not after, and the ops written before it.
import { describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import { archiveNameReused, archiveNameReusedOneId } from "../scenarios/index.js";
import { suiteDir } from "./fixtures.js";

const ALL = { offset: 0, limit: 100_000 };

describe.each([
  { name: "x and y to seg-A, x to seg-B, x to seg-A", scenario: archiveNameReused },
  { name: "x to seg-A, x to seg-B, x to seg-A", scenario: archiveNameReusedOneId },
])("archives reusing a segment's name ($name)", ({ scenario }) => {
  it("gives each archive one event, naming the segment it wrote, with exactly the ids it moved, at its own position", async () => {
    const store = await scenario.build(await suiteDir());
    const insp = await openInspector(store.dir);
    try {
      const archives = (await insp.timelineEvents()).filter((e) => e.kind === "archive");
      expect(archives.map((e) => ({ segment: e.segment, ids: e.archivedIds, position: e.position }))).toEqual(store.archives);
      expect(archives.map((e) => e.archivedCount)).toEqual(store.archives.map((a) => a.ids.length));
    } finally {
      await insp.close();
    }
  });

  it("says 'archived to' that segment in each record's history and in the diff across each archive", async () => {
    const store = await scenario.build(await suiteDir());
    const insp = await openInspector(store.dir);
    try {
      for (const id of ["x", "y"]) {
        const expected = store.archives.filter((a) => a.ids.includes(id)).map((a) => ({ pos: a.position, segment: a.segment }));
        const history = await insp.recordHistory({ id });
        expect(history.filter((h) => h.op === "archive").map((h) => ({ pos: h.pos, segment: h.segment })), id).toEqual(expected);
      }
      for (const a of store.archives) {
        const diff = await insp.diff({ a: a.position - 1, b: a.position, ...ALL });
        const archived = diff.rows.filter((r) => r.kind === "archived");
        expect(archived.map((r) => [r.id, r.segment]), `across the archive at ${a.position}`).toEqual(a.ids.map((id) => [id, a.segment]));
      }
    } finally {
      await insp.close();
    }
  });
});
