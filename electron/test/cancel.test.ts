// A call superseded by a newer one with the same key stops and answers
// "cancelled"; the newer one answers in full. Through the dispatcher (dispatch.ts) and
// over HTTP (the x-opslog-supersede header), on 200k records written by the
// published opslog, with a filter that must look at every one of them.
import { request } from "node:http";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { writeBigStore } from "../../engine/test/inspect/fixtures.js";
import type { Page, RecordRow } from "../../engine/src/inspect/index.js";
import { AppData } from "../appdata.js";
import type { Envelope } from "../contract.js";
import { Handlers } from "../handlers.js";
import { startServer } from "../serve.js";
import type { RunningServer } from "../serve.js";
import { errorOf, removeDir, tempDir, valueOf } from "./helpers.js";

const RECORDS = 200_000;
const DONE = Math.ceil(RECORDS / 3);
const done = { offset: 0, limit: 5, filter: { status: "done" } };
const open = { offset: 0, limit: 5, filter: { status: "open" } };

let work: string;
let store: string;

beforeAll(async () => {
  work = await tempDir("cancel");
  store = await writeBigStore(join(work, "store"), RECORDS);
}, 120_000);
afterAll(async () => {
  await removeDir(work);
});

describe("superseded calls", () => {
  it("through dispatch: the older call with the key answers cancelled, the newer answers, another key is left alone", async () => {
    const handlers = new Handlers({ appData: new AppData(join(work, "home-dispatch")), pollMs: 0 });
    await handlers.store.open(store);
    const older = handlers.dispatch("records", done, { supersede: "records" });
    const otherKey = handlers.dispatch("records", done, { supersede: "elsewhere" });
    const newer = handlers.dispatch("records", open, { supersede: "records" });
    expect(errorOf(await older).code).toBe("cancelled");
    expect(valueOf<Page<RecordRow>>(await newer).total).toBe(RECORDS - DONE);
    expect(valueOf<Page<RecordRow>>(await otherKey).total).toBe(DONE);
    expect(valueOf<Page<RecordRow>>(await handlers.dispatch("records", done, { supersede: "records" })).total).toBe(DONE);
    await handlers.store.closeSession();
  }, 120_000);

  it("over HTTP: the x-opslog-supersede header supersedes the older request", async () => {
    const staticDir = join(work, "static");
    await mkdir(staticDir, { recursive: true });
    await writeFile(join(staticDir, "index.html"), "<!doctype html><title>explorer</title>");
    const server = await startServer({ dir: store, staticDir, appData: new AppData(join(work, "home-http")), pollMs: 0 });
    await server.handlers.store.settled(); // the store opens behind the server
    try {
      // The newer request is let into dispatch only once the older one is in it: the two arrive in that order on any machine.
      let enter = () => {};
      const entered = new Promise<void>((resolve) => (enter = resolve));
      const dispatch = server.handlers.dispatch.bind(server.handlers);
      let calls = 0;
      vi.spyOn(server.handlers, "dispatch").mockImplementation(async (name, arg, options) => {
        if (calls++ === 0) {
          const answer = dispatch(name, arg, options);
          enter();
          return answer;
        }
        await entered;
        return dispatch(name, arg, options);
      });
      const older = post(server, "records", done, "records");
      await entered;
      const newer = post(server, "records", open, "records");
      expect(errorOf(await older).code).toBe("cancelled");
      expect(valueOf<Page<RecordRow>>(await newer).total).toBe(RECORDS - DONE);
    } finally {
      await server.close();
    }
  }, 120_000);
});

function post(server: RunningServer, name: string, arg: unknown, supersede: string): Promise<Envelope<unknown>> {
  const headers = { host: `127.0.0.1:${server.port}`, "content-type": "application/json", "x-opslog-token": server.token, "x-opslog-supersede": supersede };
  return new Promise((done, fail) => {
    const req = request({ host: "127.0.0.1", port: server.port, method: "POST", path: `/api/call/${name}`, headers }, (res) => {
      let text = "";
      res.setEncoding("utf-8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => done(JSON.parse(text) as Envelope<unknown>));
    });
    req.on("error", fail);
    req.end(JSON.stringify(arg));
  });
}
