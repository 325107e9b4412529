/**
 * Reverting an early op in writer mode, on a store the published opslog
 * wrote: the dialog says how many later ops changed the record, offers
 * "undo only this op's change" by default, and applying it reverses only that
 * op's fields, as the published opslog reads the store back.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Doc } from "../fixtures";
import { expect, readWithPublished, SCREENSHOTS, test } from "../fixtures";
import { specRevisedEightTimes } from "../../engine/test/scenarios/index.js";

/** Ops on doc-014 after the target, counted from the raw WAL lines. */
async function laterOpsFromRawLines(dir: string): Promise<number> {
  const lines: { id: string; data?: Doc }[] = [];
  for (const f of (await readdir(join(dir, "ops"))).sort()) {
    for (const text of (await readFile(join(dir, "ops", f), "utf-8")).split("\n")) if (text.trim()) lines.push(JSON.parse(text) as { id: string; data?: Doc });
  }
  const target = lines.findIndex((o) => o.id === "doc-014" && o.data?.tag === "x" && o.data?.n === 1);
  return lines.slice(target + 1).filter((o) => o.id === "doc-014").length;
}

test("the revert dialog lists the later ops, defaults to undoing only this op's change, and applying it keeps the later changes", async ({ page, workDir, explorer }) => {
  const dir = (await specRevisedEightTimes.build(join(workDir, "docs"))).dir;
  const later = await laterOpsFromRawLines(dir);
  expect(later).toBe(8);
  const server = await explorer(dir, { writer: true });
  await page.goto(server.url);
  await expect(page.getByTestId("mode-badge")).toHaveText("writer");

  await page.getByTestId("nav-operations").click();
  await page.getByTestId("ops-id").fill("doc-014");
  const rows = page.getByTestId("op-row");
  await expect(rows).toHaveCount(10);
  await rows.nth(1).click();
  await expect(page.getByTestId("op-detail")).toContainText('"tag"');
  const number = await rows.nth(1).locator(".vtable-cell").first().textContent(); // the op's number, as Operations shows it
  await page.getByTestId("action-revert").click();

  const dialog = page.getByTestId("revert-dialog");
  await expect(dialog.getByTestId("revert-later-count")).toContainText(`${later} later ops`);
  await expect(dialog.getByTestId("revert-later-count")).toContainText("status");
  await expect(dialog.getByTestId("revert-later-list").locator("li")).toHaveCount(6); // the first 5, then "and 3 more"
  await expect(dialog.getByTestId("revert-later-list")).toContainText("and 3 more");
  await expect(dialog.getByTestId("revert-choice-own-change")).toBeChecked();
  await expect(dialog.getByTestId("revert-choice-full")).not.toBeChecked();
  const diff = dialog.getByTestId("revert-diff");
  await expect(diff.locator(".diff-line")).toHaveCount(2); // owner comes back, tag goes; status keeps "done"
  await expect(diff.locator(".diff-line.added")).toContainText("owner");
  await expect(diff.locator(".diff-line.removed")).toContainText("tag");
  await page.screenshot({ path: join(SCREENSHOTS, "revert-dialog.png") });

  await dialog.getByTestId("revert-choice-full").check();
  await expect(diff.locator(".diff-line")).toHaveCount(5); // the full revert: back to the first value
  await page.screenshot({ path: join(SCREENSHOTS, "revert-dialog-full.png") });
  await dialog.getByTestId("revert-choice-own-change").check();

  await expect(dialog.locator("h2")).toContainText(`Revert op #${number}`);
  await dialog.getByTestId("revert-apply").click();
  await expect(page.getByTestId("toast").first()).toContainText(`Undid only op #${number}'s change to "doc-014"`);
  await expect(dialog).toHaveCount(0);
  const state = await readWithPublished(dir, workDir);
  expect(state.get("doc-014")).toEqual({ title: "Spec v2", status: "done", owner: "ann", n: 9 });
  expect(state.get("doc-001")).toEqual({ title: "Other 9" });
});
