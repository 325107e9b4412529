/**
 * The differential check of exports and blobs: each export source (records
 * at a position, filtered too; each archive segment; the ops; a record's
 * history) in each format (JSONL, JSON, CSV), its text parsed back and
 * compared row by row, cell by cell, with the reference model's rows; and
 * the blobs listed against those the program wrote.
 */
import { parse } from "csv-parse/sync";
import { exportText, listBlobs, readBlobChunk } from "../../src/inspect/index.js";
import type { ExportSource } from "../../src/inspect/index.js";
import * as A from "./answers.js";
import { historyCsv, opsCsv, recordsCsv } from "./exports.js";
import { rng, same } from "./compare.js";
import type { CompareContext } from "./compare.js";

const ALL = { offset: 0, limit: 100_000 };

async function text(c: CompareContext, source: ExportSource, format: "jsonl" | "json" | "csv"): Promise<string> {
  let out = "";
  for await (const chunk of exportText(c.insp, source, format, { pageSize: 3 })) out += chunk;
  return out;
}

async function checkSource(c: CompareContext, source: ExportSource, rows: unknown[], csv: string[][]): Promise<void> {
  const name = JSON.stringify(source);
  const jsonl = (await text(c, source, "jsonl")).split("\n").filter(Boolean).map((l) => JSON.parse(l) as unknown);
  same(`export ${name} as jsonl`, jsonl, rows);
  same(`export ${name} as json`, JSON.parse(await text(c, source, "json")), rows);
  if (c.skips.has("csv")) return;
  same(`export ${name} as csv`, parse(await text(c, source, "csv"), { relax_column_count: true }), csv);
}

export async function compareExports(c: CompareContext): Promise<void> {
  const { model: m } = c;
  const r = rng(c.probe + 3);
  const total = m.timeline.length;
  for (const at of [total, r.int(total + 1)]) {
    const rows = A.records(m, { at, ...ALL }).rows;
    await checkSource(c, { kind: "records", at }, rows, recordsCsv(rows));
  }
  const filter = r.pick<A.Filter>([{ k: "done" }, { n: { $gt: 3 } }]);
  const filtered = A.records(m, { filter, ...ALL }).rows;
  await checkSource(c, { kind: "records", filter }, filtered, recordsCsv(filtered));
  for (const s of m.files.segments) {
    const rows = A.archivePage(m, s.path, 0, ALL.limit).rows;
    await checkSource(c, { kind: "archive", path: s.path }, rows, recordsCsv(rows));
  }
  const ops = A.ops(m, ALL).rows;
  await checkSource(c, { kind: "ops" }, ops, opsCsv(ops));
  const ids = [...m.versions.keys()];
  if (ids.length > 0) {
    const id = r.pick(ids);
    const history = A.history(m, id) as Parameters<typeof historyCsv>[0];
    await checkSource(c, { kind: "history", id }, history, historyCsv(history));
  }
  const blobs = await listBlobs(m.dir, ALL);
  const written = [...c.journal.blobs].map(([path, bytes]) => [path, bytes.length]).sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1));
  same("listBlobs", blobs.rows.map((b) => [b.path, b.bytes]), written);
  for (const [path, bytes] of c.journal.blobs) same(`readBlobChunk ${path}`, (await readBlobChunk(m.dir, path, 0, 1024)).base64, bytes.toString("base64"));
}
