/**
 * Archives and compactions as the user sees them, on a store written by the
 * published opslog: a marker on the scrubber, an event row in Operations in
 * its place, "archived → segment" in the diff (never "deleted"), a link to
 * the record in the Archive view, and "archived to" in a record's history.
 * Positions and counts come from what the writer did, not from the explorer.
 */
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { expect, SCREENSHOTS, test } from "../fixtures";
import { archivedThenCompacted } from "../../engine/test/scenarios/index.js";

const SEGMENT = "archive-2026-Q1";

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

test("an archive and a compaction are events of the timeline, and archived records read archived, not deleted", async ({ page, workDir, explorer }) => {
  const dir = join(workDir, "archived");
  const written = await archivedThenCompacted.build(dir);
  expect(written.archived).toBe(3); // task-1, task-3, task-5
  expect(written.archivedIds).toEqual(["task-1", "task-3", "task-5"]);
  const server = await explorer(dir);
  await page.goto(server.url);

  await test.step("Timeline: a marker for each, saying what; at the archive, the diff says archived → segment", async () => {
    await page.getByTestId("nav-timeline").click();
    await expect(page.getByTestId("replay-pos")).toHaveText(`${written.total} / ${written.total}`);
    const markers = page.getByTestId("event-marker");
    await expect(markers).toHaveCount(2);
    const archive = page.locator(`[data-testid=event-marker][data-position="${written.archivedAt}"]`);
    await expect(archive).toHaveAttribute("title", new RegExp(`archived 3 records to ${SEGMENT}; compacted: snapshot snap-\\d+, ${written.archivedAt} ops folded`));
    await expect(page.locator(`[data-testid=event-marker][data-position="${written.compactedAt}"]`)).toHaveAttribute("title", new RegExp(`compacted: snapshot snap-\\d+, ${written.folded} ops folded`));
    await archive.click();
    await expect(page.getByTestId("replay-pos")).toHaveText(`${written.archivedAt} / ${written.total}`);
    await expect(page.getByTestId("cursor-events")).toContainText(`archived 3 records to ${SEGMENT}`);
    const changed = page.getByTestId("diff-prev");
    await expect(changed).toContainText("0 added · 1 changed · 0 removed · 3 archived");
    await expect(changed.locator("[data-kind=archived]")).toHaveCount(3);
    for (const id of written.archivedIds) await expect(changed.locator("[data-kind=archived]").filter({ hasText: id })).toContainText(`archived → ${SEGMENT}`);
    await expect(changed).not.toContainText("deleted");
    await expect(page.getByTestId("diff-now")).toContainText(/ 0 removed/);
    await shoot(page, "events-timeline");
  });

  await test.step("the diff's Archive link lands on the record in its segment", async () => {
    await page.getByTestId("diff-prev").locator("[data-kind=archived]").filter({ hasText: "task-5" }).getByTestId("archive-link").click();
    await expect(page.getByTestId("archive-segment").filter({ hasText: "2026-Q1" })).toHaveClass(/active/);
    await expect(page.getByTestId("archive-id-search")).toHaveValue("task-5");
    await expect(page.locator("[data-testid=archive-row][data-key=task-5]")).toHaveAttribute("aria-selected", "true");
    await expect(page.getByTestId("archive-detail")).toContainText("task-5");
    await expect(page.getByTestId("archive-detail")).toContainText("Task 5");
  });

  await test.step("Operations: an event row in its place among the ops; clicking it shows what it did", async () => {
    await page.getByTestId("nav-operations").click();
    await expect(page.getByTestId("ops-total")).toHaveText(`${written.total} ops`);
    const rows = page.getByTestId("ops-table").locator("[role=row][data-key]");
    const ops = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => String(from + i));
    const expected = [...ops(0, written.archivedAt), `event-${written.archivedAt}-archive-archive/${SEGMENT}.json`, `event-${written.archivedAt}-compaction-`, ...ops(written.archivedAt, written.compactedAt), `event-${written.compactedAt}-compaction-`, ...ops(written.compactedAt, written.total)];
    await expect.poll(() => rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-key")))).toEqual(expected);
    const events = page.getByTestId("event-row");
    await expect(events.nth(0)).toContainText(`archived 3 records to ${SEGMENT}`);
    await expect(events.nth(1)).toContainText(new RegExp(`compacted: snapshot snap-\\d+, ${written.archivedAt} ops folded`));
    await expect(events.nth(2)).toContainText(new RegExp(`compacted: snapshot snap-\\d+, ${written.folded} ops folded`));
    await events.nth(0).click();
    await expect(page.getByTestId("event-detail")).toContainText(`archived 3 records to ${SEGMENT}`);
    for (const id of written.archivedIds) await expect(page.getByTestId("event-detail")).toContainText(id);
    await shoot(page, "events-operations");
    await page.getByTestId("event-replay").click();
    await expect(page.getByTestId("replay-pos")).toHaveText(`${written.archivedAt} / ${written.total}`);
  });

  await test.step("a record archived and created again: its history says archived to the segment, then goes on", async () => {
    await page.getByTestId("nav-records").click();
    await page.locator("[data-testid=record-row][data-key=task-3]").click();
    const detail = page.getByTestId("record-detail");
    await expect(detail.getByTestId("history-archived")).toContainText(`archived to ${SEGMENT}`);
    await expect(detail.getByTestId("history-archived")).not.toContainText("deleted");
    // Newest first: the set that created it again, the archive, the first set.
    const steps = detail.locator("[data-testid=history-item], [data-testid=history-archived]");
    await expect(steps).toHaveCount(3);
    await expect(steps.nth(0)).toContainText("Task 3, again");
    await expect(steps.nth(1)).toHaveAttribute("data-testid", "history-archived");
    await shoot(page, "events-record-history");
  });
});
