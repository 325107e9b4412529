/**
 * The UI's CSV export (browser mode: a download) by the one agreed rule, on a
 * store written by the published opslog whose fields appear past the 1,000th
 * record and whose strings a spreadsheet would run: every field a column,
 * the formula guard on by default and off by its switch in the Export menu.
 * Expected values come from the published opslog's state.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import type { Page } from "@playwright/test";
import { expect, test } from "../fixtures";
import { csvTrapsPastTheFirstThousand } from "../../engine/test/scenarios/index.js";

async function downloadCsv(page: Page): Promise<string[][]> {
  await page.getByTestId("export-records").click();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-records-csv").click()]);
  return parse(await readFile(await download.path(), "utf-8")) as string[][];
}

test("the Records CSV has every field of every record as a column, formulas guarded, and the guard's switch turns it off", async ({ page, workDir, explorer }) => {
  const store = await csvTrapsPastTheFirstThousand.build(join(workDir, "csv"));
  const fields = [...new Set(store.state.flatMap(([, v]) => Object.keys(v)))];
  const server = await explorer(store.dir);
  await page.goto(server.url);
  await expect(page.getByTestId("records-total")).toHaveText(`${store.state.length.toLocaleString("en")} records`);

  const [header, ...rows] = await downloadCsv(page);
  expect(header).toEqual(["_id", ...fields.map((f) => (f === "_id" ? "_id (field) (field)" : f))]);
  expect(rows).toHaveLength(store.state.length);
  const formulas = rows.find((r) => r[0] === "trap-formulas")!;
  expect(formulas[header.indexOf("v")]).toBe("'=1+1");
  expect(rows.find((r) => r[0] === "r1099")![header.indexOf("late")]).toBe("1099");

  await page.getByTestId("export-records").click();
  await expect(page.getByTestId("export-records-formula-guard")).toBeChecked();
  await page.getByTestId("export-records-formula-guard").uncheck();
  await page.getByTestId("export-records").click(); // closed; downloadCsv opens it again
  const [rawHeader, ...raw] = await downloadCsv(page);
  expect(raw.find((r) => r[0] === "trap-formulas")![rawHeader.indexOf("v")]).toBe("=1+1");
});
