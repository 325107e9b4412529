// Browser mode over real HTTP: the token, Host and Origin checks, the
// Envelope answers, SSE events and static files with the CSP.
import { request } from "node:http";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppData } from "../appdata.js";
import { startServer } from "../serve.js";
import type { RunningServer } from "../serve.js";
import { digestTree, removeDir, singleWriterStore, tempDir } from "./helpers.js";

let work: string;
let server: RunningServer;
let store: string;

beforeAll(async () => {
  work = await tempDir("serve");
  store = await singleWriterStore(join(work, "store"));
  const staticDir = join(work, "static");
  await mkdir(staticDir);
  await writeFile(join(staticDir, "index.html"), "<!doctype html><title>explorer</title>");
  server = await startServer({ dir: store, staticDir, appData: new AppData(join(work, "home")), pollMs: 0 });
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

const call = (name: string, arg: unknown, headers: Record<string, string> = { "x-opslog-token": server.token }) =>
  http("POST", `/api/call/${name}`, { "content-type": "application/json", ...headers }, JSON.stringify(arg));

describe("browser mode", () => {
  it("listens on 127.0.0.1 and puts the token in the page URL", () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it("answers a data call with the token as an Envelope", async () => {
    const answer = await call("records.page", { offset: 0, limit: 5 });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: true, value: { total: 21, offset: 0, limit: 5 } });
  });

  it.each([
    ["no token", {}],
    ["a wrong token", { "x-opslog-token": "x".repeat(32) }],
    ["a token of another length", { "x-opslog-token": "short" }],
  ])("refuses a data call with %s as unauthorized", async (_what, headers) => {
    const answer = await call("records.page", { offset: 0, limit: 5 }, headers);
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: "unauthorized" } });
  });

  it("refuses an action without the token and leaves the store unchanged", async () => {
    const before = await digestTree(store);
    expect((await call("actions.compact", {}, {})).status).toBe(401);
    expect(await digestTree(store)).toEqual(before);
  });

  it.each([["evil.example:80"], ["127.0.0.1:1"], ["attacker.localhost"]])("refuses a foreign Host %s", async (host) => {
    const answer = await call("records.page", { offset: 0, limit: 5 }, { "x-opslog-token": server.token, host });
    expect(answer.status).toBe(403);
  });

  it("accepts localhost:<port> as Host", async () => {
    expect((await call("store.summary", {}, { "x-opslog-token": server.token, host: `localhost:${server.port}` })).status).toBe(200);
  });

  it("refuses a foreign Origin even with the token", async () => {
    const answer = await call("records.page", { offset: 0, limit: 5 }, { "x-opslog-token": server.token, origin: "http://evil.example" });
    expect(answer.status).toBe(403);
    expect((await call("store.summary", {}, { "x-opslog-token": server.token, origin: `http://127.0.0.1:${server.port}` })).status).toBe(200);
  });

  it("answers a body that is not JSON with bad-argument", async () => {
    const answer = await http("POST", "/api/call/records.page", { "x-opslog-token": server.token }, "{not json");
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: "bad-argument" } });
  });

  it("answers a filter nested 10,000 levels deep with bad-filter naming the limit, not an internal error", async () => {
    const deep = '{"$and":['.repeat(5000) + '{"status":"open"}' + "]}".repeat(5000); // JSON.stringify could not even write it
    const answer = await http("POST", "/api/call/records.page", { "x-opslog-token": server.token, "content-type": "application/json" }, `{"offset":0,"limit":5,"filter":${deep}}`);
    const body = JSON.parse(answer.body) as { ok: boolean; error: { code: string; message: string } };
    expect(body).toMatchObject({ ok: false, error: { code: "bad-filter" } });
    expect(body.error.message).toContain("the limit of 64 levels");
  });

  it("answers a record value nested 10,000 levels deep with bad-argument naming the limit", async () => {
    const deep = '{"a":'.repeat(10_000) + "1" + "}".repeat(10_000);
    const answer = await http("POST", "/api/call/actions.set", { "x-opslog-token": server.token, "content-type": "application/json" }, `{"id":"deep","value":${deep}}`);
    const body = JSON.parse(answer.body) as { ok: boolean; error: { code: string; message: string } };
    expect(body).toMatchObject({ ok: false, error: { code: "bad-argument" } });
    expect(body.error.message).toContain("the limit of 64 levels");
  });

  it("answers an unknown call with unknown-call", async () => {
    expect(JSON.parse((await call("store.explode", {})).body)).toMatchObject({ ok: false, error: { code: "unknown-call" } });
  });

  it("refuses the event stream without the token", async () => {
    expect((await http("GET", "/api/events")).status).toBe(401);
  });

  it("streams store.changed events to a client with the token", async () => {
    const received = new Promise<string>((done, fail) => {
      const req = request({ host: "127.0.0.1", port: server.port, path: `/api/events?token=${server.token}`, headers: { host: `127.0.0.1:${server.port}` } }, (res) => {
        expect(res.headers["content-type"]).toBe("text/event-stream");
        let text = "";
        res.setEncoding("utf-8");
        res.on("data", (chunk: string) => {
          text += chunk;
          if (text.includes("connected")) void server.handlers.dispatch("store.close", {});
          if (/event: store\.changed\ndata: .*\n\n/.test(text)) {
            req.destroy();
            done(text);
          }
        });
      });
      req.on("error", fail);
      req.end();
    });
    const text = await received;
    expect(text).toMatch(/event: store\.changed\ndata: \{"what":"closed"/);
    await server.handlers.dispatch("store.open", { dir: store });
  }, 15_000);

  it("serves the page with the CSP and no token, and never files outside its folder", async () => {
    const page = await http("GET", "/");
    expect(page.status).toBe(200);
    expect(page.headers["content-security-policy"]).toMatch(/default-src 'self'/);
    expect(page.headers["content-security-policy"]).not.toMatch(/unsafe-eval/);
    expect((await http("GET", "/../store/manifest.json")).status).toBe(404);
    expect((await http("GET", "/%2e%2e/store/manifest.json")).status).toBe(404);
  });
});
