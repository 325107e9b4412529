/**
 * Saved and recent queries in the filter boxes, on a store written by the
 * published opslog: Up/Down walk the queries applied before (each box its
 * own), a query saved with a name is listed and applied from the Queries
 * menu, both outlive a restart of the explorer (a new port), and none of it
 * writes a byte to the store (read-only).
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { Page } from "@playwright/test";
import { sixTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";
import { expect, readWithPublished, SCREENSHOTS, test } from "../fixtures";

async function digestTree(dir: string, out: Record<string, string> = {}, at = dir): Promise<Record<string, string>> {
  for (const entry of await readdir(at, { withFileTypes: true })) {
    const path = join(at, entry.name);
    if (entry.isDirectory()) await digestTree(dir, out, path);
    else out[relative(dir, path)] = createHash("sha256").update(await readFile(path)).digest("hex");
  }
  return out;
}

async function apply(page: Page, text: string): Promise<void> {
  await page.getByTestId("filter-input").fill(text);
  await page.getByTestId("filter-input").press("Enter");
}

const shown = (n: number) => `${n} record${n === 1 ? "" : "s"}`;

test("Up and Down in the Records filter walk the queries applied before; each box keeps its own", async ({ page, workDir, explorer }) => {
  const dir = (await sixTasksCompactedThenEdited.build(join(workDir, "single"))).dir;
  const state = [...(await readWithPublished(dir, workDir)).values()];
  const server = await explorer(dir);
  await page.goto(server.url);
  const box = page.getByTestId("filter-input");
  const total = page.getByTestId("records-total");
  await expect(total).toHaveText(shown(state.length));

  await apply(page, '{status: "todo"}');
  await expect(total).toHaveText(shown(state.filter((d) => d.status === "todo").length));
  await apply(page, "{estimate: {$gt: 2}}");
  await expect(total).toHaveText(shown(state.filter((d) => (d.estimate as number) > 2).length));
  await box.fill("{title");
  await box.press("ArrowUp");
  await expect(box).toHaveValue("{estimate: {$gt: 2}}");
  await box.press("ArrowUp");
  await expect(box).toHaveValue('{status: "todo"}');
  await box.press("ArrowUp");
  await expect(box).toHaveValue('{status: "todo"}'); // the oldest: no further back
  await box.press("ArrowDown");
  await expect(box).toHaveValue("{estimate: {$gt: 2}}");
  await box.press("ArrowDown");
  await expect(box).toHaveValue("{title"); // back to what was being typed
  await box.press("ArrowUp");
  await box.press("ArrowUp");
  await box.press("Enter");
  await expect(total).toHaveText(shown(state.filter((d) => d.status === "todo").length));

  // The Operations box has a history of its own: nothing applied there yet.
  await page.getByTestId("nav-operations").click();
  const ops = page.getByTestId("ops-query");
  await ops.fill("{op: 'delete'}");
  await ops.press("ArrowUp");
  await expect(ops).toHaveValue("{op: 'delete'}");
  await page.getByTestId("queries-menu-operations").click();
  await expect(page.getByTestId("query-recent")).toHaveCount(0);
});

test("a query saved with a name is listed in the Queries menu and applies from there; saved and recent queries outlive a restart and never touch the store", async ({ page, workDir, explorer }) => {
  const dir = (await sixTasksCompactedThenEdited.build(join(workDir, "single"))).dir;
  const state = [...(await readWithPublished(dir, workDir)).values()];
  const before = await digestTree(dir);
  const first = await explorer(dir, { readOnly: true });
  await page.goto(first.url);
  const total = page.getByTestId("records-total");
  await apply(page, '{status: "in-progress"}');
  const inProgress = state.filter((d) => d.status === "in-progress").length;
  await expect(total).toHaveText(shown(inProgress));

  await page.getByTestId("queries-menu-records").click();
  await page.getByTestId("query-save").click();
  await page.getByTestId("confirm-input").fill("in flight");
  await page.getByTestId("confirm-ok").click();
  await apply(page, "{estimate: 2}");
  await expect(total).toHaveText(shown(state.filter((d) => d.estimate === 2).length));
  await page.getByTestId("queries-menu-records").click();
  await expect(page.locator('[data-testid=query-saved][data-name="in flight"]')).toBeVisible();
  await expect(page.getByTestId("query-recent")).toHaveText(["{estimate: 2}", '{status: "in-progress"}']);
  await page.screenshot({ path: join(SCREENSHOTS, "queries-menu.png") });
  await first.stop();

  // A new explorer process on another port, the same app data: the same lists.
  const second = await explorer(dir, { readOnly: true });
  expect(second.url).not.toBe(first.url);
  await page.goto(second.url);
  await expect(total).toHaveText(shown(state.length));
  await page.getByTestId("filter-input").press("ArrowUp");
  await expect(page.getByTestId("filter-input")).toHaveValue("{estimate: 2}");
  await page.getByTestId("queries-menu-records").click();
  await page.locator('[data-testid=query-saved][data-name="in flight"]').click();
  await expect(page.getByTestId("filter-input")).toHaveValue('{status: "in-progress"}');
  await expect(total).toHaveText(shown(inProgress));

  await page.getByTestId("queries-menu-records").click();
  await page.getByTestId("query-forget").click();
  await expect(page.getByTestId("query-saved")).toHaveCount(0);
  await second.stop();
  expect(await digestTree(dir)).toEqual(before);
});
