/** The Records, Operations and Archive filters: a valid query narrows the table to matching rows; a bad one explains itself and breaks nothing. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { demoStoreCopy, expect, test } from "../fixtures";
import { threeAgentsReviewTasks, twentyTasksDoneArchived } from "../../engine/test/scenarios/index.js";

/** The count records-total shows, or NaN while it loads ("…") */
function totalOf(text: string | null): number {
  const shown = /^([\d,]+) records?$/.exec(text ?? "");
  return shown ? Number(shown[1].replace(/,/g, "")) : NaN;
}

test("a valid filter narrows the rows to records that match it", async ({ page, workDir, explorer }) => {
  const server = await explorer(await demoStoreCopy(workDir));
  await page.goto(server.url);
  const total = page.getByTestId("records-total");
  await expect(total).toHaveText(/^\d+ records?$/);
  const before = totalOf(await total.textContent());

  await page.getByTestId("filter-input").fill('{status: "done"}');
  await page.getByTestId("filter-apply").click();
  await expect.poll(async () => totalOf(await total.textContent())).toBeLessThan(before);
  const after = totalOf(await total.textContent());
  expect(after).toBeGreaterThan(0);

  const rows = page.getByTestId("record-row");
  await expect(rows).toHaveCount(after);
  for (const row of await rows.all()) await expect(row).toContainText("done");
  await expect(page.getByTestId("filter-error")).toHaveCount(0);

  await page.getByTestId("filter-input").fill("");
  await page.getByTestId("filter-apply").click();
  await expect.poll(async () => totalOf(await total.textContent())).toBe(before);
});

test("a filter that does not parse shows a clear error and the table stays usable", async ({ page, workDir, explorer }) => {
  const server = await explorer(await demoStoreCopy(workDir));
  await page.goto(server.url);
  const rows = page.getByTestId("record-row");
  await expect(rows.first()).toBeVisible();
  const totalText = await page.getByTestId("records-total").textContent();

  await page.getByTestId("filter-input").fill("{status: ");
  await page.getByTestId("filter-input").press("Enter");
  await expect(page.getByTestId("filter-error")).toContainText(/Not a query/);
  await expect(page.getByTestId("filter-error")).toContainText(/never closed/);
  await expect(page.getByTestId("records-total")).toHaveText(`${totalText!} (last result: this filter is not applied)`);
  await rows.nth(1).click();
  await expect(page.getByTestId("record-detail")).toBeVisible();
});

test("a filter with an unknown operator shows the server's error and the table stays usable", async ({ page, workDir, explorer }) => {
  const server = await explorer(await demoStoreCopy(workDir));
  await page.goto(server.url);
  const rows = page.getByTestId("record-row");
  await expect(rows.first()).toBeVisible();

  await page.getByTestId("filter-input").fill('{"estimate": {"$bogus": 1}}');
  await page.getByTestId("filter-apply").click();
  await expect(page.getByTestId("filter-error")).toContainText("$bogus");

  await page.getByTestId("filter-input").fill('{"estimate": {"$gte": 5}}');
  await page.getByTestId("filter-apply").click();
  await expect(page.getByTestId("filter-error")).toHaveCount(0);
  await expect(rows.first()).toBeVisible();
  await rows.first().click();
  await expect(page.getByTestId("record-detail")).toBeVisible();
});

test("an op query in Operations keeps the ops whose fields match it, and a bad one explains itself", async ({ page, workDir, explorer }) => {
  const { dir, walLines } = await threeAgentsReviewTasks.build(join(workDir, "review"));
  // The expectation, independently: the raw WAL lines in replay order (clock, then agent; no compaction), filtered here in plain code.
  const all = walLines.map((l) => l.op!).sort((a, b) => a.clock! - b.clock! || (a.agent! < b.agent! ? -1 : a.agent! > b.agent! ? 1 : 0));
  const done = all.flatMap((o, pos) => (o.op === "set" && o.data?.status === "done" && o.agent === "reviewer" ? [String(pos)] : []));
  expect(done.length).toBeGreaterThan(0);

  const server = await explorer(dir);
  await page.goto(server.url);
  await page.getByTestId("nav-operations").click();
  await expect(page.getByTestId("ops-total")).toHaveText(`${all.length} ops`);
  await page.getByTestId("ops-query").fill('{"data.status": "done", agent: "reviewer"}');
  await page.getByTestId("ops-query").press("Enter");
  await expect(page.getByTestId("ops-total")).toHaveText(`${done.length} ops`);
  await expect.poll(() => page.getByTestId("op-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-key")))).toEqual(done);

  await page.getByTestId("ops-query").fill("{agent: ");
  await page.getByTestId("ops-query").press("Enter");
  await expect(page.getByTestId("ops-query-error")).toContainText("Not a query");
  await expect(page.getByTestId("ops-total")).toHaveText(`${done.length} ops (last result: this filter is not applied)`); // the last good query still holds, and the count says so
});

test("a query the server refuses keeps the last good result, marks the box invalid and says why", async ({ page, workDir, explorer }) => {
  const dir = await demoStoreCopy(workDir);
  const server = await explorer(dir);
  await page.goto(server.url);
  const box = page.getByTestId("filter-input");
  await box.fill('{"estimate": {"$gte": 5}}');
  await box.press("Enter");
  await expect(page.getByTestId("records-total")).not.toHaveText(/^13 records$/);
  const goodTotal = await page.getByTestId("records-total").textContent();
  const goodRows = await page.getByTestId("record-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-key")));
  expect(goodRows.length).toBeGreaterThan(0);

  await box.fill('{"estimate": {"$bogus": 5}}');
  await box.press("Enter");
  await expect(page.getByTestId("filter-error")).toContainText("$bogus");
  await expect(box).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("records-total")).toHaveText(`${goodTotal!} (last result: this filter is not applied)`);
  expect(await page.getByTestId("record-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-key")))).toEqual(goodRows);

  await box.fill("");
  await box.press("Enter");
  await expect(box).toHaveAttribute("aria-invalid", "false");
  await expect(page.getByTestId("filter-error")).toHaveCount(0);
  await expect(page.getByTestId("records-total")).toHaveText("13 records");
});

test("the Archive view counts the archived records its filter keeps", async ({ page, workDir, explorer }) => {
  // A store whose archive the published opslog wrote: 20 tasks, the done ones archived.
  const { dir } = await twentyTasksDoneArchived.build(join(workDir, "archived"));
  // The expectation, from the segment file itself
  const segment = JSON.parse(await readFile(join(dir, "archive", "archive-2026-Q1.json"), "utf-8")) as { records: Record<string, { priority?: string }> };
  const all = Object.keys(segment.records).length;
  const high = Object.values(segment.records).filter((r) => r.priority === "high").length;
  expect(high).toBeGreaterThan(0);
  expect(high).toBeLessThan(all);

  const server = await explorer(dir);
  await page.goto(server.url);
  await page.getByTestId("nav-archive").click();
  await expect(page.getByTestId("archive-total")).toHaveText(`${all} archived records`);
  await page.getByTestId("archive-filter").fill("{priority: 'high'}");
  await page.getByTestId("archive-filter").press("Enter");
  await expect(page.getByTestId("archive-total")).toHaveText(`${high} archived record${high === 1 ? "" : "s"} match`);
  await expect(page.getByTestId("archive-row")).toHaveCount(high);
});
