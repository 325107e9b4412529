/** Writer mode on a store the published opslog wrote: Undo and Compact, each confirmed, each checked on disk with the published opslog. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, readWithPublished, SINGLE_WRITER, singleWriterStore, test } from "../fixtures";

async function manifestOf(dir: string): Promise<{ currentSnapshot: string; activeOps: string }> {
  return JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { currentSnapshot: string; activeOps: string };
}

test("Undo removes the writer's last op: the published opslog reads the record's previous value", async ({ page, workDir, explorer }) => {
  const dir = await singleWriterStore(workDir);
  expect((await readWithPublished(dir, workDir)).get(SINGLE_WRITER.lastUpdated)).toEqual(SINGLE_WRITER.afterLastUpdate);
  const server = await explorer(dir, { writer: true });
  await page.goto(server.url);
  await expect(page.getByTestId("mode-badge")).toHaveText("writer");
  await expect(page.getByTestId("record-row").first()).toBeVisible();

  await page.getByTestId("action-undo").click();
  await expect(page.getByRole("dialog")).toContainText(SINGLE_WRITER.lastUpdated);
  await page.getByTestId("confirm-ok").click();
  await expect(page.getByTestId("toast").first()).toContainText(`Undid the set of "${SINGLE_WRITER.lastUpdated}"`);

  const state = await readWithPublished(dir, workDir);
  expect(state.get(SINGLE_WRITER.lastUpdated)).toEqual(SINGLE_WRITER.beforeLastUpdate);
  expect(state.has(SINGLE_WRITER.deleted)).toBe(false);
});

test("Compact writes a new snapshot: the manifest's currentSnapshot changes and the state stays the same", async ({ page, workDir, explorer }) => {
  const dir = await singleWriterStore(workDir);
  const before = await manifestOf(dir);
  const stateBefore = await readWithPublished(dir, workDir);
  const server = await explorer(dir, { writer: true });
  await page.goto(server.url);
  await expect(page.getByTestId("record-row").first()).toBeVisible();

  await page.getByTestId("action-compact").click();
  await page.getByTestId("confirm-ok").click();
  await expect(page.getByTestId("toast").first()).toContainText("Compacted: 4 op(s)");

  const after = await manifestOf(dir);
  expect(after.currentSnapshot).not.toBe(before.currentSnapshot);
  expect(after.activeOps).not.toBe(before.activeOps);
  expect(await readWithPublished(dir, workDir)).toEqual(stateBefore);
});
