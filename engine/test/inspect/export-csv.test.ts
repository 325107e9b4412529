// CSV exports, one cell rule everywhere (AGREED.md item 4), on a store
// written by the published opslog with fields that first appear after the
// 1,000th record, a field named `_id`, strings JSON reads as other values,
// JSON null, and cells a spreadsheet would run as formulas. Expected values
// come from the published opslog's state and the raw WAL lines, decoded with
// this file's own reading of the agreed rule (never the engine's).
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import type { InspectorApi } from "../../src/inspect/index.js";
import { exportText } from "../../src/inspect/export.js";
import type { ExportOptions, ExportSource } from "../../src/inspect/export.js";
import { csvTrapsPastTheFirstThousand } from "../scenarios/index.js";
import type { FactsOf } from "../scenarios/index.js";
import { suiteDir } from "./fixtures.js";

const TRIGGER = /^[=+\-@\t\r]/;

/** A cell read back, as AGREED.md item 4 says: the guard's one `'` dropped, empty absent, JSON its value, else the string. */
function decode(cell: string, guard = true): unknown {
  let text = cell;
  if (guard && text.startsWith("'") && TRIGGER.test(text.replace(/^'+/, ""))) text = text.slice(1);
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function csv(insp: InspectorApi, source: ExportSource, options: ExportOptions = {}): Promise<string[][]> {
  let out = "";
  for await (const chunk of exportText(insp, source, "csv", { pageSize: 400, ...options })) out += chunk;
  return parse(out) as string[][];
}

/** Every field of the published state's records, in order of first appearance, records in id order. */
function fieldsOf(state: [string, Record<string, unknown>][]): string[] {
  const fields = new Set<string>();
  for (const [, value] of state) for (const field of Object.keys(value)) fields.add(field);
  return [...fields];
}

describe("CSV export: every field a column, one cell rule, the formula guard", () => {
  let store: FactsOf<typeof csvTrapsPastTheFirstThousand>;
  let insp: InspectorApi;
  let fields: string[];

  beforeAll(async () => {
    store = await csvTrapsPastTheFirstThousand.build(await suiteDir());
    insp = await openInspector(store.dir);
    fields = fieldsOf(store.state);
  });

  it("every field of every exported record is a column, one first seen after the 1,000th record too, and `_id` is the record id, a field named _id headed `_id (field)` (again while taken)", async () => {
    const [header] = await csv(insp, { kind: "records" });
    expect(fields).toContain("late");
    expect(header).toEqual(["_id", ...fields.map((f) => (f === "_id" ? "_id (field) (field)" : f))]);
    expect(header.filter((h) => h === "_id")).toHaveLength(1);
  });

  it("every row reads back to exactly the published record: \"null\" a string, null null, \"\" an empty string, absent absent, formulas as written", async () => {
    const [header, ...rows] = await csv(insp, { kind: "records" });
    const byHeader = new Map(header.map((h, i) => [h, i]));
    const fieldAt = fields.map((f) => byHeader.get(f === "_id" ? "_id (field) (field)" : f)!);
    const back = rows.map((row) => {
      const value: Record<string, unknown> = {};
      fields.forEach((f, i) => {
        const v = decode(row[fieldAt[i]]);
        if (v !== undefined) value[f] = v;
      });
      return [decode(row[0]), value]; // the id cell follows the same rule (the id "true" is "\"true\"")
    });
    expect(back).toEqual(store.state);
  });

  it("the guard is on by default: a cell starting with =, +, -, @, tab or CR gets one leading ', a JSON number does not, and leading quotes cannot hide a trigger", async () => {
    const [header, ...rows] = await csv(insp, { kind: "records" });
    const cell = (id: string, field: string) => rows.find((r) => r[0] === id)![header.indexOf(field)];
    expect(["v", "w", "x", "y", "z", "cr"].map((f) => cell("trap-formulas", f))).toEqual(["'=1+1", "'+cmd", "'-x", "'@SUM(A1)", "'\tx", "'\rx"]);
    expect(cell("trap-number", "v")).toBe("-5");
    expect(["v", "w", "x"].map((f) => cell("trap-quoted", f))).toEqual(["''=x", "'''+y", "'plain"]);
    expect([cell("trap-null-string", "v"), cell("trap-null", "v"), cell("trap-empty", "v"), cell("trap-null", "w")]).toEqual(['"null"', "null", '""', ""]);
  });

  it("with the guard off, cells go out raw and read back without it", async () => {
    const [header, ...rows] = await csv(insp, { kind: "records", idContains: "trap-formulas" }, { csvFormulaGuard: false });
    expect(rows).toHaveLength(1);
    const value = Object.fromEntries(header.slice(1).flatMap((h, i) => (rows[0][i + 1] === "" ? [] : [[h, decode(rows[0][i + 1], false)]])));
    expect(rows[0][header.indexOf("v")]).toBe("=1+1");
    expect(value).toEqual(store.traps["trap-formulas"]);
  });

  it("named columns: only those, and the export tells how many fields of the exported rows it leaves out", async () => {
    let leftOut: number | null = null;
    const [header] = await csv(insp, { kind: "records", columns: ["n", "status"] }, { onFieldsLeftOut: (n) => (leftOut = n) });
    expect(header).toEqual(["_id", "n", "status"]);
    expect(leftOut).toBe(fields.length - 2);
  });

  it("the ops and a history export by the same rule: each op's id and data read back as the raw WAL line has them", async () => {
    const [header, ...rows] = await csv(insp, { kind: "ops" });
    const raw = store.walLines.filter((l) => l.op !== null).map((l) => l.op!);
    expect(rows.map((r) => decode(r[header.indexOf("id")]))).toEqual(raw.map((o) => o.id));
    expect(rows.map((r) => decode(r[header.indexOf("data")]))).toEqual(raw.map((o) => o.data));
    const [hHeader, ...history] = await csv(insp, { kind: "history", id: "trap-null-string" });
    expect(history.map((r) => decode(r[hHeader.indexOf("after")]))).toEqual([{ v: "null" }]);
  });
});
