/**
 * The charts: above the Timeline's slider, ops per range of positions
 * stacked by agent and the record count, on the slider's axis; on the
 * Agents view, ops per agent over time. The numbers a hover shows are
 * checked against the raw WAL lines of a store the published opslog wrote
 * (replayed here in (clock, agent) order); a click on the Timeline chart
 * replays to the position under the pointer, on the Agents chart zooms.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Locator, Page } from "@playwright/test";
import { Store } from "@backloghq/opslog";
import { demoStoreCopy, expect, SCREENSHOTS, test } from "../fixtures";
import type { Doc } from "../fixtures";

type RawOp = { ts: string; op: "set" | "delete"; id: string; agent: string; clock: number };

/** Until the clock has moved on by `ms` (a condition polled, not a fixed sleep). */
async function clockMoves(ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) await new Promise((ok) => setImmediate(ok));
}

/** Three agents writing in bursts of different sizes, some deletes of their own records, spread over ~0.3 s. */
async function threeAgentStore(parent: string): Promise<string> {
  const dir = join(parent, "three");
  const agents: [string, Store<Doc>][] = [];
  for (const name of ["alpha", "beta", "gamma"]) {
    const store = new Store<Doc>();
    await store.open(dir, { agentId: name, checkpointOnClose: false });
    agents.push([name, store]);
  }
  for (let round = 0; round < 12; round++) {
    for (const [name, store] of agents) {
      const burst = (round + name.length) % 4;
      let last: string | null = null;
      for (let i = 0; i < burst; i++) await store.set((last = `${name}-${(round * 3 + i) % 10}`), { round, i });
      if (round % 5 === 4 && last) await store.delete(last); // its own record: agents do not see each other's without a refresh
    }
    await clockMoves(25);
  }
  for (const [, store] of agents) await store.close();
  return dir;
}

/** The ops in replay order (clock, then agent) and the record count after each position, replayed here from the WAL lines. */
async function replayRaw(dir: string): Promise<{ ops: RawOp[]; records: number[] }> {
  const ops: RawOp[] = [];
  for (const name of await readdir(join(dir, "ops"))) {
    for (const line of (await readFile(join(dir, "ops", name), "utf-8")).split("\n")) if (line.trim()) ops.push(JSON.parse(line) as RawOp);
  }
  ops.sort((a, b) => a.clock - b.clock || (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0));
  const alive = new Set<string>();
  const records = [0];
  for (const o of ops) {
    if (o.op === "set") alive.add(o.id);
    else alive.delete(o.id);
    records.push(alive.size);
  }
  return { ops, records };
}

/** What the hover line shows, as numbers. */
async function shownBucket(hover: Locator) {
  const byAgent: Record<string, number> = {};
  const agents = hover.getByTestId("chart-hover-agent");
  for (let i = 0; i < (await agents.count()); i++) byAgent[(await agents.nth(i).getAttribute("data-agent"))!] = Number(await agents.nth(i).getAttribute("data-ops"));
  const attr = async (name: string) => (await hover.getAttribute(name))!;
  return { start: await attr("data-start"), end: await attr("data-end"), ops: Number(await attr("data-ops")), records: Number(await attr("data-records")), position: Number(await attr("data-position")), byAgent };
}

/** The same bucket counted from the raw lines: ops dated in [start, end), and the state after every op dated before end. */
function expectedBucket(raw: { ops: RawOp[]; records: number[] }, start: string, end: string) {
  const [from, to] = [Date.parse(start), Date.parse(end)];
  const inside = raw.ops.filter((o) => Date.parse(o.ts) >= from && Date.parse(o.ts) < to);
  const byAgent = Object.fromEntries(["alpha", "beta", "gamma"].map((a) => [a, inside.filter((o) => o.agent === a).length]));
  const position = raw.ops.reduce((p, o, i) => (Date.parse(o.ts) < to ? i + 1 : p), 0);
  return { start, end, ops: inside.length, records: raw.records[position], position, byAgent };
}

/** Some ops spread over the store's time: the first, every seventh, the last. */
const sampleOps = (raw: { ops: RawOp[] }) => raw.ops.filter((_, i) => i % 7 === 0 || i === raw.ops.length - 1);

