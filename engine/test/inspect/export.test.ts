// Export (export.ts, export-store.ts) on stores written by the published
// opslog: every export is compared with what the writer's own states were
// (recorded as it wrote), or with the raw WAL lines and archive files read
// here, never with the inspector's answers; CSV is parsed back by csv-parse.
import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { Store as Published } from "@backloghq/opslog";
import { beforeAll, describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import type { Doc, InspectorApi } from "../../src/inspect/index.js";
import { exportText } from "../../src/inspect/export.js";
import type { ExportFormat, ExportSource } from "../../src/inspect/export.js";
import { exportStore } from "../../src/inspect/export-store.js";
import { hashTree, tempDir } from "../helpers/tmp.js";
import { singleWriterCompactedThenArchived, threeAgentsConflictThenLostWrites } from "../scenarios/index.js";
import { publishedState, suiteDir } from "./fixtures.js";
import type { State } from "./fixtures.js";

async function text(insp: InspectorApi, source: ExportSource, format: ExportFormat, pageSize = 3): Promise<string> {
  let out = "";
  for await (const chunk of exportText(insp, source, format, { pageSize })) out += chunk;
  return out;
}

const byId = (entries: [string, unknown][]) => [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
const jsonl = (s: string) => s.split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

/** Every op line of the store's WALs, read raw: single-writer files in creation order (ops-<ms>). */
async function rawOps(dir: string): Promise<Record<string, unknown>[]> {
  const files = (await readdir(join(dir, "ops"))).filter((f) => f.endsWith(".jsonl")).sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]));
  const out: Record<string, unknown>[] = [];
  for (const f of files) out.push(...jsonl(await readFile(join(dir, "ops", f), "utf-8")));
  return out;
}

/** A CSV cell as the table shows a value: absent empty, strings as they are, the rest as JSON. */
const cell = (v: unknown) => (v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v));

