import { beforeAll, describe, expect, it } from "vitest";
import { positionMarks } from "../src/lib/chartPlaces";
import { bucketOf, positionAt, positionTicks, xRange } from "../src/lib/chartAxis";
import { setTimeLocale } from "../src/lib/timeFormat";
import type { PositionBucket, PositionBuckets, TimelineEvent } from "../../electron/contract";

const T0 = Date.parse("2026-03-02T09:00:00.000Z");

const event = (kind: TimelineEvent["kind"], position: number, time: string | null) => ({ kind, position, time }) as TimelineEvent;

/** 1,000 ops in ranges of `width`, op p dated T0 + p seconds (the ops between two ticks are whole minutes apart at width 60). */
function byPosition(width: number, total = 1000): PositionBuckets {
  const buckets: PositionBucket[] = [];
  for (let first = 0; first < total; first += width) {
    const last = Math.min(first + width, total) - 1;
    buckets.push({ firstPos: first, lastPos: last, firstMs: T0 + first * 1000, lastMs: T0 + last * 1000, firstTime: null, lastTime: null, ops: last - first + 1, byAgent: [last - first + 1], position: last + 1, records: 0 });
  }
  return { total, bucketOps: width, agents: [null], buckets, undated: 0 };
}

describe("where the Timeline chart puts things on its position axis", () => {
  beforeAll(() => setTimeLocale("en-GB"));

  it("puts each archive and compaction at the position where it took effect, as the slider marks it", () => {
    expect(positionMarks([event("compaction", 2, "2026-03-02T09:00:07.000Z"), event("archive", 4, null)])).toEqual([
      { x: 2, kind: "compaction" },
      { x: 4, kind: "archive" },
    ]);
  });

  it("spans position 0 to the last, names the nearest position under the pointer, and finds the range holding the op that made it", () => {
    const data = byPosition(7);
    expect(xRange(data)).toEqual([0, 1000]);
    expect([positionAt(-3, 1000), positionAt(41.4, 1000), positionAt(41.6, 1000), positionAt(1003, 1000)]).toEqual([0, 41, 42, 1000]);
    expect(data.buckets[bucketOf(data, 0)].firstPos).toBe(0);
    expect(data.buckets[bucketOf(data, 7)]).toMatchObject({ firstPos: 0, lastPos: 6 }); // op pos 6 made position 7
    expect(data.buckets[bucketOf(data, 8)]).toMatchObject({ firstPos: 7, lastPos: 13 });
    expect(data.buckets[bucketOf(data, 1000)].lastPos).toBe(999);
  });

  it("ticks at ranges' ends, each labelled with its position and the time of the op that made it, never touching", () => {
    const data = byPosition(7);
    const ticks = positionTicks(data, 900);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    for (const t of ticks.slice(1)) {
      expect(data.buckets.some((b) => b.position === t.value), `tick ${t.value} ends a range`).toBe(true);
      // Op #value (pos value - 1) is dated T0 + (value - 1) s.
      const [position, time] = t.label.split("\n");
      expect(position).toBe(t.value.toLocaleString());
      expect(time).toBe(new Date(T0 + (t.value - 1) * 1000).toISOString().slice(11, 19)); // to the second: ticks stand at ops, not at round times
    }
    expect(ticks[0]).toEqual({ value: 0, label: "0" }); // no op made position 0
    const xs = ticks.map((t) => (t.value / 1000) * 900);
    for (let i = 1; i < xs.length; i++) expect(xs[i] - xs[i - 1]).toBeGreaterThanOrEqual(8 * 7 + 16);
  });

  it("writes milliseconds when two labelled ops are under a second apart, and the day where it changes", () => {
    const fast = byPosition(7);
    for (const b of fast.buckets) [b.firstMs, b.lastMs] = [T0 + b.firstPos * 3, T0 + b.lastPos * 3];
    for (const t of positionTicks(fast, 900).slice(1)) expect(t.label.split("\n")[1]).toMatch(/^09:00:0\d\.\d\d\d$/);
    const slow = byPosition(7);
    for (const b of slow.buckets) [b.firstMs, b.lastMs] = [T0 + b.firstPos * 600_000, T0 + b.lastPos * 600_000]; // 10 min an op: ~7 days
    const ticks = positionTicks(slow, 900).slice(1);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    ticks.forEach((t, i) => {
      const day = (value: number) => new Date(T0 + (value - 1) * 600_000).toISOString().slice(5, 10);
      const changed = i > 0 && day(t.value) !== day(ticks[i - 1].value);
      expect(t.label.split("\n")[1], `tick ${t.value}`).toMatch(changed ? new RegExp(`^${day(t.value)} \\d\\d:\\d\\d:\\d\\d$`) : /^\d\d:\d\d:\d\d$/);
    });
    expect(ticks.some((t, i) => i > 0 && t.label.includes("03-"))).toBe(true);
  });
});