/** Point at an op's time on a chart of the whole store until the hovered bucket holds it (the pointer is placed again each try: the layout may settle meanwhile). */
async function hoverOp(page: Page, chart: Locator, op: RawOp): Promise<void> {
  const t = Date.parse(op.ts);
  const hover = chart.getByTestId("chart-hover");
  // The middle of the bar that holds the op: its edges are the chart's start plus whole bucket widths.
  const holds = async () => {
    // The chart's own range (its first bucket's start to its last one's end), read each try: the chart may be drawn again with another range meanwhile.
    const [from, to, width] = [Date.parse((await chart.getAttribute("data-from"))!), Date.parse((await chart.getAttribute("data-to"))!), Number(await chart.getAttribute("data-bucket-ms"))];
    // The middle of its bar (the last bar may be narrower: it ends at the chart's end).
    const start = from + Math.floor((t - from) / width) * width;
    const middle = (start + Math.min(start + width, to)) / 2;
    await hoverAt(page, chart, (middle - from) / (to - from));
    if (!(await hover.isVisible())) return false;
    return Date.parse((await hover.getAttribute("data-start"))!) <= t && t < Date.parse((await hover.getAttribute("data-end"))!);
  };
  await expect.poll(holds, { message: `the hovered bucket holds ${op.ts}` }).toBe(true);
}

/** Move the pointer to a fraction of the chart's plotting area, at mid height. */
async function hoverAt(page: Page, chart: Locator, fraction: number): Promise<void> {
  // The chart is drawn anew when its data arrives (the Agents view asks again once the lanes' range is known): wait for one that stays.
  let box: Awaited<ReturnType<Locator["boundingBox"]>> = null;
  await expect.poll(async () => (box = await chart.locator(".u-over").boundingBox()) !== null).toBe(true);
  box = box!;
  await page.mouse.move(box.x + box.width * fraction, box.y + box.height / 2);
}

/** What the Timeline's hover line shows, as numbers: the position under the pointer and the range of ops holding the op that made it. */
async function shownRange(hover: Locator) {
  const byAgent: Record<string, number> = {};
  const agents = hover.getByTestId("chart-hover-agent");
  for (let i = 0; i < (await agents.count()); i++) byAgent[(await agents.nth(i).getAttribute("data-agent"))!] = Number(await agents.nth(i).getAttribute("data-ops"));
  const attr = async (name: string) => (await hover.getAttribute(name))!;
  return { firstPos: Number(await attr("data-first-pos")), lastPos: Number(await attr("data-last-pos")), firstTime: await attr("data-first-time"), lastTime: await attr("data-last-time"), ops: Number(await attr("data-ops")), records: Number(await attr("data-records")), position: Number(await attr("data-position")), byAgent };
}

/** The same range counted from the raw lines: its ops by agent, its first and last op's time, the records after its last op. */
function expectedRange(raw: { ops: RawOp[]; records: number[] }, firstPos: number, lastPos: number) {
  const inside = raw.ops.slice(firstPos, lastPos + 1);
  const byAgent = Object.fromEntries(["alpha", "beta", "gamma"].map((a) => [a, inside.filter((o) => o.agent === a).length]));
  return { firstPos, lastPos, firstTime: new Date(raw.ops[firstPos].ts).toISOString(), lastTime: new Date(raw.ops[lastPos].ts).toISOString(), ops: inside.length, records: raw.records[lastPos + 1], position: lastPos + 1, byAgent };
}

/** The x (viewport px) of a position on the Timeline chart's axis: the plot spans position 0 to the last (a pixel in from its right edge, which is outside it). */
async function xOfPosition(chart: Locator, position: number): Promise<number> {
  const box = (await chart.locator(".u-over").boundingBox())!;
  return Math.min(box.x + box.width - 1, box.x + (position / Number(await chart.getAttribute("data-total"))) * box.width);
}

