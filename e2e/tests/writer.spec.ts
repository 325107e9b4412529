/** Writer mode on a store the published opslog wrote: Undo and Compact, each confirmed, each checked on disk with the published opslog. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, readWithPublished, test } from "../fixtures";
import { sixTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";


async function manifestOf(dir: string): Promise<{ currentSnapshot: string; activeOps: string }> {
  return JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { currentSnapshot: string; activeOps: string };
}

test("Undo removes the writer's last op: the published opslog reads the record's previous value", async ({ page, workDir, explorer }) => {
  const store = await sixTasksCompactedThenEdited.build(join(workDir, "single"));
  const dir = store.dir;
  expect((await readWithPublished(dir, workDir)).get(store.lastUpdated)).toEqual(store.afterLastUpdate);
  const server = await explorer(dir, { writer: true });
  await page.goto(server.url);
  await expect(page.getByTestId("mode-badge")).toHaveText("writer");
  await expect(page.getByTestId("record-row").first()).toBeVisible();

  await page.getByTestId("action-undo").click();
  await expect(page.getByRole("dialog")).toContainText(store.lastUpdated);
  await page.getByTestId("confirm-ok").click();
  await expect(page.getByTestId("toast").first()).toContainText(`Undid the set of "${store.lastUpdated}"`);

  const state = await readWithPublished(dir, workDir);
  expect(state.get(store.lastUpdated)).toEqual(store.beforeLastUpdate);
  expect(state.has(store.deleted)).toBe(false);
});

test("Compact writes a new snapshot: the manifest's currentSnapshot changes and the state stays the same", async ({ page, workDir, explorer }) => {
  const store = await sixTasksCompactedThenEdited.build(join(workDir, "single"));
  const dir = store.dir;
  const before = await manifestOf(dir);
  const stateBefore = await readWithPublished(dir, workDir);
  const server = await explorer(dir, { writer: true });
  await page.goto(server.url);
  await expect(page.getByTestId("record-row").first()).toBeVisible();

  await page.getByTestId("action-compact").click();
  await page.getByTestId("confirm-ok").click();
  await expect(page.getByTestId("toast").first()).toContainText(`Compacted: ${store.walLines.filter((l) => l.file === before.activeOps).length} op(s)`);

  const after = await manifestOf(dir);
  expect(after.currentSnapshot).not.toBe(before.currentSnapshot);
  expect(after.activeOps).not.toBe(before.activeOps);
  expect(await readWithPublished(dir, workDir)).toEqual(stateBefore);
});
