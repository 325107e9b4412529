// Export and blobs through the contract, in a server started with --read-only
// (exporting never writes the store, so it is allowed there): the browser-mode
// download (token, headers, streamed body), export.save and export.store to
// paths, and the blob calls. Expected values come from the published opslog.
import { request } from "node:http";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { FsBackend, Store } from "@backloghq/opslog";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppData } from "../appdata.js";
import { Handlers } from "../handlers.js";
import { startServer } from "../serve.js";
import type { RunningServer } from "../serve.js";
import { twentyTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";
import { digestTree, removeDir, tempDir } from "./helpers.js";

let work: string;
let server: RunningServer;
let store: string;
/** The store's state as the published opslog reads it, id order */
let expected: [string, Record<string, unknown>][];

beforeAll(async () => {
  work = await tempDir("export");
  store = (await twentyTasksCompactedThenEdited.build(join(work, "store"))).dir;
  const backend = new FsBackend();
  const writer = new Store<Record<string, unknown>>();
  await writer.open(store, { backend, checkpointOnClose: false });
  await backend.writeBlob("files/report.txt", Buffer.from("the report"));
  await writer.set("task-30", { title: "Task 30", status: "open", estimate: 1, report: "files/report.txt" });
  await writer.close();
  const reader = new Store<Record<string, unknown>>();
  await reader.open(store, { readOnly: true });
  expected = reader.entries().sort(([a], [b]) => (a < b ? -1 : 1));
  await reader.close();
  const staticDir = join(work, "static");
  await mkdir(staticDir);
  await writeFile(join(staticDir, "index.html"), "<!doctype html><title>explorer</title>");
  server = await startServer({ dir: store, readOnly: true, staticDir, appData: new AppData(join(work, "home")), pollMs: 0 });
  await server.handlers.store.settled(); // the store opens behind the server
});
afterAll(async () => {
  await server?.close();
  await removeDir(work);
});

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function http(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((done, fail) => {
    const req = request({ host: "127.0.0.1", port: server.port, method, path, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let text = "";
      res.setEncoding("utf-8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => done({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", fail);
    req.end(body);
  });
}

const call = async (name: string, arg: unknown) => JSON.parse((await http("POST", `/api/call/${name}`, { "content-type": "application/json", "x-opslog-token": server.token }, JSON.stringify(arg))).body) as { ok: boolean; value?: Record<string, unknown> & { base64?: string }; error?: { code: string; message: string } };
/** Browser mode's download of an export: GET /api/download/export.download, its argument as JSON in `arg` */
const download = (source: unknown, format: string, token = server.token) => http("GET", `/api/download/export.download?token=${token}&arg=${encodeURIComponent(JSON.stringify({ source, format }))}`);

describe("export in browser mode (a server locked read-only)", () => {
  it("refuses the download without the token", async () => {
    const answer = await download({ kind: "records" }, "csv", "x".repeat(32));
    expect(answer.status).toBe(401);
    expect(answer.body).not.toContain("task-");
  });

  it("streams the records as a CSV download that parses back to the published opslog's state", async () => {
    const before = await digestTree(store);
    const answer = await download({ kind: "records", columns: ["title", "status", "estimate"] }, "csv");
    expect(answer.status).toBe(200);
    expect(answer.headers["content-disposition"]).toBe('attachment; filename="records.csv"');
    expect(answer.headers["content-type"]).toMatch(/^text\/csv/);
    const rows = parse(answer.body, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r._id, r.title, r.status, r.estimate]).sort()).toEqual(expected.map(([id, v]) => [id, v.title, v.status, String(v.estimate)]).sort());
    expect(await digestTree(store)).toEqual(before);
  });

  it("a filtered JSONL download holds only the matching records", async () => {
    const answer = await download({ kind: "records", filter: { status: "done" } }, "jsonl");
    const rows = answer.body.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { id: string; data: unknown });
    expect(rows.map((r) => [r.id, r.data]).sort()).toEqual(expected.filter(([, v]) => v.status === "done").sort());
  });

  it("answers a bad source or a bad filter with a JSON error before any byte of a download", async () => {
    const bad = await download({ kind: "nothing" }, "csv");
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: "bad-argument" } });
    const badFilter = await download({ kind: "records", filter: { status: { $nosuch: 1 } } }, "json");
    expect(badFilter.status).toBe(400);
    expect(JSON.parse(badFilter.body)).toMatchObject({ ok: false, error: { code: "bad-filter" } });
  });

  it.each([
    ["a source of no kind", { source: { kind: "nothing" }, format: "csv" }],
    ["a format it does not write", { source: { kind: "ops" }, format: "xlsx" }],
    ["an argument it does not take", { source: { kind: "ops" }, format: "csv", sheet: 1 }],
    ["a filter no engine runs", { source: { kind: "records", filter: { status: { $nosuch: 1 } } }, format: "json" }],
  ])("answers a download with %s as it answers the same call: the same status, code and message", async (_what, arg) => {
    const path = join(work, "never-written.out"); // export.save's own part of the argument: its file (never written: the argument fails first)
    const asCall = await http("POST", "/api/call/export.save", { "content-type": "application/json", "x-opslog-token": server.token }, JSON.stringify({ ...arg, path }));
    const asDownload = await http("GET", `/api/download/export.download?token=${server.token}&arg=${encodeURIComponent(JSON.stringify(arg))}`);
    const call = JSON.parse(asCall.body) as { ok: boolean; error: { code: string; message: string } };
    const download = JSON.parse(asDownload.body) as { ok: boolean; error: { code: string; message: string } };
    expect(download.ok).toBe(false);
    expect(asDownload.status).toBe(asCall.status);
    expect(asDownload.status).toBe(400); // the argument's fault, on both routes
    expect(download.error.code).toBe(call.error.code);
    expect(download.error.message.replace(/^export\.download: /, "")).toBe(call.error.message.replace(/^export\.save: /, ""));
    expect(asDownload.headers["content-type"]).toBe(asCall.headers["content-type"]);
  });

  it("answers a download whose argument is not JSON as it answers a call whose body is not JSON", async () => {
    const asCall = await http("POST", "/api/call/export.save", { "content-type": "application/json", "x-opslog-token": server.token }, "{not json");
    const asDownload = await http("GET", `/api/download/export.download?token=${server.token}&arg=${encodeURIComponent("{not json")}`);
    expect([asDownload.status, JSON.parse(asDownload.body).error.code]).toEqual([asCall.status, JSON.parse(asCall.body).error.code]);
    expect(asDownload.status).toBe(400);
  });

  it("refuses a call on the download route, and a download on the call route, as unknown", async () => {
    const callAsDownload = await http("GET", `/api/download/records.page?token=${server.token}&arg=${encodeURIComponent(JSON.stringify({ offset: 0, limit: 5 }))}`);
    expect([callAsDownload.status, JSON.parse(callAsDownload.body).error.code]).toEqual([404, "unknown-call"]);
    const downloadAsCall = await http("POST", "/api/call/export.download", { "content-type": "application/json", "x-opslog-token": server.token }, JSON.stringify({ source: { kind: "ops" }, format: "csv" }));
    expect([downloadAsCall.status, JSON.parse(downloadAsCall.body).error.code]).toEqual([404, "unknown-call"]);
  });

  it("export.save writes the ops list to a new file, and refuses to overwrite one", async () => {
    const path = join(work, "ops.json");
    const before = await digestTree(store);
    const saved = await call("export.save", { source: { kind: "ops" }, format: "json", path });
    expect(saved).toMatchObject({ ok: true, value: { path, rows: 27 } });
    const ops = JSON.parse(await readFile(path, "utf-8")) as { op: string; id: string }[];
    expect(ops.length).toBe(27); // 20 sets, then 7 more ops (see twentyTasksCompactedThenEdited and beforeAll)
    expect(ops.at(-1)).toMatchObject({ op: "set", id: "task-30" });
    expect(await digestTree(store)).toEqual(before);
    const again = await call("export.save", { source: { kind: "ops" }, format: "json", path });
    expect(again).toMatchObject({ ok: false, error: { code: "bad-argument" } });
    expect(again.error!.message).toMatch(/already exists/);
  });

  it("export.save into a folder that does not exist fails with a clear error and leaves no file", async () => {
    const path = join(work, "no-such-folder", "ops.csv");
    const answer = await call("export.save", { source: { kind: "ops" }, format: "csv", path });
    expect(answer).toMatchObject({ ok: false, error: { code: "io" } });
    expect(answer.error!.message).toMatch(/Not found/);
    expect(await readdir(work)).not.toContain("no-such-folder");
  });

  it("export.save without a path says there is no dialog here", async () => {
    const answer = await call("export.save", { source: { kind: "records" }, format: "csv" });
    expect(answer).toMatchObject({ ok: false, error: { code: "bad-argument" } });
  });

  it("export.store writes the state at a position as a new store the published opslog opens", async () => {
    const dir = join(work, "recovered");
    const answer = await call("export.store", { at: 20, dir });
    expect(answer).toMatchObject({ ok: true, value: { dir, records: 20 } });
    const copy = new Store<Record<string, unknown>>();
    await copy.open(dir, { readOnly: true });
    expect(copy.entries().map(([id]) => id).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `task-${i}`).sort());
    expect(copy.get("task-1")).toEqual({ title: "Task 1", status: "open", estimate: 1 });
    await copy.close();
  });

  it("lists and reads the blobs, and links a record's blob", async () => {
    expect(await call("blobs.list", { offset: 0, limit: 10 })).toMatchObject({ ok: true, value: { total: 1, rows: [{ path: "files/report.txt", bytes: 10 }] } });
    const read = await call("blobs.read", { path: "files/report.txt", offset: 4, length: 100 });
    expect(Buffer.from(read.value!.base64!, "base64").toString()).toBe("report");
    expect(await call("blobs.refs", { id: "task-30" })).toEqual({ ok: true, value: ["files/report.txt"] });
    expect(await call("blobs.read", { path: "manifest.json", offset: 0, length: 10 })).toMatchObject({ ok: false, error: { code: "bad-argument" } });
  });
});

