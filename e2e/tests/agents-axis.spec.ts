/**
 * The Agents view's axis: labels that never touch and carry the precision
 * the range needs (milliseconds on a store written in under a second); the
 * wheel zooms around the pointer, a drag pans, a drag on the ruler zooms to a
 * range, "Fit all" restores; an axis by position puts one op per slot in
 * replay order; a retired lane zooms to fill the track; the "sampled" note
 * stays clear of the marks.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Locator, Page } from "@playwright/test";
import { demoStoreCopy, expect, SCREENSHOTS, test } from "../fixtures";
import { elevenHundredOpsOneWal, twoAgentsBurstUnderASecond } from "../../engine/test/scenarios/index.js";

type Box = { x: number; y: number; width: number; height: number };
type RawOp = { ts: string; id: string; agent: string; clock: number };

async function rawOps(dir: string): Promise<RawOp[]> {
  const out: RawOp[] = [];
  for (const name of await readdir(join(dir, "ops"))) {
    for (const line of (await readFile(join(dir, "ops", name), "utf-8")).split("\n")) if (line.trim()) out.push(JSON.parse(line) as RawOp);
  }
  return out;
}

async function tickBoxes(page: Page): Promise<{ label: string; box: Box }[]> {
  const ticks = page.getByTestId("axis-tick");
  const out = [];
  for (let i = 0; i < (await ticks.count()); i++) out.push({ label: (await ticks.nth(i).textContent())!, box: (await ticks.nth(i).boundingBox())! });
  return out.sort((a, b) => a.box.x - b.box.x);
}

/** The labels are at least 3, distinct, inside the ruler, and no two boxes touch. */
async function expectReadableTicks(page: Page): Promise<string[]> {
  const ticks = await tickBoxes(page);
  const ruler = (await page.getByTestId("lane-axis").boundingBox())!;
  expect(ticks.length).toBeGreaterThanOrEqual(3);
  expect(new Set(ticks.map((t) => t.label)).size, `labels ${ticks.map((t) => t.label).join(" | ")} are distinct`).toBe(ticks.length);
  for (let i = 0; i < ticks.length; i++) {
    expect(ticks[i].box.x).toBeGreaterThanOrEqual(ruler.x - 0.5);
    expect(ticks[i].box.x + ticks[i].box.width).toBeLessThanOrEqual(ruler.x + ruler.width + 0.5);
    if (i > 0) expect(ticks[i].box.x, `"${ticks[i].label}" starts after "${ticks[i - 1].label}" ends`).toBeGreaterThan(ticks[i - 1].box.x + ticks[i - 1].box.width);
  }
  return ticks.map((t) => t.label);
}

const windowText = (page: Page) => page.getByTestId("axis-window").textContent();

