/**
 * A Timeline step is one call (timeline.step) for every pane, and a fast scrub
 * ends showing the last position it reached: the op, its diff and the state
 * of that position, never a slower answer for a position passed on the way.
 * A step superseded before its answer came is dropped by the page (its
 * request aborted). A watched query that fails at one position fails the
 * state pane alone: the op and its diffs still show. On 1,100 sets over k-0..k-49 ({n: i}) written by the
 * published opslog, so the state at position p is, for each k, {n: the last
 * i < p with i % 50 = k}: computed here, not by the explorer. The diff "from
 * here to now" shows its first 50 rows and more when asked, kept as the
 * cursor moves (on 1,100 new records and CSV_TRAPS' after them).
 */
import type { Page, Request, Route } from "@playwright/test";
import { join } from "node:path";
import { expect, test } from "../fixtures";
import { CSV_TRAPS, csvTrapsPastTheFirstThousand, elevenHundredOpsOneWal } from "../../engine/test/scenarios/index.js";

const TOTAL = 1100;
const fmt = (n: number) => n.toLocaleString("en-US");

/** The records at position p, by id: k-(i % 50) = {n: i} for the last such i before p. */
function stateAt(p: number): Map<string, string> {
  const state = new Map<string, string>();
  for (let i = 0; i < p; i++) state.set(`k-${i % 50}`, String(i));
  return state;
}

/** Every pane at `pos`: the position, its op, and the rows of the state table on screen, each as the model has it. */
async function expectEveryPaneAt(page: Page, pos: number): Promise<void> {
  await expect(page.getByTestId("replay-pos")).toHaveAttribute("data-panes-at", String(pos));
  await expect(page.getByTestId("replay-pos")).toHaveAttribute("aria-busy", "false");
  await expect(page.getByTestId("current-position")).toHaveText(`Position ${fmt(pos)} of ${fmt(TOTAL)}: after op #${fmt(pos)}`);
  const opId = `k-${(pos - 1) % 50}`;
  await expect(page.getByTestId("current-op")).toContainText(opId);
  await expect(page.getByTestId("diff-prev").getByTestId("diff-row")).toHaveCount(1);
  await expect(page.getByTestId("diff-prev").getByTestId("diff-row")).toContainText(opId);
  await expect(page.getByTestId("state-total")).toHaveText(`50 records at position ${fmt(pos)}`);
  const state = stateAt(pos);
  const rows = await page.getByTestId("state-row").evaluateAll((els) => els.map((r) => [...r.querySelectorAll(".vtable-cell")].map((c) => c.textContent)));
  expect(rows.length).toBeGreaterThan(5);
  for (const [id, n] of rows) expect([id, n], `row ${id} at position ${pos}`).toEqual([id, state.get(id!)]);
}

/** The Timeline of the 1,100-op store, settled at position `pos`, with the keys going to the page (not a box). */
async function timelineAt(page: Page, url: string, pos: number): Promise<void> {
  await page.goto(url);
  await page.getByTestId("nav-timeline").click();
  await expect(page.getByTestId("replay-pos")).toHaveText(`${fmt(TOTAL)} / ${fmt(TOTAL)}`);
  await page.getByTestId("scrubber").fill(String(pos));
  await expectEveryPaneAt(page, pos);
  await page.getByTestId("replay-pos").click();
}

/** The names of the calls the page asks from now on. */
function callsAsked(page: Page): string[] {
  const names: string[] = [];
  page.on("request", (r) => {
    const call = /\/api\/call\/([^/?]+)$/.exec(new URL(r.url()).pathname);
    if (call) names.push(call[1]);
  });
  return names;
}

