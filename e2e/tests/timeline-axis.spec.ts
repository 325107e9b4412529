/**
 * The Timeline chart and the slider under it share one position axis: at
 * 1400×900 and at 1024×700, the chart's line for the replay cursor, the
 * chart's mark of each archive and compaction, the slider's marker of it
 * and the slider's thumb at that position all stand at the same x (within
 * 1.5 px). Where things are drawn is read off the pixels: the chart's
 * canvas, and a screenshot of the slider (its thumb has no box of its own).
 * Screenshots of the view in both themes at both sizes.
 */
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { demoStoreCopy, expect, SCREENSHOTS, test } from "../fixtures";

const SIZES = [{ width: 1400, height: 900 }, { width: 1024, height: 700 }];
/** Two x's are one when they are this close, in CSS px (a 2 px line's centre, rounded to device pixels) */
const SAME_X = 1.5;

type Rgb = [number, number, number];

/** The centre x (viewport px) of the columns of one pixel row of `png` (a screenshot whose left edge is at `left`) whose colour is near `rgb`, between x0 and x1; null when none. */
async function columnsCentre(page: Page, png: Buffer | null, colour: string, rowFraction: number, left: number, range: [number, number] = [-Infinity, Infinity]): Promise<number | null> {
  return page.evaluate(
    async ({ base64, colour, rowFraction, left, range }) => {
      const rgbOf = (css: string): Rgb => {
        const probe = document.createElement("canvas").getContext("2d")!;
        probe.fillStyle = css;
        const hex = probe.fillStyle as string; // normalised to #rrggbb
        return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
      };
      const want = rgbOf(getComputedStyle(document.documentElement).getPropertyValue(colour).trim());
      let pixels: ImageData;
      let scale: number;
      if (base64 === null) {
        // The Timeline chart's canvas, read in place.
        const canvas = document.querySelector<HTMLCanvasElement>("[data-testid=timeline-chart] canvas")!;
        const over = document.querySelector("[data-testid=timeline-chart] .u-over")!.getBoundingClientRect();
        const box = canvas.getBoundingClientRect();
        scale = canvas.width / box.width;
        const y = Math.round((over.top - box.top + over.height * rowFraction) * scale);
        pixels = canvas.getContext("2d")!.getImageData(0, y, canvas.width, 1);
        left = box.left;
      } else {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const image = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
        const canvas = new OffscreenCanvas(image.width, image.height);
        const ctx = canvas.getContext("2d")!;
        ctx.drawImage(image, 0, 0);
        pixels = ctx.getImageData(0, Math.round(image.height * rowFraction), image.width, 1);
        scale = 1;
      }
      const xs: number[] = [];
      for (let i = 0; i < pixels.width; i++) {
        const x = left + (i + 0.5) / scale;
        if (x < range[0] || x > range[1]) continue;
        const [r, g, b] = [pixels.data[i * 4], pixels.data[i * 4 + 1], pixels.data[i * 4 + 2]];
        if (Math.abs(r - want[0]) + Math.abs(g - want[1]) + Math.abs(b - want[2]) <= 24) xs.push(x);
      }
      return xs.length ? (Math.min(...xs) + Math.max(...xs)) / 2 : null;
    },
    { base64: png ? png.toString("base64") : null, colour, rowFraction, left, range },
  );
}

/** The slider's thumb: the centre of the accent-coloured columns across the middle of the slider, its markers hidden a moment so only the thumb is read. */
async function thumbX(page: Page): Promise<number | null> {
  const track = page.getByTestId("scrubber");
  const box = (await track.boundingBox())!;
  await page.evaluate(() => document.querySelector<HTMLElement>(".event-markers")!.style.setProperty("visibility", "hidden"));
  const png = await page.screenshot({ clip: box });
  await page.evaluate(() => document.querySelector<HTMLElement>(".event-markers")!.style.removeProperty("visibility"));
  return columnsCentre(page, png, "--accent", 0.5, box.x);
}

/** The chart's red line for the replay cursor, across the middle of the plot. */
const cursorLineX = (page: Page) => columnsCentre(page, null, "--bad", 0.5, 0);

async function seek(page: Page, position: number): Promise<void> {
  await page.getByTestId("scrubber").fill(String(position));
  await expect(page.getByTestId("replay-pos")).toHaveText(new RegExp(`^${position.toLocaleString("en-US")} /`));
}

