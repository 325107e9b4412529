/** Every view on the demo store shows its main element filled with the store's real data; a screenshot of each. */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { demoStoreCopy, expect, SCREENSHOTS, test } from "../fixtures";

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

test("every view renders the demo store's real data", async ({ page, workDir, explorer }) => {
  const dir = await demoStoreCopy(workDir);
  const server = await explorer(dir);
  await page.goto(server.url);

  await test.step("records: a table of rows and a total", async () => {
    await expect(page.getByTestId("records-table").getByTestId("record-row").first()).toBeVisible();
    await expect(page.getByTestId("records-total")).toHaveText(/^[1-9]\d* records?$/);
    await expect(page.getByTestId("record-row").first()).toContainText(/\w/);
    await page.getByTestId("record-row").first().click();
    await expect(page.getByTestId("record-detail")).toBeVisible();
    await expect(page.getByTestId("history-item").first()).toBeVisible();
    await shoot(page, "records");
  });

  await test.step("operations: op rows from the agents' WALs", async () => {
    await page.getByTestId("nav-operations").click();
    await expect(page.getByTestId("ops-table").getByTestId("op-row").first()).toBeVisible();
    expect(await page.getByTestId("op-row").count()).toBeGreaterThan(10);
    await expect(page.getByTestId("op-row").first()).toContainText(/ops\/agent-[\w-]+-\d+\.jsonl:\d+/);
    await page.getByTestId("op-row").nth(3).click();
    await expect(page.getByTestId("op-detail")).toBeVisible();
    await shoot(page, "operations");
  });

  await test.step("agents: a lane per WAL, the conflicts and the lost writes", async () => {
    await page.getByTestId("nav-agents").click();
    await expect(page.getByTestId("lane").nth(3)).toBeVisible();
    expect(await page.getByTestId("lane").count()).toBeGreaterThanOrEqual(4);
    for (const agent of ["planner", "coder-1", "coder-2", "reviewer"]) await expect(page.getByTestId("lane").filter({ hasText: agent }).first()).toBeVisible();
    // The shared time axis is labelled (as many labels as fit: see agents-axis.spec.ts).
    expect(await page.getByTestId("axis-tick").count()).toBeGreaterThanOrEqual(3);
    await expect(page.getByTestId("lane").first()).toContainText(/\d+ ops · clock \d+–\d+ · [\d.]+ (B|KB)/);
    await expect(page.getByTestId("conflict-item").first()).toBeVisible();
    await expect(page.getByTestId("conflict-item").filter({ hasText: "task-003" }).first()).toBeVisible();
    // coder-2 wrote task-005 and task-009 into the WAL the first compaction retired
    for (const id of ["task-005", "task-009"]) await expect(page.getByTestId("lost-write-item").filter({ hasText: id }).filter({ hasText: "coder-2" })).toHaveCount(1);
    await shoot(page, "agents");
  });

  await test.step("archive: the 2026-Q1 segment and its records", async () => {
    await page.getByTestId("nav-archive").click();
    await expect(page.getByTestId("archive-segment")).toHaveCount(1);
    await expect(page.getByTestId("archive-segment")).toContainText("2026-Q1");
    await expect(page.getByTestId("archive-table").getByTestId("archive-row").first()).toBeVisible();
    await expect(page.getByTestId("archive-row").first()).toContainText("done");
    // Columns from the segment's own fields, as in the Records view
    for (const field of ["title", "status", "priority"]) await expect(page.getByTestId("archive-table").getByRole("columnheader", { name: field, exact: true })).toBeVisible();
    await shoot(page, "archive");
  });

  await test.step("history: one chain link per snapshot on disk", async () => {
    const snapshots = (await readdir(join(dir, "snapshots"))).filter((f) => /^snap-\d+\.jsonl?$/.test(f));
    expect(snapshots.length).toBeGreaterThanOrEqual(3);
    await page.getByTestId("nav-history").click();
    await expect(page.getByTestId("chain-link")).toHaveCount(snapshots.length);
    await expect(page.getByTestId("chain-link").last()).toHaveAttribute("data-verified", "live");
    await shoot(page, "history");
  });

  await test.step("timeline: the scrubber at now, the state table and the current op", async () => {
    await page.getByTestId("nav-timeline").click();
    await expect(page.getByTestId("scrubber")).toBeVisible();
    await expect(page.getByTestId("replay-pos")).toHaveText(/^([\d,]+) \/ \1$/);
    await expect(page.getByTestId("current-op")).toContainText(/#\d+/);
    await expect(page.getByTestId("state-table").getByTestId("state-row").first()).toBeVisible();
    await shoot(page, "timeline");
  });
});

test("the dark colour scheme renders the records view", async ({ page, workDir, explorer }) => {
  const server = await explorer(await demoStoreCopy(workDir));
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto(server.url);
  await expect(page.getByTestId("record-row").first()).toBeVisible();
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r, g, b] = (background.match(/\d+/g) ?? ["255", "255", "255"]).map(Number);
  expect(r + g + b, `body background ${background} should be dark`).toBeLessThan(3 * 96);
  await page.getByTestId("record-row").first().click();
  await expect(page.getByTestId("record-detail")).toBeVisible();
  await shoot(page, "records-dark");
});
