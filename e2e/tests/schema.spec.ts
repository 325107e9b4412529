/**
 * The Records view's Schema tab on a store written by the published opslog:
 * the figures on screen (presence, type counts, top values, true/false,
 * number range and histogram, date range) equal the test's own count over
 * the state it replays from the raw WAL lines; a sample says it is one; a
 * click on a value or a bar narrows the Records filter to it.
 */
import { join } from "node:path";
import type { Locator, Page } from "@playwright/test";
import { expect, SCREENSHOTS, test } from "../fixtures";
import { countsOf, kindOf, replayRawWal, valuesByPath, writeSchemaStore } from "../../engine/test/inspect/schema-fixture.js";
import type { Doc } from "../../engine/test/inspect/schema-fixture.js";

const RECORDS = 1200;

const field = (page: Page, path: string) => page.locator(`[data-testid=schema-field][data-path="${path}"]`);
const summary = (f: Locator, type: string) => f.locator(`[data-testid=schema-type-summary][data-type=${type}]`).first();

async function openSchema(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId("records-tab-schema").click();
  await expect(page.getByTestId("schema-extent")).toBeVisible();
}

/** Every field shown, with its count and per-type counts, equals the test's count over `docs`; and the summaries of a few fields in detail. */
async function expectShows(page: Page, docs: Doc[]): Promise<void> {
  const byPath = valuesByPath(docs);
  await expect(page.getByTestId("schema-field")).toHaveCount(byPath.size);
  for (const [path, values] of byPath) {
    const f = field(page, path);
    await expect(f, path).toHaveAttribute("data-count", String(values.length));
    await expect(f.getByTestId("schema-presence"), path).toContainText(`${Math.round((100 * values.length) / docs.length)}%`);
    const shown = Object.fromEntries(await f.locator(".schema-field-head [data-testid=schema-type]").evaluateAll((els) => els.map((e) => [e.getAttribute("data-type"), Number(e.getAttribute("data-count"))])));
    expect(shown, path).toEqual(Object.fromEntries(countsOf(values.map(kindOf))));
  }
  const status = summary(field(page, "status"), "string");
  for (const [value, n] of countsOf(byPath.get("status")! as string[])) await expect(status.locator(`[data-value="${value}"]`)).toHaveAttribute("data-count", String(n));
  const done = byPath.get("done")!;
  await expect(summary(field(page, "done"), "boolean").locator('[data-value="true"]')).toHaveAttribute("data-count", String(done.filter((v) => v === true).length));
  await expect(summary(field(page, "done"), "boolean").locator('[data-value="false"]')).toHaveAttribute("data-count", String(done.filter((v) => v === false).length));
  const estimates = byPath.get("estimate")!.filter((v): v is number => typeof v === "number");
  await expect(summary(field(page, "estimate"), "number").getByTestId("schema-number-range")).toContainText(`min ${Math.min(...estimates)} · max ${Math.max(...estimates).toLocaleString("en")}`);
  const bars = await summary(field(page, "estimate"), "number").getByTestId("schema-bar").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-count"))));
  expect(bars.reduce((a, b) => a + b, 0)).toBe(estimates.length);
  const dues = (byPath.get("due") as string[]).sort();
  await expect(field(page, "due").getByTestId("schema-date-range")).toHaveText(`${dues[0]} → ${dues[dues.length - 1]}`);
}

test("the Schema tab shows, for every field, the figures of the store's records: sampled by default and saying so, exact when asked for every record, at any position", async ({ page, workDir, explorer }) => {
  const dir = join(workDir, "schema-store");
  await writeSchemaStore(dir, RECORDS);
  const now = [...(await replayRawWal(dir)).values()];
  const server = await explorer(dir);
  await openSchema(page, server.url);

  // More records than the sample: a stated sample of 1,000, figures within it.
  const extent = page.getByTestId("schema-extent");
  await expect(extent).toHaveText(`A random sample of 1,000 of the ${now.length.toLocaleString("en")} records now: presence and shares are estimates.`);
  await expect(extent).toHaveAttribute("data-exact", "false");
  for (const f of await page.getByTestId("schema-field").all()) expect(Number(await f.getAttribute("data-count"))).toBeLessThanOrEqual(1000);
  await page.screenshot({ path: join(SCREENSHOTS, "schema-sampled.png") });

  await page.getByTestId("schema-sample").selectOption("0");
  await expect(extent).toHaveText(`All ${now.length.toLocaleString("en")} records now: exact figures.`);
  await expectShows(page, now);
  await page.screenshot({ path: join(SCREENSHOTS, "schema-exact.png"), fullPage: true });

  await page.getByTestId("schema-position").fill("300");
  const past = [...(await replayRawWal(dir, 300)).values()];
  await expect(extent).toHaveText(`All ${past.length} records at position 300: exact figures.`);
  await expectShows(page, past);
});

test("a click on a value or a histogram bar in the Schema tab adds it to the Records filter, and the schema and the table narrow to it", async ({ page, workDir, explorer }) => {
  const dir = join(workDir, "schema-store");
  await writeSchemaStore(dir);
  const now = [...(await replayRawWal(dir)).values()];
  const server = await explorer(dir);
  await openSchema(page, server.url);
  await expect(page.getByTestId("schema-extent")).toHaveText(`All ${now.length} records now: exact figures.`);

  await summary(field(page, "status"), "string").locator('[data-value="review"]').click();
  await expect(page.getByTestId("filter-input")).toHaveValue('{"status":"review"}');
  const review = now.filter((d) => d.status === "review");
  await expect(page.getByTestId("schema-extent")).toHaveText(`All ${review.length} records matching the filter now (of ${now.length}): exact figures.`);
  await expectShows(page, review);

  const bar = summary(field(page, "estimate"), "number").getByTestId("schema-bar").first();
  const from = Number(await bar.getAttribute("data-from"));
  const to = Number(await bar.getAttribute("data-to"));
  await bar.click();
  const narrowed = review.filter((d) => typeof d.estimate === "number" && d.estimate >= from && d.estimate < to);
  await expect(page.getByTestId("filter-input")).toHaveValue(JSON.stringify({ status: "review", estimate: { $gte: from, $lt: to } }));
  await expect(page.getByTestId("schema-extent")).toContainText(`All ${narrowed.length} record${narrowed.length === 1 ? "" : "s"} matching the filter`);
  await page.screenshot({ path: join(SCREENSHOTS, "schema-filtered.png"), fullPage: true });
  await page.getByTestId("records-tab-documents").click();
  await expect(page.getByTestId("records-total")).toHaveText(`${narrowed.length} record${narrowed.length === 1 ? "" : "s"}`);
});

test("'Schema here' in the Timeline shows the Schema tab at the cursor's position, with its figures", async ({ page, workDir, explorer }) => {
  const dir = join(workDir, "schema-store");
  await writeSchemaStore(dir);
  const server = await explorer(dir);
  await page.goto(server.url);
  await page.getByTestId("nav-timeline").click();
  await page.getByTestId("scrubber").fill("150");
  await expect(page.getByTestId("replay-pos")).toHaveText(/^150 \//);
  await page.getByTestId("schema-here").click();
  await expect(page.getByTestId("records-tab-schema")).toHaveAttribute("aria-selected", "true");
  const past = [...(await replayRawWal(dir, 150)).values()];
  await expect(page.getByTestId("schema-extent")).toHaveText(`All ${past.length} records at position 150: exact figures.`);
  await expect(page.getByTestId("schema-at-cursor")).toHaveClass(/primary/);
  await expectShows(page, past);
});
