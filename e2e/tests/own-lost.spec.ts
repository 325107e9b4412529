/**
 * The explorer's own write lost beside a published agent, in the UI: the
 * explorer (agent mode) adds a record; alice, a published opslog agent that
 * opened before and never refreshed, compacts without it. The banner says at
 * once that the write is not in the store (the published opslog agrees), and
 * re-applying it from the Agents view puts it back.
 */
import { join } from "node:path";
import { expect, readWithPublished, SCREENSHOTS, test } from "../fixtures";
import { nextMs, openPublishedAgent, plannerAndWorkerOnJobs } from "../../engine/test/scenarios/index.js";

test("a write of the explorer's that another agent's compaction left out is flagged at once, and re-applying it restores it", async ({ page, workDir, explorer }) => {
  const { dir } = await plannerAndWorkerOnJobs.build(join(workDir, "jobs"));
  const server = await explorer(dir, { agent: "explorer" });
  await page.goto(server.url);
  await expect(page.getByTestId("mode-badge")).toHaveText("agent: explorer");
  const alice = await openPublishedAgent(dir, "alice"); // she will not see the explorer's write
  try {
    await page.getByTestId("record-add").click();
    await page.getByTestId("editor-id").fill("x-1");
    await page.getByTestId("editor-json").fill('{"title": "from the explorer"}');
    await page.getByTestId("editor-save").click();
    await page.getByTestId("confirm-ok").click();
    await expect(page.getByTestId("toast").filter({ hasText: 'Added "x-1"' })).toHaveCount(1);
    await expect(page.getByTestId("own-lost-banner")).toHaveCount(0);

    await nextMs();
    await alice.compact();
    const banner = page.getByTestId("own-lost-banner");
    await expect(banner).toContainText("1 of the explorer's own writes is not in the store");
    await expect(banner).toContainText("set x-1");
    expect((await readWithPublished(dir, workDir, { agentId: "checker" })).has("x-1")).toBe(false);
    await page.screenshot({ path: join(SCREENSHOTS, "own-lost-banner.png") });

    await banner.getByTestId("own-lost-show").click();
    const item = page.locator("[data-testid=lost-write-item][data-id=x-1]");
    await item.getByTestId("lost-write-reapply").click();
    await expect(page.getByTestId("reapply-dialog").getByTestId("reapply-explanation")).toContainText('Creates "x-1"');
    await page.getByTestId("reapply-apply").click();
    await expect(page.getByTestId("toast").filter({ hasText: "Re-applied 1 lost write(s)" })).toHaveCount(1);
    await expect(item.getByTestId("lost-write-reapplied")).toContainText("re-applied as op #");
    expect((await readWithPublished(dir, workDir, { agentId: "checker" })).get("x-1")).toEqual({ title: "from the explorer" });
  } finally {
    await alice.close();
  }
});