test("the Timeline chart's cursor line and event marks, the slider's markers and its thumb at one position share one x, at 1400×900 and 1024×700", async ({ page, workDir, explorer }) => {
  const server = await explorer(await demoStoreCopy(workDir));
  await page.goto(server.url);
  await page.getByTestId("nav-timeline").click();
  const chart = page.getByTestId("timeline-chart");
  await expect(chart).toHaveAttribute("data-axis", "position");
  const total = Number(await chart.getAttribute("data-total"));
  const markers = page.getByTestId("event-marker");
  await expect(markers.first()).toBeVisible();
  const events = await markers.evaluateAll((els) => els.map((el) => Number(el.getAttribute("data-position"))));
  expect(events.length).toBeGreaterThan(1);
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const position of [0, Math.floor(total / 3), total, ...events]) {
      await seek(page, position);
      // Polled: the chart is drawn again after a resize, and the slider's padding follows it.
      await expect.poll(async () => {
        const [line, thumb] = [await cursorLineX(page), await thumbX(page)];
        return line !== null && thumb !== null && Math.abs(line - thumb) <= SAME_X ? "same x" : `cursor line at ${line}, thumb at ${thumb}`;
      }, { message: `at ${size.width} px, position ${position}: the chart's cursor line and the slider's thumb` }).toBe("same x");
    }
    for (const position of events) {
      await seek(page, position);
      const thumb = (await thumbX(page))!;
      const marker = (await page.locator(`[data-testid=event-marker][data-position="${position}"]`).boundingBox())!;
      expect(Math.abs(marker.x + marker.width / 2 - thumb), `at ${size.width} px, the slider's marker at position ${position} and its thumb there`).toBeLessThanOrEqual(SAME_X);
      // The chart's own mark, with the cursor elsewhere so its line does not cover it: an archive's (accent) or a compaction's (warn).
      await seek(page, position > total / 2 ? 0 : total);
      const near: [number, number] = [thumb - 6, thumb + 6];
      const mark = (await columnsCentre(page, null, "--accent", 0.5, 0, near)) ?? (await columnsCentre(page, null, "--warn", 0.5, 0, near));
      expect(mark, `at ${size.width} px, the chart's mark of the event at position ${position}`).not.toBeNull();
      expect(Math.abs(mark! - thumb), `at ${size.width} px, the chart's mark at position ${position} and the slider's thumb there`).toBeLessThanOrEqual(SAME_X);
    }
  }
});

test("the Timeline view, chart and slider on one axis (screenshots: both themes, 1400×900 and 1024×700)", async ({ page, workDir, explorer }) => {
  const server = await explorer(await demoStoreCopy(workDir));
  await page.goto(server.url);
  await page.getByTestId("nav-timeline").click();
  const chart = page.getByTestId("timeline-chart");
  await expect(chart.locator(".u-over")).toBeVisible();
  const total = Number(await chart.getAttribute("data-total"));
  await seek(page, Math.floor(total / 2));
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const size of SIZES) {
      await page.setViewportSize(size);
      // Hovered over the chart at a third of its width: the hover line names that position.
      await expect.poll(async () => {
        const box = (await chart.locator(".u-over").boundingBox())!;
        await page.mouse.move(box.x + box.width / 3, box.y + box.height / 2);
        return chart.getByTestId("chart-hover").getAttribute("data-hover-position");
      }).not.toBeNull();
      await page.screenshot({ path: join(SCREENSHOTS, `timeline-axis-${scheme}-${size.width}.png`) });
    }
  }
});

test("on a store of 1,100 ops the chart counts ranges of several ops, and the chart and the slider at one x name the same position and range (screenshot)", async ({ page, workDir, explorer }) => {
  const { elevenHundredOpsOneWal } = await import("../../engine/test/scenarios/index.js");
  const { dir } = await elevenHundredOpsOneWal.build(join(workDir, "big"));
  const server = await explorer(dir);
  await page.setViewportSize(SIZES[0]);
  await page.goto(server.url);
  await page.getByTestId("nav-timeline").click();
  const chart = page.getByTestId("timeline-chart");
  await expect(chart).toHaveAttribute("data-total", "1100");
  const width = Number(await chart.getAttribute("data-bucket-ops"));
  expect(width).toBeGreaterThan(1);
  const hover = chart.getByTestId("chart-hover");
  const [plot, slider] = [(await chart.locator(".u-over").boundingBox())!, (await page.getByTestId("scrubber").boundingBox())!];
  for (const fraction of [0.1, 0.5, 0.9]) {
    const x = plot.x + plot.width * fraction;
    await page.mouse.move(x, plot.y + plot.height / 2);
    await expect(hover).toHaveAttribute("data-hover-position", /\d/);
    const [position, first, last] = await Promise.all(["data-hover-position", "data-first-pos", "data-last-pos"].map(async (a) => Number(await hover.getAttribute(a))));
    // The range is the one of `width` ops holding op pos position - 1.
    expect([first, last]).toEqual([Math.floor((position - 1) / width) * width, Math.floor((position - 1) / width) * width + width - 1]);
    await page.mouse.move(x, slider.y + slider.height / 2);
    await expect(hover, `the slider at the chart's x for position ${position}`).toHaveAttribute("data-hover-position", String(position));
    await expect(hover).toHaveAttribute("data-first-pos", String(first));
  }
  await page.screenshot({ path: join(SCREENSHOTS, "timeline-axis-1100-ops-slider-hover.png") });
});
