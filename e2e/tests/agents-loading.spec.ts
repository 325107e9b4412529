/**
 * The Agents view before its answers are in: while the lanes, conflicts and
 * lost writes are still being read, it says so, and never that the store has
 * no WAL files, no conflicts or no lost writes (counts of 0). The lanes call
 * is held back at the network until the test lets it go.
 */
import { join } from "node:path";
import { expect, test } from "../fixtures";
import { lostWritesUnseenThenRetired } from "../../engine/test/scenarios/index.js";

test("the Agents view says it is reading, not 'no WAL files' nor '(0)', until its answers are in; then the lanes and lost writes show", async ({ page, workDir, explorer }) => {
  const dir = join(workDir, "two-agents");
  const { lostWrites } = await lostWritesUnseenThenRetired.build(dir);
  const server = await explorer(dir);
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let asked = false;
  await page.route("**/api/call/lanes", async (route) => {
    asked = true;
    await held;
    await route.continue();
  });
  await page.goto(server.url);
  await page.getByTestId("nav-agents").click();
  await expect.poll(() => asked).toBe(true);
  await expect(page.getByTestId("lanes-empty")).toHaveText("Reading the WALs…");
  await expect(page.getByTestId("lost-writes-count")).toHaveText("(…)");
  await expect(page.getByTestId("conflicts-count")).toHaveText("(…)");
  await expect(page.getByText("This store has no WAL files.")).toHaveCount(0);
  await expect(page.getByText("No lost writes.")).toHaveCount(0);
  release();
  await expect(page.getByTestId("lost-write-item")).toHaveCount(lostWrites.unseenIds.length + lostWrites.afterCompactionIds.length);
  await expect(page.getByTestId("lanes-empty")).toHaveCount(0);
  await expect(page.getByTestId("lost-writes-count")).toHaveText(`(${lostWrites.unseenIds.length + lostWrites.afterCompactionIds.length})`);
});
