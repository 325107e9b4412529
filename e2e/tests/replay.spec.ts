/** Timeline replay: the scrubber and the step buttons move the one replay cursor; the state follows it. */
import type { Page } from "@playwright/test";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Store } from "@backloghq/opslog";
import { demoStoreCopy, expect, SCREENSHOTS, test } from "../fixtures";
import type { Doc } from "../fixtures";

/** Every op line of a single writer's WALs (ops/ops-<ms>.jsonl), oldest file first, as written. */
async function rawWalOps(dir: string): Promise<{ op: "set" | "delete"; id: string; data?: Doc }[]> {
  const files = (await readdir(join(dir, "ops"))).filter((f) => /^ops-\d+\.jsonl$/.test(f)).sort();
  const lines = await Promise.all(files.map(async (f) => (await readFile(join(dir, "ops", f), "utf-8")).split("\n").filter((l) => l !== "")));
  return lines.flat().map((l) => JSON.parse(l) as { op: "set" | "delete"; id: string; data?: Doc });
}

async function position(page: Page): Promise<{ pos: number; total: number }> {
  const [pos, total] = ((await page.getByTestId("replay-pos").textContent()) ?? "").split("/").map((s) => Number(s.replace(/[^\d]/g, "")));
  return { pos, total };
}

async function stateIds(page: Page): Promise<string> {
  const rows = await page.getByTestId("state-row").allTextContents();
  return rows.join("\n");
}

// Opens Timeline straight from Records, before timelineInfo has loaded: the path that once hit React error #310.
test("scrubbing and stepping move the replay position and the current op", async ({ page, workDir, explorer }) => {
  const server = await explorer(await demoStoreCopy(workDir));
  await page.goto(server.url);
  await page.getByTestId("nav-timeline").click();
  await expect(page.getByTestId("replay-pos")).toHaveText(/^([\d,]+) \/ \1$/);
  const { total } = await position(page);
  expect(total).toBeGreaterThan(100);
  const currentOp = page.getByTestId("current-op");
  // Position N is the state after op #N (ops numbered from 1, as in Operations)
  const after = (n: number) => `Position ${n.toLocaleString("en-US")} of ${total.toLocaleString("en-US")}: after op #${n.toLocaleString("en-US")}`;
  await expect(page.getByTestId("current-position")).toHaveText(after(total));
  const stateNow = await stateIds(page);

  const middle = Math.floor(total / 2);
  await page.getByTestId("scrubber").fill(String(middle));
  await expect(page.getByTestId("replay-pos")).toHaveText(`${middle.toLocaleString("en-US")} / ${total.toLocaleString("en-US")}`);
  await expect(page.getByTestId("current-position")).toHaveText(after(middle));

  await page.getByTestId("step-forward").click();
  await expect(page.getByTestId("replay-pos")).toHaveText(`${(middle + 1).toLocaleString("en-US")} / ${total.toLocaleString("en-US")}`);
  await expect(page.getByTestId("current-position")).toHaveText(after(middle + 1));

  await page.getByTestId("step-back").click();
  await page.getByTestId("step-back").click();
  await expect(page.getByTestId("replay-pos")).toHaveText(`${(middle - 1).toLocaleString("en-US")} / ${total.toLocaleString("en-US")}`);
  await expect(page.getByTestId("current-position")).toHaveText(after(middle - 1));

  await page.keyboard.press("ArrowRight");
  await expect(page.getByTestId("replay-pos")).toHaveText(`${middle.toLocaleString("en-US")} / ${total.toLocaleString("en-US")}`);
  await expect(page.getByTestId("current-position")).toHaveText(after(middle));

  await test.step("position 0 is the oldest state, which differs from now", async () => {
    await page.getByTestId("scrubber").fill("0");
    await expect(page.getByTestId("replay-pos")).toHaveText(`0 / ${total.toLocaleString("en-US")}`);
    await expect(currentOp).toContainText(`Position 0 of ${total.toLocaleString("en-US")}: the oldest state on disk, before op #1.`);
    await expect(page.getByTestId("step-back")).toBeDisabled();
    await expect.poll(() => stateIds(page)).not.toBe(stateNow);
    await expect(page.getByTestId("diff-now")).toContainText(/[1-9]\d* added/);
  });
});