test("a step asks one call for every pane, with or without a watched query", async ({ page, workDir, explorer }) => {
  const { dir } = await elevenHundredOpsOneWal.build(join(workDir, "big"));
  const server = await explorer(dir);
  await timelineAt(page, server.url, 600);
  const asked = callsAsked(page);
  await page.keyboard.press("ArrowRight");
  await expectEveryPaneAt(page, 601);
  expect(asked).toEqual(["timeline.step"]);

  await page.getByTestId("state-filter").fill("{n: {$gte: 580}}");
  await page.getByTestId("state-filter-apply").click();
  await expect(page.getByTestId("state-total")).toHaveText(`21 records match at position ${fmt(601)}`); // n = 580..600
  await page.getByTestId("replay-pos").click();
  asked.length = 0;
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByTestId("replay-pos")).toHaveAttribute("data-panes-at", "600");
  await expect(page.getByTestId("state-total")).toHaveText(`20 records match at position ${fmt(600)}`);
  expect(asked).toEqual(["timeline.step"]);
});

test("a fast scrub ends showing the last position in every pane, one call asked a step at most", async ({ page, workDir, explorer }) => {
  const { dir } = await elevenHundredOpsOneWal.build(join(workDir, "big"));
  const server = await explorer(dir);
  await timelineAt(page, server.url, 500);
  const asked = callsAsked(page);
  // Faster than any answer: 20 steps in one task of the page, then 20 more by key presses, answers coming between them.
  await page.evaluate(() => {
    for (let i = 0; i < 20; i++) document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true }));
  });
  for (let i = 0; i < 20; i++) await page.keyboard.press("ArrowRight");
  await expectEveryPaneAt(page, 540);
  expect(asked.length).toBeGreaterThan(0);
  expect(asked.length).toBeLessThanOrEqual(40);
  expect(new Set(asked)).toEqual(new Set(["timeline.step"]));
});

test("a step whose answer has not come when the next step is made is dropped: its request is aborted, and the newer position shows", async ({ page, workDir, explorer }) => {
  const { dir } = await elevenHundredOpsOneWal.build(join(workDir, "big"));
  const server = await explorer(dir);
  await timelineAt(page, server.url, 700);
  // Hold the request for position 701 (as a busy server would); let every other one through.
  let held: { route: Route; request: Request } | null = null;
  let caught = () => {};
  const holding = new Promise<void>((resolve) => (caught = resolve));
  await page.route("**/api/call/timeline.step", async (route, request) => {
    if ((request.postDataJSON() as { pos: number }).pos === 701) {
      held = { route, request };
      caught();
    } else await route.continue();
  });
  await page.keyboard.press("ArrowRight");
  await holding;
  const dropped = page.waitForEvent("requestfailed", (r) => r === held!.request);
  await page.keyboard.press("ArrowRight");
  expect((await dropped).failure()?.errorText).toMatch(/abort/i);
  await expectEveryPaneAt(page, 702);
  await held!.route.continue().catch(() => {}); // the page no longer waits for it
  await page.unrouteAll({ behavior: "ignoreErrors" });
});

