/**
 * "Check store" in the app: the command palette runs the store doctor on the
 * open store and a dialog shows its report (the one `npm run check` prints):
 * on a store with an edited snapshot and on one with lost writes, the
 * findings the scenarios' own facts predict; on a clean store, healthy.
 */
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { expect, SCREENSHOTS, test } from "../fixtures";
import { lostWritesUnseenThenRetired, sixTasksCompactedThenEdited, snapshotEditedByHand } from "../../engine/test/scenarios/index.js";

async function checkFromPalette(page: Page): Promise<void> {
  await page.keyboard.press("Control+k");
  await page.keyboard.type("check store");
  await expect(page.getByTestId("palette-item")).toHaveCount(1);
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("check-dialog")).toBeVisible();
}

test("Check store shows the doctor's report: lost writes by reason, and the problem in full", async ({ page, workDir, explorer }) => {
  const { lostWrites } = await lostWritesUnseenThenRetired.build(join(workDir, "lost"));
  const server = await explorer(join(workDir, "lost"));
  await page.goto(server.url);
  await expect(page.getByTestId("record-row").first()).toBeVisible();
  await checkFromPalette(page);
  const dialog = page.getByTestId("check-dialog");
  await expect(dialog.getByTestId("check-verdict")).toHaveText("1 problem found.");
  const total = lostWrites.unseenIds.length + lostWrites.afterCompactionIds.length;
  await expect(dialog.getByTestId("check-lost")).toHaveText(`${total} writes no reader sees (${lostWrites.unseenIds.length} unseen-by-compaction, ${lostWrites.afterCompactionIds.length} retired-wal)`);
  await expect(dialog.getByTestId("check-problems")).toContainText("Their writers believe them saved.");
  await page.screenshot({ path: join(SCREENSHOTS, "check-store-lost-writes.png") });
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
});

test("Check store says a store written cleanly is healthy", async ({ page, workDir, explorer }) => {
  const clean = await sixTasksCompactedThenEdited.build(join(workDir, "clean"));
  const server = await explorer(clean.dir);
  await page.goto(server.url);
  await expect(page.getByTestId("record-row").first()).toBeVisible();
  await checkFromPalette(page);
  await expect(page.getByTestId("check-verdict")).toHaveText("Healthy: no problems found.");
  await expect(page.getByTestId("check-chain")).toHaveText(`${clean.snapshots.length} links: ${clean.snapshots.length - 1} verified, 0 mismatched, 0 unverifiable, 1 live`);
  await expect(page.getByTestId("check-locks")).toHaveText("none held");
});

test("Check store names the history link a hand-edited snapshot breaks", async ({ page, workDir, explorer }) => {
  const s = await snapshotEditedByHand.build(join(workDir, "edited"));
  const server = await explorer(s.dir);
  await page.goto(server.url);
  await expect(page.getByTestId("record-row").first()).toBeVisible();
  await checkFromPalette(page);
  await expect(page.getByTestId("check-chain")).toContainText("1 mismatched");
  await expect(page.getByTestId("check-problems")).toContainText(`does not give ${s.tampered.snapshot}`);
  await expect(page.getByTestId("check-problems")).toContainText(s.tampered.id);
  await page.screenshot({ path: join(SCREENSHOTS, "check-store-mismatch.png") });
});