describe("export in the desktop app (the save dialogs, stood in for)", () => {
  it("writes where the save dialog points, offers a name that says what it is, and writes nothing when it is cancelled", async () => {
    const asked: string[] = [];
    let answer: string | null = null;
    const handlers = new Handlers({ appData: new AppData(join(work, "home-dialogs")), pollMs: 0, exportDialogs: { saveFile: async (name) => (asked.push(name), answer), newStoreFolder: async () => answer } });
    await handlers.dispatch("store.open", { dir: store });
    expect(await handlers.dispatch("export.save", { source: { kind: "records", at: 3 }, format: "jsonl" })).toEqual({ ok: true, value: { path: null, rows: 0, bytes: 0, fieldsLeftOut: 0 } });
    expect(asked).toEqual(["records-at-3.jsonl"]);
    expect(await handlers.dispatch("export.store", {})).toEqual({ ok: true, value: { dir: null, records: 0 } });
    answer = join(work, "chosen.jsonl");
    await writeFile(answer, "an older export"); // the dialog asked the user before overwriting
    const saved = await handlers.dispatch("export.save", { source: { kind: "history", id: "task-1" }, format: "jsonl" });
    expect(saved).toMatchObject({ ok: true, value: { path: answer, rows: 2 } });
    const lines = (await readFile(answer, "utf-8")).trim().split("\n").map((l) => JSON.parse(l) as { after: unknown });
    expect(lines.map((l) => l.after)).toEqual([{ title: "Task 1", status: "open", estimate: 1 }, { title: "Task 1", status: "done", estimate: 2 }]);
    await handlers.store.closeSession();
  });
});