test("the Timeline chart counts by position: over the chart and over the slider at the same x the hover names the same position, its range's ops per agent and records match the WAL lines, and a click replays there", async ({ page, workDir, explorer }) => {
  const dir = await threeAgentStore(workDir);
  const raw = await replayRaw(dir);
  const server = await explorer(dir);
  await page.goto(server.url);
  await page.getByTestId("nav-timeline").click();
  const chart = page.getByTestId("timeline-chart");
  await expect(chart.locator(".u-over")).toBeVisible();
  await expect(chart).toHaveAttribute("data-axis", "position");
  await expect(chart).toHaveAttribute("data-total", String(raw.ops.length));
  const hover = chart.getByTestId("chart-hover");
  const plot = chart.locator(".u-over");
  const slider = page.getByTestId("scrubber");
  // Position 0, every seventh, the last: the hover names it and the range holding the op that made it, counted right.
  for (const position of [0, ...raw.ops.map((_, i) => i + 1).filter((p) => p % 7 === 0), raw.ops.length]) {
    const x = await xOfPosition(chart, position);
    const [over, under] = [(await plot.boundingBox())!, (await slider.boundingBox())!];
    await page.mouse.move(x, over.y + over.height / 2);
    await expect(hover, `over the chart at position ${position}`).toHaveAttribute("data-hover-position", String(position));
    const shown = await shownRange(hover);
    expect(shown.firstPos <= Math.max(0, position - 1) && Math.max(0, position - 1) <= shown.lastPos, `the range ${shown.firstPos}..${shown.lastPos} holds op pos ${position - 1}`).toBe(true);
    expect(shown, `the range holding position ${position}`).toEqual(expectedRange(raw, shown.firstPos, shown.lastPos));
    // Straight down onto the slider, the same x: the same position.
    await page.mouse.move(x, under.y + under.height / 2);
    await expect(hover, `over the slider at position ${position}'s x`).toHaveAttribute("data-hover-position", String(position));
  }

  const middle = Math.floor(raw.ops.length / 2);
  const box = (await plot.boundingBox())!;
  await page.mouse.move(await xOfPosition(chart, middle), box.y + box.height / 2);
  await expect(hover).toHaveAttribute("data-hover-position", String(middle));
  await page.mouse.down();
  await page.mouse.up();
  await expect(page.getByTestId("replay-pos")).toHaveText(`${middle} / ${raw.ops.length}`);
  await expect(page.getByTestId("state-total")).toHaveText(`${raw.records[middle]} records at position ${middle}`);
});

test("the Agents chart counts each agent's ops per bucket as the WAL lines do, and a click zooms the lanes to that bucket", async ({ page, workDir, explorer }) => {
  const dir = await threeAgentStore(workDir);
  const raw = await replayRaw(dir);
  const server = await explorer(dir);
  await page.goto(server.url);
  await page.getByTestId("nav-agents").click();
  const chart = page.getByTestId("agents-chart");
  await expect(chart.locator(".u-over")).toBeVisible();
  const hover = chart.getByTestId("chart-hover");
  for (const op of sampleOps(raw)) {
    await hoverOp(page, chart, op);
    const shown = await shownBucket(hover);
    const expected = expectedBucket(raw, shown.start, shown.end);
    expect({ ops: shown.ops, byAgent: shown.byAgent }, `hovered over ${op.agent}'s op at ${op.ts}`).toEqual({ ops: expected.ops, byAgent: expected.byAgent });
    expect(shown.byAgent[op.agent]).toBeGreaterThan(0);
  }
  await page.screenshot({ path: join(SCREENSHOTS, "charts-agents.png") });

  // A click zooms the lanes to the bucket (widened to the axis's narrowest window, 5 ms); the chart then counts that window only.
  const middle = raw.ops[Math.floor(raw.ops.length / 2)];
  await hoverOp(page, chart, middle);
  const picked = await shownBucket(hover);
  await page.mouse.down();
  await page.mouse.up();
  await expect(page.getByTestId("axis-window")).not.toHaveText("");
  const [a, b] = await Promise.all(["data-from", "data-to"].map(async (name) => Number(await page.getByTestId("axis-window").getAttribute(name))));
  // The window's edges are shown to the ms (rounded): 1 ms of slack.
  expect(a).toBeLessThanOrEqual(Date.parse(picked.start) + 1);
  expect(b).toBeGreaterThanOrEqual(Date.parse(picked.end) - 2);
  await expect.poll(async () => (await hoverAt(page, chart, 0.01), Date.parse((await shownBucket(hover)).start))).toBeGreaterThanOrEqual(a - 1);
  await hoverAt(page, chart, 0.99);
  expect(Date.parse((await shownBucket(hover)).end)).toBeLessThanOrEqual(b + 2);
  await page.screenshot({ path: join(SCREENSHOTS, "charts-agents-zoomed.png") });
});