describe("export of a single-writer store written by the published opslog", () => {
  let dir: string;
  let states: State[];
  let insp: InspectorApi;
  let total: number;

  beforeAll(async () => {
    dir = await suiteDir();
    states = (await singleWriterCompactedThenArchived.build(dir)).states;
    insp = await openInspector(dir);
    total = (await insp.timelineInfo()).total;
  });

  it("JSONL of the records at every position holds exactly the writer's state there, one {id, data} per line", async () => {
    for (let at = 0; at <= total; at++) {
      const rows = jsonl(await text(insp, { kind: "records", at }, "jsonl"));
      expect(byId(rows.map((r) => [r.id as string, r.data])), `state at ${at}`).toEqual(byId([...states[at]]));
    }
  });

  it("JSON of the current records is one array of the same rows, and an empty state is []", async () => {
    const rows = JSON.parse(await text(insp, { kind: "records" }, "json")) as { id: string; data: Doc }[];
    expect(byId(rows.map((r) => [r.id, r.data]))).toEqual(byId([...states[total]]));
    expect(JSON.parse(await text(insp, { kind: "records", at: 0 }, "json"))).toEqual([]);
  });

  it("a filtered export keeps only the records the filter matches, at a past position too", async () => {
    const at = Math.floor(total / 2);
    const rows = jsonl(await text(insp, { kind: "records", at, filter: { status: "doing" } }, "jsonl"));
    const expected = [...states[at]].filter(([, v]) => v.status === "doing");
    expect(expected.length).toBeGreaterThan(0);
    expect(byId(rows.map((r) => [r.id as string, r.data]))).toEqual(byId(expected));
  });

  it("CSV parses back: _id and the table's columns, nested values (tags) as JSON text, absent fields empty", async () => {
    const csv = await text(insp, { kind: "records", columns: ["title", "status", "tags", "notes"] }, "csv");
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual(["_id", "title", "status", "tags", "notes"]);
    const expected = [...states[total]].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, v]) => ({ _id: id, title: cell(v.title), status: cell(v.status), tags: cell(v.tags), notes: cell(v.notes) }));
    expect([...rows].sort((a, b) => (a._id < b._id ? -1 : 1))).toEqual(expected);
    expect(rows.some((r) => r.notes === "")).toBe(true);
    expect(JSON.parse(rows[0].tags)).toEqual(["infra", "agents"]);
  });

  it("CSV quotes commas, quotes and newlines so they read back as written, null reads \"null\", and an empty export keeps its header", async () => {
    const odd = await suiteDir();
    const store = new Published<Doc>();
    await store.open(odd);
    const value = { note: 'a "quoted", comma\nand a new line', nested: { a: [1, "x,y"] }, cleared: null };
    await store.set("odd,id", value);
    await store.close();
    const oddInsp = await openInspector(odd);
    const rows = parse(await text(oddInsp, { kind: "records" }, "csv"), { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([{ _id: "odd,id", note: value.note, nested: JSON.stringify(value.nested), cleared: "null" }]);
    // No row at all still names the columns.
    expect(await text(oddInsp, { kind: "records", filter: { note: "no such note" }, columns: ["note"] }, "csv")).toBe("_id,note\n");
    await oddInsp.close();
  });

  it("the ops list exports every op of the raw WALs, in order, with the table's op numbers from 1", async () => {
    const raw = await rawOps(dir);
    const ops = jsonl(await text(insp, { kind: "ops" }, "jsonl"));
    expect(ops.map((o) => [o.op, o.id, o.data ?? null])).toEqual(raw.map((o) => [o.op, o.id, o.data ?? null]));
    const csv = parse(await text(insp, { kind: "ops" }, "csv"), { columns: true }) as Record<string, string>[];
    expect(csv.map((r) => r["op #"])).toEqual(raw.map((_, i) => String(i + 1)));
    expect(csv.map((r) => [r.op, r.id, r.data])).toEqual(raw.map((o) => [o.op, o.id, cell(o.data)]));
  });

  it("the ops list exports as filtered: only deletes, only one record's ops", async () => {
    const raw = await rawOps(dir);
    const deletes = jsonl(await text(insp, { kind: "ops", op: "delete" }, "jsonl"));
    expect(deletes.map((o) => o.id)).toEqual(raw.filter((o) => o.op === "delete").map((o) => o.id));
    const t1 = jsonl(await text(insp, { kind: "ops", id: "t1" }, "jsonl"));
    expect(t1.map((o) => o.data)).toEqual(raw.filter((o) => o.id === "t1").map((o) => o.data));
  });

  it("a record's history exports each of its ops with the value before and after, as the writer had them", async () => {
    const rows = jsonl(await text(insp, { kind: "history", id: "t1" }, "jsonl")).filter((h) => h.op !== "archive");
    const raw = (await rawOps(dir)).filter((o) => o.id === "t1");
    expect(rows.map((h) => h.after)).toEqual(raw.map((o) => o.data));
    for (const h of rows) expect(h.before).toEqual(states[h.pos as number].get("t1") ?? null);
  });

  it("an archive segment exports exactly the records of its file", async () => {
    const [segment] = await readdir(join(dir, "archive"));
    const file = JSON.parse(await readFile(join(dir, "archive", segment), "utf-8")) as { records: Record<string, unknown> };
    const rows = jsonl(await text(insp, { kind: "archive", path: `archive/${segment}` }, "jsonl"));
    expect(Object.keys(file.records).length).toBeGreaterThan(0);
    expect(byId(rows.map((r) => [r.id as string, r.data]))).toEqual(byId(Object.entries(file.records)));
  });

  it("the state at a past position, exported as a new store, opens in the published opslog with exactly that state", async () => {
    for (const at of [Math.floor(total / 3), total]) {
      const target = join(await tempDir(), "recovered");
      const before = await hashTree(dir);
      const written = await exportStore(insp, target, at);
      expect(await hashTree(dir)).toEqual(before);
      const store = new Published<Doc>();
      await store.open(target, { readOnly: true });
      expect(byId(store.entries())).toEqual(byId([...states[at]]));
      expect(written.records).toBe(states[at].size);
      await store.close();
    }
  });

  it("exporting a store refuses a folder that is not empty or lies inside the store, and writes nothing there", async () => {
    const full = await tempDir();
    await writeFile(join(full, "keep.txt"), "mine");
    await expect(exportStore(insp, full)).rejects.toThrow(/not empty/);
    expect(await readdir(full)).toEqual(["keep.txt"]);
    const before = await hashTree(dir);
    await expect(exportStore(insp, join(dir, "copy"))).rejects.toThrow(/inside the store/);
    expect(await hashTree(dir)).toEqual(before);
  });
});

describe("export of a multi-writer store written by the published opslog", () => {
  it("the current records export equals the published Store's state, and the new store opens as a single-writer store", async () => {
    const dir = await suiteDir();
    await threeAgentsConflictThenLostWrites.build(dir);
    const insp = await openInspector(dir);
    // The published Store merges the agents' WALs only when opened as an agent, which writes: open a copy.
    const copyOfSource = await suiteDir();
    await cp(dir, copyOfSource, { recursive: true });
    const expected = byId(await publishedState(copyOfSource, "observer"));
    const rows = jsonl(await text(insp, { kind: "records" }, "jsonl", 2));
    expect(byId(rows.map((r) => [r.id as string, r.data]))).toEqual(expected);
    const target = join(await tempDir(), "copy");
    await mkdir(target);
    await exportStore(insp, target);
    const copy = new Published<Doc>();
    await copy.open(target);
    expect(byId(copy.entries())).toEqual(expected);
    await copy.set("new", { after: "the export" }); // the recovered store is a working store
    await copy.close();
    await insp.close();
  });
});
