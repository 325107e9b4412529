/**
 * Repairing lost writes in agent mode, on a store two published opslog
 * agents wrote: bob appended a fix of t1 and a new t9 to the WAL alice's
 * compaction retired, then alice edited t1 twice. The Agents view offers to
 * re-apply them; the dialog shows each record now and after and the two
 * later ops the fix overrides; afterwards the published opslog reads both
 * values and each lost write reads "re-applied as op #N" (N counted from the
 * raw WAL lines).
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, readWithPublished, SCREENSHOTS, test } from "../fixtures";
import { lostFixThenLaterEdits } from "../../engine/test/scenarios/index.js";

async function rawLineCount(dir: string): Promise<number> {
  let n = 0;
  for (const f of await readdir(join(dir, "ops"))) n += (await readFile(join(dir, "ops", f), "utf-8")).split("\n").filter((l) => l.trim()).length;
  return n;
}

test("re-applying lost writes: preview with later ops, then the store holds them and each reads 're-applied as op #N'", async ({ page, workDir, explorer }) => {
  const written = await lostFixThenLaterEdits.build(join(workDir, "fix"));
  const server = await explorer(written.dir, { agent: "explorer" });
  await page.goto(server.url);
  await expect(page.getByTestId("mode-badge")).toHaveText("agent: explorer");
  await page.getByTestId("nav-agents").click();
  const items = page.getByTestId("lost-write-item");
  await expect(items).toHaveCount(2);
  await expect(page.getByTestId("reapply-selected")).toBeDisabled();
  for (const id of ["t1", "t9"]) await page.locator(`[data-testid=lost-write-item][data-id=${id}]`).getByTestId("lost-write-select").check();
  await page.getByTestId("reapply-selected").click();

  const dialog = page.getByTestId("reapply-dialog");
  await expect(dialog.getByTestId("reapply-record")).toHaveCount(2);
  const t1 = dialog.locator("[data-testid=reapply-record][data-id=t1]");
  await expect(t1.getByTestId("reapply-later-count")).toContainText(`${written.laterOnT1} later ops`);
  await expect(t1.getByTestId("reapply-later-list").locator("li")).toHaveCount(written.laterOnT1);
  await expect(t1.getByTestId("reapply-diff")).toContainText("fixed by bob");
  await expect(dialog.locator("[data-testid=reapply-record][data-id=t9]").getByTestId("reapply-explanation")).toContainText('Creates "t9"');
  await page.screenshot({ path: join(SCREENSHOTS, "reapply-dialog.png") });

  await dialog.getByTestId("reapply-apply").click();
  await expect(dialog).toHaveCount(0);
  const replayed = (await rawLineCount(written.dir)) - written.lostWrites.writes.length; // every line but bob's two lost ones, the explorer's two last
  await expect(page.getByTestId("toast").first()).toContainText(`Re-applied 2 lost write(s): "t1" as op #${replayed - 1}, "t9" as op #${replayed}.`);
  await expect(page.locator("[data-testid=lost-write-item][data-id=t1]").getByTestId("lost-write-reapplied")).toContainText(`re-applied as op #${replayed - 1}`);
  await expect(page.locator("[data-testid=lost-write-item][data-id=t9]").getByTestId("lost-write-reapplied")).toContainText(`re-applied as op #${replayed}`);
  await page.screenshot({ path: join(SCREENSHOTS, "reapply-done.png") });
  const state = await readWithPublished(written.dir, workDir, { agentId: "checker" });
  for (const w of written.lostWrites.writes) expect(state.get(w.id)).toEqual(w.data);
});