test("a query watched in the Timeline holds as the cursor moves: at each position, the records of that state that match it", async ({ page, workDir, explorer }) => {
  const dir = join(workDir, "watched");
  // A single writer's history across two compactions, written by the published opslog.
  const store = new Store<Doc>();
  await store.open(dir, { checkpointThreshold: 12, checkpointOnClose: false });
  for (let i = 0; i < 30; i++) {
    const id = `t-${String(i % 9).padStart(2, "0")}`;
    if (i % 7 === 6 && store.get(id) !== undefined) await store.delete(id);
    else await store.set(id, { status: i % 3 === 0 ? "done" : "open", n: i });
  }
  await store.close();
  // The expectation, independently of the inspector: the raw WAL lines, in file order, replayed here.
  const ops = await rawWalOps(dir);
  const doneAt = (at: number) => {
    const state = new Map<string, Doc>();
    for (const op of ops.slice(0, at)) {
      if (op.op === "set") state.set(op.id, op.data!);
      else state.delete(op.id);
    }
    return [...state].filter(([, v]) => v.status === "done").map(([id]) => id).sort();
  };

  expect((await readdir(join(dir, "ops"))).length, "the history spans compactions").toBeGreaterThan(1);
  expect(doneAt(ops.length).length).toBeGreaterThan(0);

  const server = await explorer(dir);
  await page.goto(server.url);
  await page.getByTestId("nav-timeline").click();
  await expect(page.getByTestId("replay-pos")).toHaveText(/^([\d,]+) \/ \1$/);
  const { total } = await position(page);
  expect(total).toBe(ops.length);
  await page.getByTestId("state-filter").fill('{status: "done"}');
  await page.getByTestId("state-filter-apply").click();
  const middle = Math.floor(total / 2);
  for (const at of [total, middle, middle - 1]) {
    if (at === middle) await page.getByTestId("scrubber").fill(String(at)); // a jump
    if (at === middle - 1) await page.getByTestId("step-back").click(); // a step
    const expected = doneAt(at);
    const matching = expected.length === 1 ? "record matches" : "records match";
    await expect(page.getByTestId("state-total")).toHaveText(`${expected.length} ${matching} at position ${at.toLocaleString("en-US")}`);
    await expect.poll(() => page.getByTestId("state-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-key")))).toEqual(expected);
  }
  await page.screenshot({ path: join(SCREENSHOTS, "timeline-filtered.png") });
});

test("a big store replays 1,100 ops at 4,000 ops a second, with one seek a tick, not one an op", async ({ page, workDir, explorer }) => {
  const { elevenHundredOpsOneWal } = await import("../../engine/test/scenarios/index.js");
  const { dir } = await elevenHundredOpsOneWal.build(join(workDir, "big"));
  const server = await explorer(dir);
  await page.goto(server.url);
  await page.getByTestId("nav-timeline").click();
  await expect(page.getByTestId("replay-pos")).toHaveText("1,100 / 1,100");
  await page.getByTestId("replay-start").click();
  await expect(page.getByTestId("replay-pos")).toHaveText("0 / 1,100");

  // Count the seeks the panes make (one timeline.step per position shown) while 1,100 ops play at 4,000 ops/s.
  let opGets = 0;
  page.on("request", (r) => { if (r.url().endsWith("/api/call/timeline.step")) opGets++; });
  await page.getByTestId("speed").selectOption("4000");
  await page.getByTestId("play").click();
  await expect(page.getByTestId("replay-pos")).toHaveText("1,100 / 1,100", { timeout: 15_000 });
  await expect(page.getByTestId("play")).toHaveAttribute("aria-label", "Play");
  expect(opGets, "one seek a tick, not one an op").toBeLessThan(30);
  expect(opGets, "the panes followed the play").toBeGreaterThan(0);
});

test("on the demo store play to the next event stops at the first archive or compaction marked, and real time × 3600 follows the ops' timestamps", async ({ page, workDir, explorer }) => {
  const dir = await demoStoreCopy(workDir);
  const server = await explorer(dir);
  await page.goto(server.url);
  await page.getByTestId("nav-timeline").click();
  await expect(page.getByTestId("replay-pos")).toHaveText(/^([\d,]+) \/ \1$/);
  const { total } = await position(page);
  const markers = (await page.getByTestId("event-marker").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-position"))))).sort((a, b) => a - b);
  const first = markers.find((p) => p > 0)!;
  expect(first).toBeGreaterThan(0);
  await page.getByTestId("replay-start").click();
  await page.getByTestId("speed").selectOption("1000");
  await page.getByTestId("play-next-event").click();
  await expect(page.getByTestId("replay-pos")).toHaveText(`${first.toLocaleString("en-US")} / ${total.toLocaleString("en-US")}`);
  await expect(page.getByTestId("play")).toHaveAttribute("aria-label", "Play");

  // Real time × 3600: an hour of the store's time a second. The first op comes at once; the whole store takes its span ÷ 3600.
  const times: number[] = [];
  for (const name of await readdir(join(dir, "ops"))) for (const line of (await readFile(join(dir, "ops", name), "utf-8")).split("\n")) if (line.trim()) times.push(Date.parse((JSON.parse(line) as { ts: string }).ts));
  await page.getByTestId("replay-start").click();
  await page.getByTestId("speed").selectOption("x3600");
  const startedAt = Date.now();
  await page.getByTestId("play").click();
  await expect(page.getByTestId("replay-pos")).toHaveText(`${total.toLocaleString("en-US")} / ${total.toLocaleString("en-US")}`, { timeout: 60_000 });
  const took = Date.now() - startedAt;
  const span = Math.max(...times) - Math.min(...times);
  expect(took, `the WALs' ops span ${span} ms: at 3600× about ${Math.round(span / 3600)} ms`).toBeGreaterThanOrEqual((span / 3600) * 0.5);
});
