// The CSV rule (AGREED.md item 4) reaches both of the app's export paths: the
// browser-mode download (export.download) and export.save, on a store written
// by the published opslog whose fields appear past the 1,000th record and
// whose strings a spreadsheet would run as formulas. Expected values come
// from the published opslog's state (the scenario's facts).
import { request } from "node:http";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppData } from "../appdata.js";
import { startServer } from "../serve.js";
import type { RunningServer } from "../serve.js";
import { csvTrapsPastTheFirstThousand } from "../../engine/test/scenarios/index.js";
import type { FactsOf } from "../../engine/test/scenarios/index.js";
import { removeDir, tempDir } from "./helpers.js";

let work: string;
let server: RunningServer;
let store: FactsOf<typeof csvTrapsPastTheFirstThousand>;
/** Every field of the published records, in order of first appearance (records in id order) */
let fields: string[];

beforeAll(async () => {
  work = await tempDir("export-csv");
  store = await csvTrapsPastTheFirstThousand.build(join(work, "store"));
  fields = [...new Set(store.state.flatMap(([, v]) => Object.keys(v)))];
  const staticDir = join(work, "static");
  await mkdir(staticDir);
  await writeFile(join(staticDir, "index.html"), "<!doctype html><title>explorer</title>");
  server = await startServer({ dir: store.dir, readOnly: true, staticDir, appData: new AppData(join(work, "home")), pollMs: 0 });
  await server.handlers.store.settled();
});
afterAll(async () => {
  await server?.close();
  await removeDir(work);
});

function get(path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((done, fail) => {
    const req = request({ host: "127.0.0.1", port: server.port, method: "GET", path, headers: { host: `127.0.0.1:${server.port}` } }, (res) => {
      let text = "";
      res.setEncoding("utf-8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => done({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", fail);
    req.end();
  });
}

/** Browser mode's download of a CSV export: its argument as JSON in `arg` (extra: more of the argument, e.g. the formula guard) */
const download = (source: unknown, extra: Record<string, unknown> = {}) => get(`/api/download/export.download?token=${server.token}&arg=${encodeURIComponent(JSON.stringify({ source, format: "csv", ...extra }))}`);

async function save(arg: Record<string, unknown>): Promise<{ ok: boolean; value?: { rows: number; fieldsLeftOut: number } }> {
  return new Promise((done, fail) => {
    const body = JSON.stringify(arg);
    const req = request({ host: "127.0.0.1", port: server.port, method: "POST", path: "/api/call/export.save", headers: { host: `127.0.0.1:${server.port}`, "content-type": "application/json", "x-opslog-token": server.token } }, (res) => {
      let text = "";
      res.setEncoding("utf-8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => done(JSON.parse(text) as { ok: boolean; value?: { rows: number; fieldsLeftOut: number } }));
    });
    req.on("error", fail);
    req.end(body);
  });
}

const headerOf = (csv: string) => (parse(csv) as string[][])[0];
const cellOf = (csv: string, id: string, field: string) => {
  const [header, ...rows] = parse(csv) as string[][];
  return rows.find((r) => r[0] === id)![header.indexOf(field)];
};

describe("CSV through the app's export paths", () => {
  it("the download has every field as a column (one past the 1,000th record too), the record's own _id apart, formulas guarded by default", async () => {
    const answer = await download({ kind: "records" });
    expect(answer.status).toBe(200);
    expect(headerOf(answer.body)).toEqual(["_id", ...fields.map((f) => (f === "_id" ? "_id (field) (field)" : f))]);
    expect(cellOf(answer.body, "trap-formulas", "v")).toBe("'=1+1");
    expect(cellOf(answer.body, "trap-null-string", "v")).toBe('"null"');
    expect(answer.headers["x-export-fields-left-out"]).toBe("0");
  });

  it("the download with csvFormulaGuard: false writes formulas raw; named columns say in a header how many fields are left out", async () => {
    expect(cellOf((await download({ kind: "records" }, { csvFormulaGuard: false })).body, "trap-formulas", "v")).toBe("=1+1");
    const named = await download({ kind: "records", columns: ["n"] });
    expect(headerOf(named.body)).toEqual(["_id", "n"]);
    expect(named.headers["x-export-fields-left-out"]).toBe(String(fields.length - 1));
    expect((await download({ kind: "records" }, { csvFormulaGuard: "maybe" })).status).toBe(400);
  });

  it("export.save takes the same guard switch and reports the fields its named columns leave out", async () => {
    const guarded = join(work, "guarded.csv");
    const raw = join(work, "raw.csv");
    const saved = await save({ source: { kind: "records", columns: ["v", "status"] }, format: "csv", path: guarded });
    expect(saved).toMatchObject({ ok: true, value: { rows: store.state.length, fieldsLeftOut: fields.length - 2 } });
    expect(cellOf(await readFile(guarded, "utf-8"), "trap-formulas", "v")).toBe("'=1+1");
    expect(await save({ source: { kind: "records" }, format: "csv", path: raw, csvFormulaGuard: false })).toMatchObject({ ok: true, value: { fieldsLeftOut: 0 } });
    expect(cellOf(await readFile(raw, "utf-8"), "trap-formulas", "v")).toBe("=1+1");
  });
});
