/**
 * Export in browser mode: the Records, Operations and Timeline "Export ▾"
 * menus download files (a Playwright download event) whose content equals
 * what the published opslog reads from the same store, or its raw WAL lines;
 * and "as a new opslog store" writes a store the published opslog opens with
 * the state at the cursor, the original untouched.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import type { Page } from "@playwright/test";
import { Store } from "@backloghq/opslog";
import { sixTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";
import { expect, readWithPublished, SCREENSHOTS, test } from "../fixtures";
import type { Doc } from "../fixtures";

async function downloaded(page: Page, menu: string, format: string): Promise<{ name: string; text: string }> {
  await page.getByTestId(`export-${menu}`).click();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId(`export-${menu}-${format}`).click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(path, "utf-8") };
}

/** Every op line of the store's WALs, read raw, single-writer files in creation order. */
async function rawOps(dir: string): Promise<Doc[]> {
  const files = (await readdir(join(dir, "ops"))).filter((f) => f.endsWith(".jsonl")).sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]));
  const out: Doc[] = [];
  for (const f of files) for (const line of (await readFile(join(dir, "ops", f), "utf-8")).split("\n")) if (line.trim()) out.push(JSON.parse(line) as Doc);
  return out;
}

test("the filtered records download as CSV in the table's columns, equal to the published opslog's records", async ({ page, workDir, explorer }) => {
  const dir = (await sixTasksCompactedThenEdited.build(join(workDir, "single"))).dir;
  const server = await explorer(dir);
  await page.goto(server.url);
  await page.getByTestId("filter-input").fill('{status: "todo"}');
  await page.getByTestId("filter-apply").click();
  await expect(page.getByTestId("records-total")).toHaveText("2 records");
  await page.getByTestId("export-records").click();
  await page.screenshot({ path: join(SCREENSHOTS, "export-menu.png") });
  await page.getByTestId("export-records").click(); // closed again; downloaded() opens it

  const { name, text } = await downloaded(page, "records", "csv");
  expect(name).toBe("records.csv");
  const rows = parse(text, { columns: true }) as Record<string, string>[];
  const headers = await page.getByTestId("records-table").locator(".vtable-head [role=columnheader]").allTextContents();
  expect(Object.keys(rows[0])).toEqual(headers.map((h) => h.replace(/[▲▼]/g, "").trim()));
  const state = await readWithPublished(dir, workDir);
  const expected = [...state].filter(([, v]) => v.status === "todo").map(([id, v]) => ({ _id: id, title: String(v.title), status: String(v.status), estimate: String(v.estimate) }));
  expect(rows.sort((a, b) => (a._id < b._id ? -1 : 1))).toEqual(expected.sort((a, b) => (a._id < b._id ? -1 : 1)));
});

test("the Operations list downloads as JSONL, every op of the raw WALs in order", async ({ page, workDir, explorer }) => {
  const dir = (await sixTasksCompactedThenEdited.build(join(workDir, "single"))).dir;
  const server = await explorer(dir);
  await page.goto(server.url);
  await page.getByTestId("nav-operations").click();
  await expect(page.getByTestId("ops-total")).toHaveText(/^\d+ ops$/);
  const { name, text } = await downloaded(page, "ops", "jsonl");
  expect(name).toBe("ops.jsonl");
  const ops = text.trim().split("\n").map((l) => JSON.parse(l) as Doc);
  const raw = await rawOps(dir);
  expect(ops.map((o) => [o.op, o.id, o.data ?? null])).toEqual(raw.map((o) => [o.op, o.id, o.data ?? null]));
  expect(await page.getByTestId("ops-total").textContent()).toBe(`${raw.length} ops`);
  // The command palette runs the same export.
  await page.keyboard.press("Control+k");
  await page.keyboard.type("list as JSON (one array");
  const [viaPalette] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
  const array = JSON.parse(await readFile(await viaPalette.path(), "utf-8")) as Doc[];
  expect(array).toEqual(ops);
});

test("the state at a Timeline position exports as JSON and as a new store the published opslog opens", async ({ page, workDir, explorer }) => {
  const dir = (await sixTasksCompactedThenEdited.build(join(workDir, "single"))).dir;
  const server = await explorer(dir);
  await page.goto(server.url);
  await page.getByTestId("nav-timeline").click();
  await page.getByTestId("replay-start").click();
  for (let i = 0; i < 3; i++) await page.getByTestId("step-forward").click();
  await expect(page.getByTestId("replay-pos")).toHaveText(/^3 \//);
  // Independently: the state after the first three ops of the raw WALs (three sets of new records).
  const firstThree = (await rawOps(dir)).slice(0, 3);
  const expected = firstThree.map((o) => [o.id as string, o.data as Doc] as const).sort(([a], [b]) => (a < b ? -1 : 1));

  const { name, text } = await downloaded(page, "state", "json");
  expect(name).toBe("records-at-3.json");
  expect((JSON.parse(text) as { id: string; data: Doc }[]).map((r) => [r.id, r.data])).toEqual(expected);

  const target = join(workDir, "recovered");
  await page.getByTestId("export-state").click();
  await page.getByTestId("export-state-store").click();
  await page.getByTestId("confirm-input").fill(target);
  await page.getByTestId("confirm-ok").click();
  await expect(page.getByTestId("toast")).toContainText("3 records");
  await page.screenshot({ path: join(SCREENSHOTS, "export-store-toast.png") });
  const recovered = await readWithPublished(target, workDir);
  expect([...recovered].sort(([a], [b]) => (a < b ? -1 : 1))).toEqual(expected);
});

test("an archive segment downloads as CSV equal to its file, and a record's history as JSONL equal to its WAL lines", async ({ page, workDir, explorer }) => {
  const dir = (await sixTasksCompactedThenEdited.build(join(workDir, "single"))).dir;
  const rawBefore = await rawOps(dir);
  const writer = new Store<Doc>();
  await writer.open(dir, { checkpointOnClose: false });
  await writer.archive((doc) => doc.status === "done", "2026-Q1");
  await writer.close();
  const segment = JSON.parse(await readFile(join(dir, "archive", "archive-2026-Q1.json"), "utf-8")) as { records: Record<string, Doc> };
  expect(Object.keys(segment.records).length).toBeGreaterThan(0);

  const server = await explorer(dir);
  await page.goto(server.url);
  await page.getByTestId("nav-archive").click();
  await expect(page.getByTestId("archive-total")).toHaveText(`${Object.keys(segment.records).length} archived record${Object.keys(segment.records).length === 1 ? "" : "s"}`);
  const archived = await downloaded(page, "archive", "csv");
  expect(archived.name).toBe("archive-2026-Q1.csv");
  const rows = parse(archived.text, { columns: true }) as Record<string, string>[];
  expect(rows.map((r) => [r._id, r.title, r.status, r.estimate]).sort()).toEqual(Object.entries(segment.records).map(([id, v]) => [id, v.title, v.status, String(v.estimate)]).sort());

  await page.getByTestId("nav-records").click();
  await page.getByTestId("record-row").filter({ hasText: "task-1" }).click();
  const history = await downloaded(page, "history", "jsonl");
  expect(history.name).toBe("history-task-1.jsonl");
  const entries = history.text.trim().split("\n").map((l) => JSON.parse(l) as { op: string; after: unknown });
  expect(entries.map((e) => e.after)).toEqual(rawBefore.filter((o) => o.id === "task-1").map((o) => o.data));
});
