/** Timeline replay: the scrubber and the step buttons move the one replay cursor; the state follows it. */
import type { Page } from "@playwright/test";
import { openInspector } from "../../engine/src/inspect/index.js";
import { join } from "node:path";
import { demoStoreCopy, expect, SCREENSHOTS, test } from "../fixtures";

async function position(page: Page): Promise<{ pos: number; total: number }> {
  const [pos, total] = ((await page.getByTestId("replay-pos").textContent()) ?? "").split("/").map((s) => Number(s.replace(/[^\d]/g, "")));
  return { pos, total };
}

async function stateIds(page: Page): Promise<string> {
  const rows = await page.getByTestId("state-row").allTextContents();
  return rows.join("\n");
}

// Opens Timeline straight from Records, before timeline.info has loaded: the path that once hit React error #310.
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
  const dir = await demoStoreCopy(workDir);
  // The expectation, independently: every record at a position, filtered here in plain code.
  const inspector = await openInspector(dir);
  const doneAt = async (at: number) => (await inspector.records({ at, offset: 0, limit: 100_000 })).rows.filter((r) => r.data.status === "done").map((r) => r.id);
  const server = await explorer(dir);
  await page.goto(server.url);
  await page.getByTestId("nav-timeline").click();
  await expect(page.getByTestId("replay-pos")).toHaveText(/^([\d,]+) \/ \1$/);
  const { total } = await position(page);
  await page.getByTestId("state-filter").fill('{status: "done"}');
  await page.getByTestId("state-filter-apply").click();
  const middle = Math.floor(total / 2);
  for (const at of [total, middle, middle - 1]) {
    if (at === middle) await page.getByTestId("scrubber").fill(String(at)); // a jump
    if (at === middle - 1) await page.getByTestId("step-back").click(); // a step
    const expected = await doneAt(at);
    const matching = expected.length === 1 ? "record matches" : "records match";
    await expect(page.getByTestId("state-total")).toHaveText(`${expected.length} ${matching} at position ${at.toLocaleString("en-US")}`);
    await expect.poll(() => page.getByTestId("state-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-key")))).toEqual(expected);
  }
  await page.screenshot({ path: join(SCREENSHOTS, "timeline-filtered.png") });
  await inspector.close();
});
