/**
 * Lost writes in the UI, on a store two published opslog agents wrote: alice,
 * who never refreshed, compacts without having seen bob's three writes, then
 * bob appends two more to his retired WAL. Agents lists all five, History
 * says its link lost three writes to the compaction, Operations flags those three.
 */
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { expect, SCREENSHOTS, test } from "../fixtures";
import { lostWritesUnseenThenRetired, tornByUndoShortFragment } from "../../engine/test/scenarios/index.js";

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

test("lost writes: an op appended onto a line torn by opslog's undo is listed with its reason, text and place, and not in Operations", async ({ page, workDir, explorer }) => {
  const dir = join(workDir, "torn-by-undo");
  const { torn } = await tornByUndoShortFragment.build(dir);
  const server = await explorer(dir);
  await page.goto(server.url);

  await page.getByTestId("nav-agents").click();
  const item = page.getByTestId("lost-write-item");
  await expect(item).toHaveCount(torn.length);
  await expect(item.first().getByTestId("lost-write-reason")).toHaveText("torn by opslog's undo");
  await expect(item.first()).toContainText("Torn by opslog's undo: its writer believes it saved");
  await expect(item.first()).toContainText(`${torn[0].file}:${torn[0].line} (byte ${torn[0].offset})`);
  await expect(item.first()).toContainText(JSON.stringify(torn[0].op.data));
  await shoot(page, "lost-writes-torn-by-undo");

  await page.getByTestId("nav-operations").click();
  await expect(page.getByTestId("op-row").first()).toBeVisible();
  await expect(page.getByTestId("op-row").filter({ hasText: torn[0].op.id })).toHaveCount(0);
});
