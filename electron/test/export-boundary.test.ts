// The store's boundary as a caller holding the browser-mode token meets it,
// in a server started with --read-only, with links made on disk: an export
// through a link to the store (ln -s STORE alias) is refused, as is one into
// another store open in the same process (another window or server); a blob
// link that leads out of the store is neither read nor offered; and
// export.save never replaces a file that appears while it writes.
import { request } from "node:http";
import { mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { FsBackend, Store } from "@backloghq/opslog";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppData } from "../appdata.js";
import { writeExportFile } from "../export.js";
import { Handlers } from "../handlers.js";
import { startServer } from "../serve.js";
import type { RunningServer } from "../serve.js";
import type { InspectorApi } from "../../engine/src/inspect/index.js";
import { sixTasksCompactedThenEdited, twentyTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";
import { digestTree, removeDir, tempDir, valueOf } from "./helpers.js";

let work: string;
let server: RunningServer;
let store: string;
let alias: string;
let secret: string;

beforeAll(async () => {
  work = await tempDir("boundary");
  store = (await twentyTasksCompactedThenEdited.build(join(work, "store"))).dir;
  secret = join(work, "secret.txt");
  await writeFile(secret, "the machine's secret");
  const backend = new FsBackend();
  const writer = new Store<Record<string, unknown>>();
  await writer.open(store, { backend, checkpointOnClose: false });
  await backend.writeBlob("files/report.txt", Buffer.from("the report"));
  await writer.set("task-30", { title: "Task 30", report: "files/report.txt", leak: "files/x.txt" });
  await writer.close();
  await symlink(secret, join(store, "files", "x.txt")); // ln -s /path/secret STORE/files/x.txt
  alias = join(work, "alias");
  await symlink(store, alias); // ln -s STORE /tmp/alias
  const staticDir = join(work, "static");
  await mkdir(staticDir);
  await writeFile(staticDir + "/index.html", "<!doctype html><title>explorer</title>");
  server = await startServer({ dir: store, readOnly: true, staticDir, appData: new AppData(join(work, "home")), pollMs: 0 });
  await server.handlers.store.settled();
});
afterAll(async () => {
  await server?.close();
  await removeDir(work);
});

type Answer = { ok: boolean; value?: unknown; error?: { code: string; message: string } };

function call(name: string, arg: unknown): Promise<Answer> {
  return new Promise((done, fail) => {
    const body = JSON.stringify(arg);
    const req = request({ host: "127.0.0.1", port: server.port, method: "POST", path: `/api/call/${name}`, headers: { host: `127.0.0.1:${server.port}`, "content-type": "application/json", "x-opslog-token": server.token } }, (res) => {
      let text = "";
      res.setEncoding("utf-8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => done(JSON.parse(text) as Answer));
    });
    req.on("error", fail);
    req.end(body);
  });
}

describe("links to and from the store, through the contract (a server started --read-only)", () => {
  it("export.save through a link to the store (alias/dropped.jsonl) is refused, and the store is not touched", async () => {
    const before = await digestTree(store);
    const answer = await call("export.save", { source: { kind: "records" }, format: "jsonl", path: join(alias, "dropped.jsonl") });
    expect(answer).toMatchObject({ ok: false, error: { code: "bad-argument" } });
    expect(answer.error!.message).toContain("through a symbolic link");
    expect(await digestTree(store)).toEqual(before);
  });

  it("export.store through a link into the store (alias/snapshots/nested) is refused, and the store is not touched", async () => {
    const before = await digestTree(store);
    const answer = await call("export.store", { dir: join(alias, "snapshots", "nested") });
    expect(answer).toMatchObject({ ok: false, error: { code: "bad-argument" } });
    expect(await digestTree(store)).toEqual(before);
    expect(await readdir(join(store, "snapshots"))).not.toContain("nested");
  });

  it("blobs.read refuses a link that leads out of the store, and blobs.refs does not offer it", async () => {
    const read = await call("blobs.read", { path: "files/x.txt", offset: 0, length: 100 });
    expect(read).toMatchObject({ ok: false, error: { code: "bad-argument" } });
    expect(JSON.stringify(read)).not.toContain("secret");
    expect(await call("blobs.refs", { id: "task-30" })).toEqual({ ok: true, value: ["files/report.txt"] });
  });
});

describe("another store open in this process (another window)", () => {
  it("refuses an export into it, directly or through a link, while it is open; once it is closed it is a folder like any other", async () => {
    const other = (await sixTasksCompactedThenEdited.build(join(work, "other"))).dir;
    await symlink(other, join(work, "other-alias"));
    const window2 = new Handlers({ appData: new AppData(join(work, "home2")), pollMs: 0 });
    valueOf(await window2.dispatch("store.open", { dir: other }));
    const before = await digestTree(other);
    for (const [name, arg] of [
      ["export.save", { source: { kind: "ops" }, format: "csv", path: join(other, "ops.csv") }],
      ["export.save", { source: { kind: "ops" }, format: "csv", path: join(work, "other-alias", "ops", "ops.csv") }],
      ["export.store", { dir: join(other, "archive", "copy") }],
      ["export.store", { dir: join(work, "other-alias", "copy") }],
    ] as const) {
      const answer = await call(name, arg);
      expect(answer, `${name} ${JSON.stringify(arg)}`).toMatchObject({ ok: false, error: { code: "bad-argument", message: expect.stringContaining("which is open in the explorer") } });
    }
    expect(await digestTree(other)).toEqual(before);
    await window2.store.dispose();
    const after = await call("export.save", { source: { kind: "ops" }, format: "csv", path: join(other, "ops.csv") });
    expect(after).toMatchObject({ ok: true });
  });
});

describe("export.save and a file that appears while it writes", () => {
  it("does not replace it: the other program's file stays, the export fails saying so, and no temporary file is left", async () => {
    const folder = join(work, "race");
    await mkdir(folder);
    const target = join(folder, "ops.jsonl");
    // Another program writes the file just as the export reads its first page.
    const inspector = server.handlers.store.session().inspector;
    const racing = new Proxy(inspector, {
      get(t, prop) {
        if (prop === "ops") {
          return async (arg: Parameters<InspectorApi["ops"]>[0]) => {
            await writeFile(target, "another program's file", { flag: "wx" }).catch(() => undefined);
            return t.ops(arg);
          };
        }
        const value = Reflect.get(t, prop) as unknown;
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(t) : value;
      },
    });
    await expect(writeExportFile(racing, { kind: "ops" }, "jsonl", target)).rejects.toMatchObject({ code: "bad-argument", message: expect.stringContaining("appeared while the export was being written") });
    expect(await readFile(target, "utf-8")).toBe("another program's file");
    expect(await readdir(folder)).toEqual(["ops.jsonl"]);
  });
});
