/** Read-only mode watches the store: another process's write shows up live, and the user's selection stays put. */
import { Store } from "@backloghq/opslog";
import { join } from "node:path";
import { expect, test } from "../fixtures";
import type { Doc } from "../fixtures";
import { sixTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";

test("a record another process writes appears live, flagged +1 new, and the selected record stays selected", async ({ page, workDir, explorer }) => {
  const { dir, state } = await sixTasksCompactedThenEdited.build(join(workDir, "single"));
  const server = await explorer(dir);
  await page.goto(server.url);
  await expect(page.getByTestId("mode-badge")).toHaveText("read-only");
  await expect(page.getByTestId("records-total")).toHaveText(`${state.length} records`);
  await expect(page.getByTestId("live-indicator")).toHaveText("live");
  const selected = page.locator('[data-testid=record-row][data-key="task-4"]');
  await selected.click();
  await expect(selected).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("record-detail")).toContainText("Cache embeddings");

  // Read-only browser mode holds no lock, so this test can be the store's writer.
  const writer = new Store<Doc>();
  await writer.open(dir, { checkpointOnClose: false });
  try {
    await writer.set("task-7", { title: "Written while watched", status: "todo", estimate: 1 });
  } finally {
    await writer.close();
  }

  await expect(page.locator('[data-testid=record-row][data-key="task-7"]')).toBeVisible({ timeout: 5_000 });
  await expect(page.getByTestId("live-indicator")).toHaveText("+1 new");
  await expect(page.getByTestId("records-total")).toHaveText(`${state.length + 1} records`);
  await expect(selected).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("record-detail")).toContainText("task-4");
  await expect(page.getByTestId("record-detail")).toContainText("Cache embeddings");
});

test("after another process undoes a write and writes a line of the same length in its place, the Records view shows the new value", async ({ page, workDir, explorer }) => {
  const { dir, state } = await sixTasksCompactedThenEdited.build(join(workDir, "single"));
  const server = await explorer(dir);
  await page.goto(server.url);
  await expect(page.getByTestId("records-total")).toHaveText(`${state.length} records`);
  const row = page.locator('[data-testid=record-row][data-key="task-7"]');
  const writer = new Store<Doc>();
  await writer.open(dir, { checkpointOnClose: false });
  try {
    await writer.set("task-7", { title: "Written while watched", status: "open", estimate: 1 });
    await expect(row).toContainText("open", { timeout: 5_000 });
    // opslog's undo truncates the last line; the next write takes its place, to the byte as long.
    await writer.undo();
    await writer.set("task-7", { title: "Written while watched", status: "done", estimate: 1 });
  } finally {
    await writer.close();
  }
  await expect(row).toContainText("done", { timeout: 5_000 });
  await row.click();
  await expect(page.getByTestId("record-detail")).toContainText("done");
  await expect(page.getByTestId("record-detail")).not.toContainText('"open"');
  await expect(page.getByTestId("records-total")).toHaveText(`${state.length + 1} records`);
});
