/** Ctrl/Cmd-K: the command palette lists every command with its key, narrows as you type, runs the chosen one, and says why a command cannot run. */
import { join } from "node:path";
import { demoStoreCopy, expect, SCREENSHOTS, test } from "../fixtures";

test("the command palette lists every command with its key and runs the one chosen", async ({ page, workDir, explorer }) => {
  const server = await explorer(await demoStoreCopy(workDir));
  await page.goto(server.url);
  await expect(page.getByTestId("record-row").first()).toBeVisible();
  await page.getByTestId("filter-input").click(); // it opens from inside a text box too
  await page.keyboard.press("Control+k");
  const palette = page.getByTestId("command-palette");
  await expect(palette).toBeVisible();
  await expect(page.getByTestId("palette-input")).toBeFocused();
  const items = palette.getByTestId("palette-item");
  await expect(items.filter({ hasText: "Show Timeline" })).toContainText("6");
  await expect(items.filter({ hasText: "Focus the filter" })).toContainText("/");
  await expect(items.filter({ hasText: "Step forward one op" })).toContainText("→");
  // Read-only: the write commands say why they cannot run.
  await expect(items.filter({ hasText: "Undo the last op" })).toHaveAttribute("aria-disabled", "true");
  await expect(items.filter({ hasText: "Undo the last op" })).toContainText(/Read-only/);
  await page.screenshot({ path: join(SCREENSHOTS, "command-palette.png") });

  await page.keyboard.type("timeline");
  await expect(items).toHaveCount(1);
  await page.keyboard.press("Enter");
  await expect(palette).toHaveCount(0);
  await expect(page.getByTestId("scrubber")).toBeVisible();

  // From the Timeline, the palette steps the replay as → does.
  const before = await page.getByTestId("replay-pos").textContent();
  await page.keyboard.press("Control+k");
  await page.keyboard.type("oldest");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("replay-pos")).toHaveText(/^0 \//);
  expect(before).not.toMatch(/^0 \//);

  await page.keyboard.press("Control+k");
  await expect(palette).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(palette).toHaveCount(0);
  await page.keyboard.press("ArrowRight"); // keys work again once it is closed
  await expect(page.getByTestId("replay-pos")).toHaveText(/^1 \//);
});
