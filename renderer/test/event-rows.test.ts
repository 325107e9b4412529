import { describe, expect, it } from "vitest";
import type { Page, TimelineEvent, TimelineOp } from "../../electron/contract";
import { describeEvent, interleave, isEvent } from "../src/state/eventRows";

const event = (kind: "archive" | "compaction", position: number, opsBefore = position, extra: Partial<TimelineEvent> = {}): TimelineEvent => ({
  kind, position, opsBefore, epoch: 0, time: null, snapshot: "snapshots/snap-1772484574000.jsonl", segment: kind === "archive" ? "archive/archive-2026-Q1.json" : null,
  archivedCount: kind === "archive" ? 13 : 0, archivedIds: [], opsFolded: 900, ...extra,
});

/** A list of `total` ops (pos = index) served by page, as the ops call does. */
function opsList(total: number) {
  return async (offset: number, limit: number): Promise<Page<TimelineOp>> => {
    const rows = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => ({ pos: offset + i }) as TimelineOp);
    return { rows, total, offset, limit };
  };
}

const label = (rows: (TimelineOp | TimelineEvent)[]) => rows.map((r) => (isEvent(r) ? `${r.kind}@${r.position}` : r.pos));

describe("events among the ops of the Operations list", () => {
  const events = [event("archive", 3), event("compaction", 3), event("compaction", 5), event("compaction", 7)];

  it("puts each event before the first op at or after its position, archive before its compaction", async () => {
    const page = await interleave(events, 0, 100, opsList(7));
    expect(label(page.rows)).toEqual([0, 1, 2, "archive@3", "compaction@3", 3, 4, "compaction@5", 5, 6, "compaction@7"]);
    expect(page.total).toBe(11);
  });

  it("gives every page the same rows as one long page, whatever the page size", async () => {
    const whole = label((await interleave(events, 0, 100, opsList(7))).rows);
    for (const size of [1, 2, 3, 4]) {
      const rows = [];
      for (let offset = 0; offset < whole.length; offset += size) rows.push(...(await interleave(events, offset, size, opsList(7))).rows);
      expect(label(rows), `pages of ${size}`).toEqual(whole);
    }
  });

  it("says what happened in the user's words", () => {
    expect(describeEvent(event("archive", 3))).toBe("archived 13 records to archive-2026-Q1");
    expect(describeEvent(event("compaction", 3))).toBe("compacted: snapshot snap-1772484574000, 900 ops folded");
    expect(describeEvent(event("compaction", 3, 3, { opsFolded: null }))).toBe("compacted: snapshot snap-1772484574000, its WALs are gone");
  });
});
