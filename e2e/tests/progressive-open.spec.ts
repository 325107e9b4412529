/**
 * A store named on the command line opens behind a page that already
 * answers: while its index builds (held here by the server's test hook until
 * the test writes a file), the page shows the load's progress, the current
 * snapshot's first records labelled as such in Records, and "appears when
 * indexing completes" in the other views; then the real rows; and an open
 * that fails once indexed shows its error on the open screen. The store is
 * written by the published opslog; expectations come from its files.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, SCREENSHOTS, test } from "../fixtures";
import { plannerAndWorkerOnJobs, twentyTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";

test("while the index is held: progress, the snapshot's first records labelled, other views loading; then the real rows", async ({ page, workDir, explorer }) => {
  const store = await twentyTasksCompactedThenEdited.build(join(workDir, "store"));
  const release = join(workDir, "release-open");
  const server = await explorer(store.dir, { holdOpenUntil: release });
  const snapshotLines = (await readFile(join(store.dir, store.manifest.currentSnapshot), "utf-8")).split("\n").filter(Boolean).map((l) => JSON.parse(l) as { id: string; timestamp?: string });
  const walOps = store.walLines.filter((l) => l.op).length;

  await page.goto(server.url);
  const progress = page.getByTestId("load-progress");
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute("data-phase", "finishing"); // the build is done; the open waits for the test
  await expect(page.getByTestId("load-percent")).toHaveText("100%");
  await expect(page.getByTestId("load-figures")).toContainText(`${walOps} ops indexed`);
  await expect(page.getByTestId("store-loading-badge")).toHaveText("loading");

  const rows = page.getByTestId("preview-row");
  await expect(rows).toHaveCount(snapshotLines.length - 1);
  expect(await rows.evaluateAll((els) => els.map((el) => el.getAttribute("data-key")))).toEqual(snapshotLines.slice(1).map((l) => l.id));
  const label = page.getByTestId("preview-label");
  await expect(label).toContainText(`All ${snapshotLines.length - 1} records of the snapshot ${store.manifest.currentSnapshot.replace("snapshots/", "")}`);
  await expect(label).toContainText("of ops written since are not applied yet (indexing 100%)");
  await expect(page.getByTestId("record-row")).toHaveCount(0);
  await page.screenshot({ path: join(SCREENSHOTS, "progressive-open-records.png") });

  for (const [nav, name] of [["operations", "Operations"], ["agents", "Agents"], ["archive", "Archive"], ["timeline", "Timeline"], ["blobs", "Blobs"]]) {
    await page.getByTestId(`nav-${nav}`).click();
    await expect(page.getByTestId("view-loading")).toHaveText(`The ${name} view appears when indexing completes.`);
    await expect(progress).toBeVisible();
  }
  await page.screenshot({ path: join(SCREENSHOTS, "progressive-open-operations.png") });

  await page.getByTestId("nav-records").click();
  await writeFile(release, "");
  await expect(page.getByTestId("record-row")).toHaveCount(store.state.length);
  await expect(page.getByTestId("records-total")).toHaveText(`${store.state.length} records`);
  await expect(page.getByTestId("preview-row")).toHaveCount(0);
  await expect(page.getByTestId("load-progress")).toHaveCount(0);
});

test("an open that fails once indexed (writer mode on a multi-writer store) shows its error on the open screen", async ({ page, workDir, explorer }) => {
  const store = await plannerAndWorkerOnJobs.build(join(workDir, "multi"));
  const server = await explorer(store.dir, { writer: true });
  await page.goto(server.url);
  await expect(page.getByTestId("open-error")).toContainText("This is a multi-writer store");
  await expect(page.getByTestId("open-path")).toBeVisible();
  await expect(page.getByTestId("load-progress")).toHaveCount(0);
});