/** One writer: sets, an archive (which compacts), more sets, a compaction, a last set; returns how many archive() and compact() calls it made. */
async function archivedStore(parent: string): Promise<{ dir: string; archives: number; compactions: number }> {
  const dir = join(parent, "archived");
  const store = new Store<Doc>();
  await store.open(dir, { checkpointThreshold: 1000, checkpointOnClose: false });
  for (let i = 0; i < 8; i++) await store.set(`t${i}`, { status: i % 2 ? "done" : "open" });
  await clockMoves(20);
  await store.archive((t) => t.status === "done", "2026-Q1");
  await clockMoves(20);
  for (let i = 8; i < 12; i++) await store.set(`t${i}`, { status: "open" });
  await clockMoves(20);
  await store.compact();
  await clockMoves(20);
  await store.set("t12", { status: "open" });
  await store.close();
  return { dir, archives: 1, compactions: 1 };
}

test("the Timeline chart marks each archive and each compaction the store went through", async ({ page, workDir, explorer }) => {
  const written = await archivedStore(workDir);
  // The snapshots on disk besides the first: one per compaction, archive()'s own included.
  const snapshots = (await readdir(join(written.dir, "snapshots"))).length;
  expect(snapshots - 1).toBe(written.archives + written.compactions);
  const server = await explorer(written.dir);
  await page.goto(server.url);
  await page.getByTestId("nav-timeline").click();
  const marks = page.getByTestId("timeline-chart").getByTestId("chart-marks");
  await expect(marks).toHaveAttribute("data-archives", String(written.archives));
  await expect(marks).toHaveAttribute("data-compactions", String(snapshots - 1));
});

test("the Timeline chart of the demo store (screenshot)", async ({ page, workDir, explorer }) => {
  const server = await explorer(await demoStoreCopy(workDir));
  await page.goto(server.url);
  await page.getByTestId("nav-timeline").click();
  await expect(page.getByTestId("timeline-chart").locator(".u-over")).toBeVisible();
  await expect(page.getByTestId("chart-marks")).not.toHaveAttribute("data-archives", "0");
  await page.getByTestId("scrubber").fill("150"); // the cursor's line mid-chart
  await expect(page.getByTestId("replay-pos")).toHaveText(/^150 \//);
  await page.screenshot({ path: join(SCREENSHOTS, "charts-timeline.png") });
});

test("the Agents chart's plot spans exactly the lanes' ruler, at 1400 and at 1024 px, and after the detail pane is resized", async ({ page, workDir, explorer }) => {
  const server = await explorer(await demoStoreCopy(workDir));
  await page.goto(server.url);
  await page.getByTestId("nav-agents").click();
  const plot = page.getByTestId("agents-chart").locator(".u-over");
  const ruler = page.getByTestId("lane-axis");
  const edges = async () => {
    const [p, r] = [await plot.boundingBox(), await ruler.boundingBox()];
    return p && r ? [Math.round(p.x - r.x) + 0, Math.round(p.x + p.width - (r.x + r.width)) + 0] : null; // + 0: no -0
  };
  for (const size of [{ width: 1400, height: 900 }, { width: 1024, height: 700 }]) {
    await page.setViewportSize(size);
    await expect.poll(edges, { message: `at ${size.width} px: the plot's left and right edges less the ruler's` }).toEqual([0, 0]);
  }
  await page.getByTestId("pane-handle").focus();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await expect.poll(edges, { message: "after the detail pane narrowed" }).toEqual([0, 0]);
  await page.screenshot({ path: join(SCREENSHOTS, "charts-agents-aligned-1024.png") });
});
