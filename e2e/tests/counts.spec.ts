/**
 * Every count says what it counts (issue 20, item 7), on stores written by
 * the published opslog, expected figures read off the raw files: the header's
 * ops are "in the timeline", with the lost writes beside them, and the two
 * add up to what the Agents lanes hold; a single-writer store has a single
 * writer, not "0 agents"; an info notice is a notice, not a warning; and a
 * filter that is not applied leaves its count marked as the last result.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, test } from "../fixtures";
import { fourArchivesThenCompacted, sixTasksCompactedThenEdited, threeAgentsConflictThenLostWrites } from "../../engine/test/scenarios/index.js";
import { rawTimeline } from "../../engine/test/scenarios/timeline.js";

test("the header counts the ops in the timeline and the lost writes beside them, which add up to the Agents lanes", async ({ page, workDir, explorer }) => {
  const store = await threeAgentsConflictThenLostWrites.build(join(workDir, "lost"));
  const inTimeline = (await rawTimeline(store)).ops.length;
  const inWals = store.walLines.filter((l) => l.op !== null).length;
  expect(inWals - inTimeline).toBeGreaterThan(0); // the store is as built: writes appended to a retired WAL
  const server = await explorer(store.dir);
  await page.goto(server.url);
  await expect(page.getByTestId("header-ops")).toHaveText(`${inTimeline} ops in the timeline`);
  await expect(page.getByTestId("header-lost")).toHaveText(`${inWals - inTimeline} lost`);
  await expect(page.getByTestId("header-ops")).toHaveAttribute("title", new RegExp(`The WAL files hold ${inWals} ops`));
  await expect(page.getByTestId("header-writers")).toHaveText(`${store.agents.length} agents`);
  await page.getByTestId("nav-agents").click();
  await expect(page.getByTestId("lane")).toHaveCount(store.walFiles.length);
  const laneOps = await page.locator("[data-testid=lane] .lane-facts").allTextContents();
  // "1 op", "12 ops", or an empty WAL (no count)
  expect(laneOps.reduce((n, t) => n + (t.startsWith("empty WAL") ? 0 : Number(/^([\d,]+) ops?\b/.exec(t)![1].replace(/,/g, ""))), 0)).toBe(inWals);
});

test("a single-writer store has a single writer in the header, as the Agents view's lanes say, not 0 agents", async ({ page, workDir, explorer }) => {
  const store = await sixTasksCompactedThenEdited.build(join(workDir, "single"));
  expect(store.agents).toEqual([]); // no WAL line carries an agent id
  const server = await explorer(store.dir);
  await page.goto(server.url);
  await expect(page.getByTestId("header-writers")).toHaveText("single writer");
  await page.getByTestId("nav-agents").click();
  await expect(page.getByTestId("lane")).toHaveCount(store.walFiles.length);
  for (const lane of await page.getByTestId("lane").all()) {
    await expect(lane).toHaveAttribute("data-agent", "");
    await expect(lane).toContainText("single writer");
  }
});

test("an info notice is counted as a notice, not as a warning", async ({ page, workDir, explorer }) => {
  const store = await fourArchivesThenCompacted.build(join(workDir, "archives"));
  // The store's one oddity, read off the raw files: the manifest's archived tally differs from what the segments hold.
  const manifest = JSON.parse(await readFile(join(store.dir, "manifest.json"), "utf-8")) as { stats: { archivedRecords: number } };
  let held = 0;
  for (const segment of store.archiveSegments) held += Object.keys((JSON.parse(await readFile(join(store.dir, segment), "utf-8")) as { records: object }).records).length;
  expect(manifest.stats.archivedRecords).not.toBe(held);
  const server = await explorer(store.dir);
  await page.goto(server.url);
  await expect(page.getByTestId("warnings-badge")).toHaveText("1 notice");
  await page.getByTestId("warnings-badge").click();
  await expect(page.getByTestId("warning-item")).toHaveCount(1);
  await expect(page.getByTestId("warning-item")).toHaveClass(/info/);
});

test("a filter that is not applied (invalid, or refused) leaves the count marked as the last result, in Records and Operations", async ({ page, workDir, explorer }) => {
  const store = await sixTasksCompactedThenEdited.build(join(workDir, "filters"));
  const todo = store.state.filter(([, v]) => v.status === "todo").length;
  const server = await explorer(store.dir);
  await page.goto(server.url);
  await page.getByTestId("filter-input").fill('{status: "todo"}');
  await page.getByTestId("filter-apply").click();
  await expect(page.getByTestId("records-total")).toHaveText(`${todo} records`);
  for (const bad of ["{status:", "{status: {$nosuch: 1}}"]) {
    await page.getByTestId("filter-input").fill(bad);
    await page.getByTestId("filter-apply").click();
    await expect(page.getByTestId("filter-error")).toBeVisible();
    await expect(page.getByTestId("records-total")).toHaveText(`${todo} records (last result: this filter is not applied)`);
  }
  await page.getByTestId("filter-input").fill('{status: "todo"}');
  await page.getByTestId("filter-apply").click();
  await expect(page.getByTestId("records-total")).toHaveText(`${todo} records`);

  const ops = store.walLines.filter((l) => l.op !== null).length;
  await page.getByTestId("nav-operations").click();
  await expect(page.getByTestId("ops-total")).toHaveText(`${ops} ops`);
  await page.getByTestId("ops-query").fill("{op: {$nosuch: 1}}");
  await page.getByTestId("ops-query").press("Enter");
  await expect(page.getByTestId("ops-query-error")).toBeVisible();
  await expect(page.getByTestId("ops-total")).toHaveText(`${ops} ops (last result: this filter is not applied)`);
});
