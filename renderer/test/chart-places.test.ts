import { describe, expect, it } from "vitest";
import { cursorTime, eventMarks } from "../src/lib/chartPlaces";
import type { TimeBucket, TimeBuckets, TimelineEvent } from "../../electron/contract";

const T0 = Date.parse("2026-03-02T09:00:00.000Z");

/** Three 10 ms buckets: ops 0-3, none, ops 4-6. */
function buckets(): TimeBuckets {
  const bucket = (i: number, firstPos: number | null, lastPos: number | null): TimeBucket => ({ start: "", end: "", startMs: T0 + 10 * i, endMs: T0 + 10 * (i + 1), ops: 0, byAgent: [], firstPos, lastPos, position: 0, records: 0 });
  return { from: null, to: null, bucketMs: 10, agents: [], buckets: [bucket(0, 0, 3), bucket(1, null, null), bucket(2, 4, 6)], undated: 0 };
}

const event = (kind: TimelineEvent["kind"], position: number, time: string | null) => ({ kind, position, time }) as TimelineEvent;

describe("where the Timeline chart puts events and the cursor", () => {
  it("puts an event at its snapshot's time, or, without one, in the middle of the bucket holding the op before it", () => {
    expect(eventMarks([event("compaction", 2, new Date(T0 + 7).toISOString()), event("archive", 4, null)], buckets())).toEqual([
      { x: T0 + 7, kind: "compaction" },
      { x: T0 + 5, kind: "archive" }, // after op pos 3, the last of the first bucket
    ]);
  });

  it("puts the cursor in the bucket of the last op applied; at position 0, at the start", () => {
    expect(cursorTime(0, buckets())).toBe(T0);
    expect(cursorTime(3, buckets())).toBe(T0 + 5); // op pos 2
    expect(cursorTime(5, buckets())).toBe(T0 + 25); // op pos 4
    expect(cursorTime(7, buckets())).toBe(T0 + 25);
  });
});
