// Browser mode over real HTTP: the token, Host and Origin checks, the
// Envelope answers, SSE events and static files with the CSP.
import { request } from "node:http";
import { connect } from "node:net";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppData } from "../appdata.js";
import { startServer } from "../serve.js";
import type { RunningServer } from "../serve.js";
import { twentyTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";
import { digestTree, removeDir, tempDir } from "./helpers.js";

let work: string;
let server: RunningServer;
let store: string;

beforeAll(async () => {
  work = await tempDir("serve");
  store = (await twentyTasksCompactedThenEdited.build(join(work, "store"))).dir;
  const staticDir = join(work, "static");
  await mkdir(staticDir);
  await writeFile(join(staticDir, "index.html"), "<!doctype html><title>explorer</title>");
  server = await startServer({ dir: store, staticDir, appData: new AppData(join(work, "home")), pollMs: 0 });
  await server.handlers.store.settled(); // the store opens behind the server
});
afterAll(async () => {
  await server?.close();
  await removeDir(work);
});

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function http(method: string, path: string, headers: Record<string, string> = {}, body?: string, target: RunningServer = server): Promise<Answer> {
  return new Promise((done, fail) => {
    const req = request({ host: "127.0.0.1", port: target.port, method, path, headers: { host: `127.0.0.1:${target.port}`, ...headers } }, (res) => {
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
    const answer = await call("records", { offset: 0, limit: 5 });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: true, value: { total: 21, offset: 0, limit: 5 } });
  });

  it("says in Server-Timing how long the call took in the explorer and how long its answer took to serialise, so the browser can tell the server's share", async () => {
    const answer = await call("records", { offset: 0, limit: 5 });
    const timing = String(answer.headers["server-timing"]);
    expect(timing).toMatch(/^call;dur=\d+(\.\d+)?, json;dur=\d+(\.\d+)?$/);
  });

  it.each([
    ["no token", {}],
    ["a wrong token", { "x-opslog-token": "x".repeat(32) }],
    ["a token of another length", { "x-opslog-token": "short" }],
  ])("refuses a data call with %s as unauthorized", async (_what, headers) => {
    const answer = await call("records", { offset: 0, limit: 5 }, headers);
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: "unauthorized" } });
  });

  it("refuses an action without the token and leaves the store unchanged", async () => {
    const before = await digestTree(store);
    expect((await call("actions.compact", {}, {})).status).toBe(401);
    expect(await digestTree(store)).toEqual(before);
  });

  it.each([["evil.example:80"], ["127.0.0.1:1"], ["attacker.localhost"]])("refuses a foreign Host %s", async (host) => {
    const answer = await call("records", { offset: 0, limit: 5 }, { "x-opslog-token": server.token, host });
    expect(answer.status).toBe(403);
  });

  it("accepts localhost:<port> as Host", async () => {
    expect((await call("store.summary", {}, { "x-opslog-token": server.token, host: `localhost:${server.port}` })).status).toBe(200);
  });

  it("refuses a foreign Origin even with the token", async () => {
    const answer = await call("records", { offset: 0, limit: 5 }, { "x-opslog-token": server.token, origin: "http://evil.example" });
    expect(answer.status).toBe(403);
    expect((await call("store.summary", {}, { "x-opslog-token": server.token, origin: `http://127.0.0.1:${server.port}` })).status).toBe(200);
  });

  it("answers a body that is not JSON with bad-argument", async () => {
    const answer = await http("POST", "/api/call/records", { "x-opslog-token": server.token }, "{not json");
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: "bad-argument" } });
  });

  it("answers a filter nested 10,000 levels deep with bad-filter naming the limit, not an internal error", async () => {
    const deep = '{"$and":['.repeat(5000) + '{"status":"open"}' + "]}".repeat(5000); // JSON.stringify could not even write it
    const answer = await http("POST", "/api/call/records", { "x-opslog-token": server.token, "content-type": "application/json" }, `{"offset":0,"limit":5,"filter":${deep}}`);
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

/** A POST whose body is `size` bytes of a JSON string, sent in 1 MB chunks (chunked: no content-length to check up front). */
function postLarge(size: number, chunked: boolean): Promise<Answer> {
  return new Promise((done, fail) => {
    const headers: Record<string, string> = { host: `127.0.0.1:${server.port}`, "x-opslog-token": server.token, "content-type": "application/json" };
    if (!chunked) headers["content-length"] = String(size);
    const req = request({ host: "127.0.0.1", port: server.port, method: "POST", path: "/api/call/records", headers }, (res) => {
      let text = "";
      res.setEncoding("utf-8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => done({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", fail);
    const chunk = Buffer.alloc(1024 * 1024, "a");
    for (let sent = 0; sent < size; sent += chunk.length) req.write(chunk.subarray(0, Math.min(chunk.length, size - sent)));
    req.end();
  });
}

describe("browser mode's refusals", () => {
  it.each([["with a content-length", false], ["chunked", true]])("answers a 50 MB body (%s) with 413, naming the 16 MB limit, and keeps answering", async (_how, chunked) => {
    const answer = await postLarge(50 * 1024 * 1024, chunked);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: "bad-argument", message: expect.stringContaining("limit of 16 MB") } });
    expect((await call("store.summary", {})).status).toBe(200);
  }, 30_000);

  it.each([["/%"], ["/%zz"], ["/assets/%E0%A4%A"]])("answers the malformed URL %s with 400, not a 500", async (path) => {
    const answer = await http("GET", path);
    expect(answer.status).toBe(400);
    expect(answer.body).not.toMatch(/URI malformed|Something went wrong/);
  });
});

/** A request written by hand, for targets no HTTP client would send. */
function rawRequest(target: string): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const socket = connect(server.port, "127.0.0.1", () => socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`));
    let text = "";
    socket.setEncoding("utf-8");
    socket.on("data", (chunk: string) => (text += chunk));
    socket.on("close", () => done({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1]), body: text.slice(text.indexOf("\r\n\r\n") + 4) }));
    socket.on("error", fail);
  });
}

describe("browser mode's refusals of odd request targets", () => {
  it.each([["http://["], ["//"]])("answers the request target %s, which is no URL, with 400", async (target) => {
    const answer = await rawRequest(target);
    expect(answer.status).toBe(400);
    expect(answer.body).not.toMatch(/Invalid URL|Something went wrong/);
  });
});

describe("browser mode without a built renderer", () => {
  let bare: RunningServer;
  let emptyStatic: string;
  beforeAll(async () => {
    emptyStatic = join(work, "not-built");
    await mkdir(emptyStatic);
    bare = await startServer({ dir: store, staticDir: emptyStatic, appData: new AppData(join(work, "home")), pollMs: 0 });
    await bare.handlers.store.settled(); // the store opens behind the server
  });
  afterAll(async () => {
    await bare?.close();
  });

  it("says the page is not built, without the install path", async () => {
    const answer = await http("GET", "/", {}, undefined, bare);
    expect(answer.status).toBe(404);
    expect(answer.body).toMatch(/not built.*npm run build/);
    expect(answer.body).not.toContain(work);
    expect(answer.body).not.toContain("index.html");
  });
});

describe("a server started with --read-only", () => {
  let locked: RunningServer;
  let dir: string;
  beforeAll(async () => {
    dir = (await twentyTasksCompactedThenEdited.build(join(work, "locked-store"))).dir;
    locked = await startServer({ dir, readOnly: true, staticDir: join(work, "static"), appData: new AppData(join(work, "home")), pollMs: 0 });
    await locked.handlers.store.settled(); // the store opens behind the server
  });
  afterAll(async () => {
    await locked?.close();
  });

  const lockedCall = async (name: string, arg: unknown) => {
    const answer = await http("POST", `/api/call/${name}`, { "x-opslog-token": locked.token, "content-type": "application/json" }, JSON.stringify(arg), locked);
    return JSON.parse(answer.body) as { ok: boolean; value?: { session: { mode: string; lockedReadOnly: boolean } }; error?: { code: string; message: string } };
  };

  it("tells the client it is locked read-only in the summary", async () => {
    expect((await lockedCall("store.summary", {})).value?.session).toMatchObject({ mode: "read-only", lockedReadOnly: true });
  });

  it("refuses every writable open and every write call, whatever the client asks, and leaves every byte of the store unchanged", async () => {
    const before = await digestTree(dir);
    const attempts: [string, unknown][] = [
      ["store.open", { dir, mode: "writer" }],
      ["store.open", { dir, mode: "agent", agentId: "intruder", confirmAgentOnSingleWriter: true }],
      ["actions.set", { id: "x", value: { a: 1 } }],
      ["actions.delete", { id: "task-1" }],
      ["actions.undo", {}],
      ["actions.compact", {}],
      ["actions.archive", { filter: { status: "done" } }],
      ["actions.revert", { pos: 0 }],
      ["actions.reapply", { writes: [{ file: "ops/agent-a-1.jsonl", line: 1 }], seen: [{ id: "x", laterOps: 0, now: "0" }] }],
    ];
    for (const [name, arg] of attempts) {
      const answer = await lockedCall(name, arg);
      expect(answer.ok, name).toBe(false);
      expect(answer.error, name).toMatchObject({ code: "read-only", message: expect.stringContaining("started with --read-only") });
    }
    expect((await lockedCall("store.summary", {})).value?.session).toMatchObject({ mode: "read-only", lockedReadOnly: true });
    expect(await digestTree(dir)).toEqual(before);
  });

  it("still opens stores read-only", async () => {
    expect((await lockedCall("store.open", { dir, mode: "read-only" })).value?.session).toMatchObject({ mode: "read-only", lockedReadOnly: true });
    expect((await lockedCall("store.open", { dir })).ok).toBe(true);
  });
});

it("a server started without --read-only lets a client switch to writer mode (the user's choice in the UI)", async () => {
  const answer = JSON.parse((await call("store.open", { dir: store, mode: "writer" })).body);
  expect(answer).toMatchObject({ ok: true, value: { session: { mode: "writer", lockedReadOnly: false } } });
  expect(JSON.parse((await call("store.open", { dir: store })).body)).toMatchObject({ ok: true, value: { session: { mode: "read-only" } } });
});
