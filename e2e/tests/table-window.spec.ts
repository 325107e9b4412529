/** A long table draws only the rows in view: the keys keep the selected row in view, and a scroll far down draws the rows there. */
import type { Locator } from "@playwright/test";
import { join } from "node:path";
import { expect, test } from "../fixtures";

/** Whether the row lies within the table body's visible box (below its sticky header). */
async function inView(body: Locator, row: Locator): Promise<boolean> {
  const [b, r] = [await body.boundingBox(), await row.boundingBox()];
  return !!b && !!r && r.y >= b.y + 28 && r.y + r.height <= b.y + b.height + 1;
}

test("in 1,100 ops, j past the rows in view scrolls the selected op into view, a scroll to the end draws the last ops, and k brings the selection back", async ({ page, workDir, explorer }) => {
  const { elevenHundredOpsOneWal } = await import("../../engine/test/scenarios/index.js");
  const { dir } = await elevenHundredOpsOneWal.build(join(workDir, "big"));
  const server = await explorer(dir);
  await page.goto(server.url);
  await page.getByTestId("nav-operations").click();
  const table = page.getByTestId("ops-table");
  const body = table.locator(".vtable-body");
  await expect(table.getByTestId("op-row").first()).toBeVisible();
  for (let i = 0; i < 60; i++) await page.keyboard.press("j");
  const selected = table.locator("[role=row][aria-selected=true]");
  await expect(selected).toHaveAttribute("data-key", "59");
  await expect.poll(() => inView(body, selected)).toBe(true);
  expect(await body.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);

  await body.evaluate((el) => (el.scrollTop = el.scrollHeight));
  const last = table.locator('[data-testid=op-row][data-key="1099"]');
  await expect(last).toBeVisible();
  await expect.poll(() => inView(body, last)).toBe(true);
  await expect(table.locator(".vtable-cell.loading")).toHaveCount(0);
  await expect(table.locator('[data-key="59"]')).toHaveCount(0); // far above: not drawn

  await page.keyboard.press("k");
  await expect(selected).toHaveAttribute("data-key", "58");
  await expect.poll(() => inView(body, selected)).toBe(true);
});