test("a watched query that fails at one position (past the deadline there) leaves the op and its diffs on screen; the state pane alone says why", async ({ page, workDir, explorer }) => {
  const { dir } = await elevenHundredOpsOneWal.build(join(workDir, "big"));
  const server = await explorer(dir);
  // The server's own answer at 701 first (its op and diffs), kept to answer the failing step at once: no request to the server is in flight while the failure lands.
  const isStep = (r: Request, pos: number) => r.url().endsWith("/api/call/timeline.step") && (r.postDataJSON() as { pos: number }).pos === pos;
  const asked701 = page.waitForResponse((r) => isStep(r.request(), 701));
  await timelineAt(page, server.url, 701);
  const answer701 = (await (await asked701).json()) as { ok: true; value: Record<string, unknown> };
  await page.getByTestId("scrubber").fill("700");
  await expectEveryPaneAt(page, 700);
  const filtered = page.waitForResponse((r) => r.url().endsWith("/api/call/records"));
  await page.getByTestId("state-filter").fill("{n: {$gte: 0}}");
  await page.getByTestId("state-filter-apply").click();
  await filtered; // the watched query's rows at 700 have come: no refresh of them is in flight when the cursor moves
  await expect(page.getByTestId("state-total")).toHaveText(`50 records match at position ${fmt(700)}`);
  await expect(page.getByTestId("state-row").first()).toHaveText(/k-0\s*650/);
  await page.getByTestId("replay-pos").click();
  // At 701 the server's answer is the one a state query past the inspector's deadline gives (electron/replay-step.ts, tested there with a query that never ends).
  const why = "The watched query failed at position 701 (the op and its diffs still show): the inspector took longer than 30 s to answer (replayStep), so that call was stopped and the store reopened. Try a narrower filter or a smaller page.";
  const failedAt701: string[] = [];
  await page.route("**/api/call/timeline.step", async (route, request) => {
    if (!isStep(request, 701)) return route.continue();
    failedAt701.push(request.postData() ?? "");
    await route.fulfill({ json: { ...answer701, value: { ...answer701.value, state: [], stateError: { code: "timeout", message: why } } } });
  });
  await page.keyboard.press("ArrowRight");
  await expect(page.getByTestId("replay-pos")).toHaveAttribute("data-panes-at", "701");
  await expect(page.getByTestId("current-position")).toHaveText(`Position ${fmt(701)} of ${fmt(TOTAL)}: after op #${fmt(701)}`);
  await expect(page.getByTestId("current-op")).toContainText(`k-${700 % 50}`);
  await expect(page.getByTestId("diff-prev").getByTestId("diff-row")).toHaveCount(1);
  await expect(page.getByTestId("diff-now").getByTestId("diff-row")).toHaveCount(50);
  await expect(page.getByTestId("state-table").getByTestId("pane-error"), `the steps to 701 answered with the failure: ${failedAt701.length}`).toHaveText(why);
  await expect(page.getByTestId("state-total")).toHaveText(`no state shown at position ${fmt(701)}`);
  await expect(page.getByTestId("pane-error")).toHaveCount(1); // the op pane shows its op, not the error
  expect(failedAt701.every((body) => JSON.parse(body).filter !== undefined), "each step to 701 carried the watched query").toBe(true);
  await page.keyboard.press("ArrowRight"); // the next position answers in full: its state shows again
  await expect(page.getByTestId("replay-pos")).toHaveAttribute("data-panes-at", "702");
  await expect(page.getByTestId("state-total")).toHaveText(`50 records match at position ${fmt(702)}`);
  await expect(page.getByTestId("pane-error")).toHaveCount(0);
  await expect(page.getByTestId("state-row").first()).toHaveText(/k-0\s*700/);
  await page.unrouteAll({ behavior: "ignoreErrors" });
});

test("the diff from here to now shows its first 50 rows, and 150 more each time the user asks, kept as the cursor moves on", async ({ page, workDir, explorer }) => {
  const { dir } = await csvTrapsPastTheFirstThousand.build(join(workDir, "many"));
  const server = await explorer(dir);
  const total = 1100 + Object.keys(CSV_TRAPS).length;
  // The records the ops after position p write: r(p)..r1099, then CSV_TRAPS' (one op each, in that order).
  const laterIds = (p: number) => new Set([...Array.from({ length: 1100 - p }, (_, i) => `r${String(p + i).padStart(4, "0")}`), ...Object.keys(CSV_TRAPS)]).size;
  await page.goto(server.url);
  await page.getByTestId("nav-timeline").click();
  await expect(page.getByTestId("replay-pos")).toHaveText(`${fmt(total)} / ${fmt(total)}`);
  await page.getByTestId("scrubber").fill("1000");
  await expect(page.getByTestId("replay-pos")).toHaveAttribute("data-panes-at", "1000");
  const later = page.getByTestId("diff-now").getByTestId("diff-row");
  await expect(later).toHaveCount(50);
  await expect(page.getByTestId("diff-more")).toHaveText(`…and ${fmt(laterIds(1000) - 50)} more: show ${fmt(Math.min(150, laterIds(1000) - 50))} more`);
  await page.getByTestId("diff-more").click();
  await expect(later).toHaveCount(Math.min(200, laterIds(1000)));
  await page.getByTestId("replay-pos").click();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByTestId("replay-pos")).toHaveAttribute("data-panes-at", "1001");
  await expect(later).toHaveCount(Math.min(200, laterIds(1001)));
});
