/** Agent mode on a single-writer store, asked for on the command line: the UI asks instead of the server exiting; --yes skips the question. */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { expect, SCREENSHOTS, test } from "../fixtures";
import { sixTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";

test("--agent on a single-writer store starts, says why it is risky, and opens in agent mode once the user confirms", async ({ page, workDir, explorer }) => {
  const dir = (await sixTasksCompactedThenEdited.build(join(workDir, "single"))).dir;
  const walsBefore = await readdir(join(dir, "ops"));
  const server = await explorer(dir, { agent: "bot" });
  await page.goto(server.url);
  const notice = page.getByTestId("pending-open");
  await expect(notice).toContainText(`${dir} in agent mode as agent "bot"`);
  await expect(notice).toContainText("never reads");
  expect(await readdir(join(dir, "ops"))).toEqual(walsBefore); // nothing written while it asks
  await page.screenshot({ path: join(SCREENSHOTS, "agent-confirm.png") });
  await page.getByTestId("pending-confirm").click();
  await expect(page.locator(".mode-badge")).toHaveText(/agent/);
  await expect(page.getByTestId("pending-open")).toHaveCount(0);
});

test("--agent with --yes on a single-writer store opens in agent mode at once", async ({ page, workDir, explorer }) => {
  const server = await explorer((await sixTasksCompactedThenEdited.build(join(workDir, "single"))).dir, { agent: "bot", yes: true });
  await page.goto(server.url);
  await expect(page.locator(".mode-badge")).toHaveText(/agent/);
});

test("--agent on a single-writer store: the user may open it read-only instead", async ({ page, workDir, explorer }) => {
  const server = await explorer((await sixTasksCompactedThenEdited.build(join(workDir, "single"))).dir, { agent: "bot" });
  await page.goto(server.url);
  await page.getByTestId("pending-read-only").click();
  await expect(page.locator(".mode-badge")).toHaveText(/read-only/);
});