async function middleOf(locator: Locator): Promise<{ x: number; y: number }> {
  const b = (await locator.boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

test("on a store written in under a second the axis labels show milliseconds, never touch, and the wheel, a drag and Fit all move the window", async ({ page, workDir, explorer }) => {
  const dir = (await twoAgentsBurstUnderASecond.build(join(workDir, "burst"))).dir;
  const times = (await rawOps(dir)).map((o) => Date.parse(o.ts));
  expect(Math.max(...times) - Math.min(...times), "the store was written in under a second").toBeLessThan(1000);
  const server = await explorer(dir);
  await page.goto(server.url);
  await page.getByTestId("nav-agents").click();
  await expect(page.getByTestId("lane")).toHaveCount(2);
  expect(Math.max(...times) - Math.min(...times), "the span is over the narrowest window").toBeGreaterThan(20);

  const labels = await expectReadableTicks(page);
  for (const label of labels) expect(label).toMatch(/^\d\d:\d\d:\d\d\.\d{3}( [AP]M)?$/); // the locale's clock (en-US: 12-hour)
  await page.screenshot({ path: join(SCREENSHOTS, "agents-burst-time.png") });
  const all = await windowText(page);

  await test.step("the wheel over the lanes zooms in around the pointer", async () => {
    const track = page.getByTestId("lane").first().locator(".lane-track");
    const at = await middleOf(track);
    await page.mouse.move(at.x, at.y);
    await page.mouse.wheel(0, -600);
    await expect.poll(() => windowText(page)).not.toBe(all);
    await expect(page.getByTestId("axis-fit")).toBeEnabled();
    await expectReadableTicks(page);
  });

  await test.step("a drag on the lanes pans; Fit all shows everything again", async () => {
    const zoomed = await windowText(page);
    const at = await middleOf(page.getByTestId("lane").first().locator(".lane-track"));
    await page.mouse.move(at.x, at.y);
    await page.mouse.down();
    await page.mouse.move(at.x + 80, at.y, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => windowText(page)).not.toBe(zoomed);
    await page.getByTestId("axis-fit").click();
    await expect.poll(() => windowText(page)).toBe(all);
    await expect(page.getByTestId("axis-fit")).toBeDisabled();
  });

  await test.step("a drag on the ruler zooms to that range", async () => {
    const ruler = (await page.getByTestId("lane-axis").boundingBox())!;
    const y = ruler.y + ruler.height / 2;
    await page.mouse.move(ruler.x + ruler.width * 0.25, y);
    await page.mouse.down();
    await page.mouse.move(ruler.x + ruler.width * 0.5, y, { steps: 4 });
    await page.mouse.up();
    // A quarter of the whole span, starting a quarter of the way in
    const [a, b] = [Math.min(...times), Math.max(...times)];
    // The window's edges, as the ruler's window says them (data-from/to: ms since 1970; the text is in the locale's clock).
    const edge = async (name: string) => Number(await page.getByTestId("axis-window").getAttribute(name));
    expect(Math.abs((await edge("data-from")) - (a + (b - a) * 0.25))).toBeLessThanOrEqual(Math.max(2, (b - a) * 0.03));
    expect(Math.abs((await edge("data-to")) - (a + (b - a) * 0.5))).toBeLessThanOrEqual(Math.max(2, (b - a) * 0.03));
  });
});

test("the axis by position gives each op a slot of its own, in replay order", async ({ page, workDir, explorer }) => {
  const dir = (await twoAgentsBurstUnderASecond.build(join(workDir, "burst"))).dir;
  // The expectation, independently: opslog's replay order, (clock, agent id), of the raw WAL lines.
  const expected = (await rawOps(dir)).sort((x, y) => x.clock - y.clock || x.agent.localeCompare(y.agent)).map((o) => o.id);
  const server = await explorer(dir);
  await page.goto(server.url);
  await page.getByTestId("nav-agents").click();
  await page.getByTestId("axis-kind-position").click();
  await expect(page.getByTestId("axis-window")).toHaveText(`positions 0–${expected.length} of ${expected.length}`);
  await expectReadableTicks(page);
  await page.screenshot({ path: join(SCREENSHOTS, "agents-burst-position.png") });
  const marks = await page.locator(".lane-track .mark").evaluateAll((els) => els.map((e) => ({ x: Math.round(e.getBoundingClientRect().x), title: e.getAttribute("title") ?? "" })));
  marks.sort((a, b) => a.x - b.x);
  expect(new Set(marks.map((m) => m.x)).size, "no two ops share a slot").toBe(expected.length);
  expect(marks.map((m) => m.title.split(" ")[3])).toEqual(expected);
  expect(marks.map((m) => m.title.split(" ")[1])).toEqual(expected.map((_, i) => `#${i + 1}`));

  // A click on a mark (not a drag) opens its op.
  await page.locator('.lane-track .mark[title^="op #3 "]').click();
  await expect(page.getByTestId("op-number")).toContainText("#3 of the timeline");
});

test("on the demo store a retired lane zooms to fill the track, labels stay apart at 1024 px", async ({ page, workDir, explorer }) => {
  const server = await explorer(await demoStoreCopy(workDir));
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(server.url);
  await page.getByTestId("nav-agents").click();
  await expect(page.getByTestId("lane").nth(3)).toBeVisible();
  await expectReadableTicks(page);
  const retired = page.locator('[data-testid=lane][data-named=false]').first();
  const track = (await retired.locator(".lane-track").boundingBox())!;
  const spread = async () => {
    const xs = await retired.locator(".mark").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().x));
    return (Math.max(...xs) - Math.min(...xs)) / track.width;
  };
  expect(await spread(), "before: the retired lane's marks are a sliver of the track").toBeLessThan(0.5);
  await retired.getByTestId("lane-zoom").click();
  await expect.poll(spread).toBeGreaterThan(0.9);
  await expectReadableTicks(page);
  await page.screenshot({ path: join(SCREENSHOTS, "agents-lane-zoomed-1024.png") });
});

test("a lane with more ops than are drawn says so beside the lane, clear of its marks; zoomed in, every op in view is drawn", async ({ page, workDir, explorer }) => {
  const { dir } = await elevenHundredOpsOneWal.build(join(workDir, "long"));
  const server = await explorer(dir);
  await page.goto(server.url);
  await page.getByTestId("nav-agents").click();
  const note = page.getByTestId("lane-sampled");
  await expect(note).toHaveText("1,000 of 1,100 ops drawn (sampled)");
  const [n, t] = [(await note.boundingBox())!, (await page.getByTestId("lane").locator(".lane-track").boundingBox())!];
  const apart = n.x + n.width <= t.x || n.y + n.height <= t.y || n.y >= t.y + t.height;
  expect(apart, `the note (${JSON.stringify(n)}) is outside the track (${JSON.stringify(t)})`).toBe(true);

  // Zoomed to positions around 110-154 (the whole-file sample skips some ops there): each op in view has its mark.
  await page.getByTestId("axis-kind-position").click();
  const ruler = (await page.getByTestId("lane-axis").boundingBox())!;
  await page.mouse.move(ruler.x + ruler.width * 0.1, ruler.y + ruler.height / 2);
  await page.mouse.down();
  await page.mouse.move(ruler.x + ruler.width * 0.14, ruler.y + ruler.height / 2, { steps: 4 });
  await page.mouse.up();
  await expect(page.getByTestId("axis-window")).toHaveText(/^positions [\d,]+–[\d,]+ of 1,100$/);
  const [a, b] = (await page.getByTestId("axis-window").textContent())!.replace(/,/g, "").match(/(\d+)–(\d+)/)!.slice(1).map(Number);
  const inView = Array.from({ length: b - a - 1 }, (_, i) => a + 1 + i); // op #N fills positions N-1..N: these lie wholly inside
  const drawn = async () => new Set(await page.locator(".lane-track .mark").evaluateAll((els) => els.map((e) => Number((e.getAttribute("title") ?? "").split(" ")[1]?.slice(1)))));
  await expect.poll(async () => { const d = await drawn(); return inView.filter((op) => !d.has(op)); }, { message: "ops in view without a mark" }).toEqual([]);
});
