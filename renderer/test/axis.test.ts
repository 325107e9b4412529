import { beforeAll, describe, expect, it } from "vitest";
import { axisTicks, spanText, timeAxisValues } from "../src/lib/axisTicks";
import { setTimeLocale } from "../src/lib/timeFormat";
import { clampWindow } from "../src/state/agentsAxis";
import { opLabel, positionAfter } from "../src/lib/format";

const T0 = Date.parse("2026-03-02T09:00:00.000Z");
const CHAR_PX = 7;

/** No two labels' boxes (at the estimated glyph width) touch, and all lie inside the track. */
function apart(ticks: { left: number; label: string }[], width: number): boolean {
  return ticks.every((t, i) => t.left >= 0 && t.left + t.label.length * CHAR_PX <= width && (i === 0 || t.left > ticks[i - 1].left + ticks[i - 1].label.length * CHAR_PX));
}

describe("the Agents axis labels", () => {
  beforeAll(() => setTimeLocale("en-GB")); // a 24-hour locale: the labels below are written as en-GB writes them
  it("carry milliseconds on a window of a few ms, and differ from each other", () => {
    const ticks = axisTicks("time", [T0 + 334, T0 + 343], 640);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    for (const t of ticks) expect(t.label).toMatch(/^09:00:00\.3\d\d$/);
    expect(new Set(ticks.map((t) => t.label)).size).toBe(ticks.length);
  });

  it("show seconds, minutes or days as the step needs, and name the day at midnight", () => {
    expect(axisTicks("time", [T0, T0 + 30_000], 640)[1].label).toMatch(/^09:00:\d\d$/);
    expect(axisTicks("time", [T0, T0 + 3 * 3600_000], 640)[1].label).toMatch(/^\d\d:\d\d$/);
    expect(axisTicks("time", [T0, T0 + 24 * 3600_000], 900).map((t) => t.label)).toContain("03-03 00:00");
    expect(axisTicks("time", [T0, T0 + 30 * 24 * 3600_000], 640)[1].label).toMatch(/^2026-\d\d-\d\d$/);
  });

  it("never touch, however narrow the track, and are three or more on a track of 333 px", () => {
    for (const width of [120, 200, 333, 640, 1200]) {
      for (const span of [9, 2_500, 90_000, 5 * 3600_000, 40 * 86_400_000]) {
        const ticks = axisTicks("time", [T0, T0 + span], width);
        expect(ticks.length, `${span} ms on ${width} px: ${ticks.map((t) => t.label).join(" | ")}`).toBeGreaterThanOrEqual(width >= 333 ? 3 : 1);
        expect(apart(ticks, width), `${span} ms on ${width} px: ${ticks.map((t) => t.label).join(" | ")}`).toBe(true);
      }
    }
  });

  it("by position are whole positions", () => {
    const labels = axisTicks("position", [10.4, 14.6], 640).map((t) => t.label);
    expect(labels).toEqual(["11", "12", "13", "14"]);
  });

  it("read a span as people do", () => {
    expect([9, 2_500, 200_000, 7_500_000, 3 * 86_400_000].map(spanText)).toEqual(["9 ms", "2.50 s", "3 min 20 s", "2 h 5 min", "3.0 days"]);
  });
});

describe("the Agents axis window", () => {
  it("stays inside the extent when moved past an end, keeping its width", () => {
    expect(clampWindow("time", [0, 1000], 900, 1100)).toEqual([800, 1000]);
    expect(clampWindow("time", [0, 1000], -50, 150)).toEqual([0, 200]);
  });

  it("is all of it (null) when zoomed out past the extent, and never narrower than the least span", () => {
    expect(clampWindow("position", [0, 325], -10, 400)).toBeNull();
    expect(clampWindow("position", [0, 325], 100, 100.5)).toEqual([98.25, 102.25]);
  });
});

describe("op numbers and positions", () => {
  it("number ops from 1, and the position after op #N is N", () => {
    expect(opLabel(24)).toBe("#25");
    expect(positionAfter(24)).toBe(25);
  });
});

describe("one time format for the charts and the rulers, the locale's", () => {
  const at = Date.parse("2026-03-02T18:19:00.000Z");
  const rulerLabels = () => axisTicks("time", [at - 20 * 60_000, at + 20 * 60_000], 640).map((t) => t.label);

  it("a 24-hour locale reads 18:19 on the chart's axis and on the ruler", () => {
    setTimeLocale("en-GB");
    expect(timeAxisValues([at, at + 5 * 60_000])).toEqual(["18:19", "18:24"]);
    expect(rulerLabels()).toContain("18:20");
  });

  it("a 12-hour locale reads 06:19 PM on both, never uPlot's own 6:19pm", () => {
    setTimeLocale("en-US");
    expect(timeAxisValues([at, at + 5 * 60_000])).toEqual(["06:19 PM", "06:24 PM"]);
    expect(rulerLabels()).toContain("06:20 PM");
    setTimeLocale("en-GB");
  });
});
