/**
 * Lost writes in the UI, on a store two published opslog agents wrote: alice,
 * who never refreshed, compacts without having seen bob's three writes, then
 * bob appends two more to his retired WAL. Agents lists all five, History
 * says its link lost three writes to the compaction, Operations flags those three.
 */
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { expect, SCREENSHOTS, test } from "../fixtures";
import { lostWritesUnseenThenRetired } from "../../engine/test/scenarios/index.js";

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

test("lost writes: every view flags the same writes", async ({ page, workDir, explorer }) => {
  const dir = join(workDir, "two-agents");
  const { lostWrites } = await lostWritesUnseenThenRetired.build(dir);
  const unseen = lostWrites.unseenIds.length;
  const server = await explorer(dir);
  await page.goto(server.url);

  await page.getByTestId("nav-agents").click();
  await expect(page.getByTestId("lost-write-item")).toHaveCount(unseen + lostWrites.afterCompactionIds.length);
  await expect(page.getByTestId("lost-write-item").filter({ hasText: "had not seen it" })).toHaveCount(unseen);
  await shoot(page, "lost-writes-agents");

  await page.getByTestId("nav-history").click();
  await expect(page.getByTestId("chain-dropped")).toHaveCount(1);
  await expect(page.getByTestId("chain-dropped")).toContainText(`${unseen} write(s) here were lost`);
  await shoot(page, "lost-writes-history");

  await page.getByTestId("nav-operations").click();
  await expect(page.getByTestId("op-row").first()).toBeVisible();
  await expect(page.getByTestId("op-row").filter({ hasText: "lost" })).toHaveCount(unseen);
  await shoot(page, "lost-writes-operations");
});
