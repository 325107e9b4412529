/** The keyboard works whatever was last clicked: Space, arrows, `/` and Esc on the demo store. */
import { demoStoreCopy, expect, test } from "../fixtures";

test("after choosing a speed with the mouse, Space plays and pauses the replay", async ({ page, workDir, explorer }) => {
  const server = await explorer(await demoStoreCopy(workDir));
  await page.goto(server.url);
  await page.getByTestId("nav-timeline").click();
  await page.getByTestId("replay-start").click();
  await page.getByTestId("speed").focus();
  await page.getByTestId("speed").selectOption("4");
  await page.keyboard.press(" ");
  await expect(page.getByTestId("play")).toHaveAttribute("aria-label", "Pause");
  await expect(page.getByTestId("speed")).toHaveValue("4");
  await page.keyboard.press(" ");
  await expect(page.getByTestId("play")).toHaveAttribute("aria-label", "Play");
  // A button just clicked is not pressed again by Space: Space toggles the replay once.
  await page.getByTestId("step-forward").click();
  const at = await page.getByTestId("replay-pos").textContent();
  await page.keyboard.press(" ");
  await expect(page.getByTestId("play")).toHaveAttribute("aria-label", "Pause");
  await page.keyboard.press(" ");
  await expect(page.getByTestId("play")).toHaveAttribute("aria-label", "Play");
  expect(at).not.toBeNull();
});

test("Esc leaves the watch-query box, then the arrows step the replay", async ({ page, workDir, explorer }) => {
  const server = await explorer(await demoStoreCopy(workDir));
  await page.goto(server.url);
  await page.getByTestId("nav-timeline").click();
  await page.getByTestId("replay-start").click();
  await expect(page.getByTestId("replay-pos")).toHaveText(/^0 \//);
  await page.getByTestId("state-filter").click();
  await page.keyboard.type("{status: 'done'}");
  await page.keyboard.press("ArrowRight"); // in the box: moves the caret, not the replay
  await expect(page.getByTestId("replay-pos")).toHaveText(/^0 \//);
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("state-filter")).not.toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByTestId("replay-pos")).toHaveText(/^1 \//);
  await page.keyboard.press("ArrowRight");
  await expect(page.getByTestId("replay-pos")).toHaveText(/^2 \//);
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByTestId("replay-pos")).toHaveText(/^1 \//);
});

test("/ focuses the filter of the view showing, Operations' op query included", async ({ page, workDir, explorer }) => {
  const server = await explorer(await demoStoreCopy(workDir));
  await page.goto(server.url);
  await expect(page.getByTestId("record-row").first()).toBeVisible();
  await page.keyboard.press("/");
  await expect(page.getByTestId("filter-input")).toBeFocused();
  await page.keyboard.press("Escape");
  await page.keyboard.press("2");
  await expect(page.getByTestId("op-row").first()).toBeVisible();
  await page.keyboard.press("/");
  await expect(page.getByTestId("ops-query")).toBeFocused();
  await page.keyboard.press("Escape");
  await page.keyboard.press("4");
  await page.keyboard.press("/");
  await expect(page.getByTestId("archive-filter")).toBeFocused();
});

test("Esc, a click elsewhere and switching views close the Recent and Columns menus", async ({ page, workDir, explorer }) => {
  const server = await explorer(await demoStoreCopy(workDir));
  await page.goto(server.url);
  await expect(page.getByTestId("record-row").first()).toBeVisible();

  await page.getByTestId("columns-menu").click();
  await expect(page.getByTestId("columns-list")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("columns-list")).toHaveCount(0);

  await page.getByTestId("recent-menu").click();
  await expect(page.getByTestId("recent-list")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("recent-list")).toHaveCount(0);

  await page.getByTestId("recent-menu").click();
  await expect(page.getByTestId("recent-list")).toBeVisible();
  await page.getByTestId("nav-agents").click();
  await expect(page.getByTestId("recent-list")).toHaveCount(0);

  await page.getByTestId("nav-records").click();
  await page.getByTestId("columns-menu").click();
  await expect(page.getByTestId("columns-list")).toBeVisible();
  await page.getByTestId("records-total").click();
  await expect(page.getByTestId("columns-list")).toHaveCount(0);
});

test("the first j selects the first row, the next j the second, k goes back; in Operations as in Records", async ({ page, workDir, explorer }) => {
  const server = await explorer(await demoStoreCopy(workDir));
  await page.goto(server.url);
  const rows = page.getByTestId("record-row");
  await expect(rows.first()).toBeVisible();
  await page.keyboard.press("j");
  await expect(rows.nth(0)).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("j");
  await expect(rows.nth(1)).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("k");
  await expect(rows.nth(0)).toHaveAttribute("aria-selected", "true");
  await page.getByTestId("nav-operations").click();
  await expect(page.getByTestId("op-row").first()).toBeVisible();
  await page.keyboard.press("j");
  await expect(page.getByTestId("ops-table").getByRole("row").nth(1)).toHaveAttribute("aria-selected", "true"); // row 0 is the header
});
