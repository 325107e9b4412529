// Where the machine's AWS credentials may go, against a local HTTP server
// that records every request it receives (method, path, the signature's key
// id and session token): a browser-mode caller naming an endpoint nobody at
// the machine chose is refused before one byte is sent, also with
// --read-only; the command line, the desktop app's window and the settings
// file's allow-list may name one; a non-S3 answer's body is never echoed; and
// a server that takes the connection and never answers fails the open within
// its deadlines, after a bounded number of attempts.
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AppData } from "../appdata.js";
import { Handlers } from "../handlers.js";
import { startServer } from "../serve.js";
import type { RunningServer } from "../serve.js";
import { twentyTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";
import { errorOf, removeDir, tempDir } from "./helpers.js";

interface Received { method: string; url: string; keyId: string | null; sessionToken: string | null }

/** A server that records each request and answers it with `answer` (or never, when answer is null). */
async function recorder(answer: ((req: IncomingMessage, res: ServerResponse) => void) | null): Promise<{ server: Server; endpoint: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const auth = req.headers.authorization ?? "";
    received.push({ method: req.method ?? "", url: req.url ?? "", keyId: /Credential=([^/]+)/.exec(auth)?.[1] ?? null, sessionToken: (req.headers["x-amz-security-token"] as string | undefined) ?? null });
    answer?.(req, res);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", () => ok()));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`, received };
}

const SECRET_BODY = "internal admin page: db password hunter2";
const nonS3Answer = (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(500, { "content-type": "text/html" });
  res.end(`<html>${SECRET_BODY}</html>`);
};

let work: string;
let store: string;
const servers: Server[] = [];
const running: RunningServer[] = [];
beforeAll(async () => {
  work = await tempDir("s3-endpoints");
  store = (await twentyTasksCompactedThenEdited.build(join(work, "store"))).dir;
  // The machine's credentials, as the AWS SDK's default chain finds them
  process.env.AWS_ACCESS_KEY_ID = "AKIAMACHINEKEY";
  process.env.AWS_SECRET_ACCESS_KEY = "machine-secret";
  process.env.AWS_SESSION_TOKEN = "machine-session-token";
});
afterEach(async () => {
  for (const s of running.splice(0)) await s.close();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((done) => s.close(done));
  }
});
afterAll(async () => {
  await removeDir(work);
});

async function recording(answer: ((req: IncomingMessage, res: ServerResponse) => void) | null) {
  const r = await recorder(answer);
  servers.push(r.server);
  return r;
}

/** A call to a browser-mode server, as a caller holding the token makes it. */
async function call(server: RunningServer, name: string, arg: unknown): Promise<{ ok: boolean; error?: { code: string; message: string } }> {
  const res = await fetch(`http://127.0.0.1:${server.port}/api/call/${name}`, { method: "POST", headers: { "x-opslog-token": server.token, "content-type": "application/json" }, body: JSON.stringify(arg) });
  return (await res.json()) as { ok: boolean; error?: { code: string; message: string } };
}

async function withSettings(home: string, settings: unknown): Promise<AppData> {
  await mkdir(home, { recursive: true });
  await writeFile(join(home, "settings.json"), JSON.stringify(settings));
  return new AppData(home);
}

const FAST = { connectMs: 2000, idleMs: 300, attempts: 2 };

describe("browser mode: an endpoint nobody at the machine chose", () => {
  it.each([
    ["writable", false],
    ["--read-only", true],
  ])("is refused (%s) before any request: no credentials reach it, and the message says how to allow it", async (_name, readOnly) => {
    const target = await recording(nonS3Answer);
    const home = join(work, `home-refused-${readOnly}`);
    const server = await startServer({ dir: store, staticDir: join(work, "static"), appData: new AppData(home), pollMs: 0, readOnly });
    running.push(server);
    await server.handlers.store.settled();
    const answer = await call(server, "store.open", { dir: `s3://bucket/prefix?endpoint=${target.endpoint}/internal` });
    expect(answer.ok).toBe(false);
    expect(answer.error?.code).toBe("unauthorized");
    expect(answer.error?.message).toContain(`--endpoint ${target.endpoint}/internal`);
    expect(answer.error?.message).toContain(join(home, "settings.json"));
    expect(target.received).toEqual([]);
    // The store it had open is still open
    expect((await call(server, "store.summary", {})).ok).toBe(true);
  });

  it("is used once the settings file allows it, and a non-S3 answer's body is not echoed", async () => {
    const target = await recording(nonS3Answer);
    const appData = await withSettings(join(work, "home-allowed"), { s3Endpoints: [`${target.endpoint}/internal/`] });
    const handlers = new Handlers({ appData, pollMs: 0, s3CacheRoot: join(work, "cache-allowed"), s3Limits: FAST });
    const error = errorOf(await handlers.dispatch("store.open", { dir: `s3://bucket/prefix?endpoint=${target.endpoint}/internal` }));
    expect(target.received.length).toBeGreaterThan(0);
    expect(target.received[0]).toMatchObject({ method: "GET", keyId: "AKIAMACHINEKEY" });
    expect(error.message).toMatch(/HTTP 500/);
    expect(error.message).toMatch(/not an S3 answer/);
    expect(JSON.stringify(error)).not.toContain("hunter2");
    await handlers.store.dispose();
  });

  it("refuses an endpoint the settings file does not list, and AWS itself is not refused by the policy", async () => {
    const target = await recording(nonS3Answer);
    const appData = await withSettings(join(work, "home-other"), { s3Endpoints: ["http://127.0.0.1:1"] });
    const handlers = new Handlers({ appData, pollMs: 0, s3CacheRoot: join(work, "cache-other"), s3Limits: FAST });
    expect(errorOf(await handlers.dispatch("store.open", { dir: `s3://bucket/prefix?endpoint=${target.endpoint}` })).code).toBe("unauthorized");
    expect(target.received).toEqual([]);
    await handlers.store.dispose();
  });

  it("is used when the command line named it: its open and a later open at the same endpoint reach it, another path there does not", async () => {
    const target = await recording(nonS3Answer);
    const handlers = new Handlers({ appData: new AppData(join(work, "home-cli")), pollMs: 0, s3CacheRoot: join(work, "cache-cli"), s3Limits: FAST });
    await expect(handlers.store.openFromCommandLine(`s3://bucket/first?endpoint=${target.endpoint}`)).rejects.toThrow(/HTTP 500/);
    const fromCommandLine = target.received.length;
    expect(fromCommandLine).toBeGreaterThan(0);
    expect(errorOf(await handlers.dispatch("store.open", { dir: `s3://bucket/second?endpoint=${target.endpoint}/` })).message).toMatch(/HTTP 500/);
    expect(target.received.length).toBeGreaterThan(fromCommandLine);
    const before = target.received.length;
    expect(errorOf(await handlers.dispatch("store.open", { dir: `s3://bucket/second?endpoint=${target.endpoint}/internal` })).code).toBe("unauthorized");
    expect(target.received.length).toBe(before);
    await handlers.store.dispose();
  });
});

describe("the desktop app's window", () => {
  it("may name an endpoint (its form is the person at the machine): the open reaches it", async () => {
    const target = await recording(nonS3Answer);
    const handlers = new Handlers({ appData: new AppData(join(work, "home-desktop")), pollMs: 0, s3CacheRoot: join(work, "cache-desktop"), s3Limits: FAST, callersChooseEndpoints: true });
    expect(errorOf(await handlers.dispatch("store.open", { dir: `s3://bucket/prefix?endpoint=${target.endpoint}` })).message).toMatch(/HTTP 500/);
    expect(target.received.length).toBeGreaterThan(0);
    await handlers.store.dispose();
  });
});

describe("an S3 server that takes the connection and never answers", () => {
  it("fails the open with a clear message after the configured attempts, each within its deadline", async () => {
    const target = await recording(null);
    const handlers = new Handlers({ appData: new AppData(join(work, "home-hang")), pollMs: 0, s3CacheRoot: join(work, "cache-hang"), s3Limits: FAST, callersChooseEndpoints: true });
    const started = Date.now();
    const error = errorOf(await handlers.dispatch("store.open", { dir: `s3://bucket/prefix?endpoint=${target.endpoint}` }));
    expect(error.code).toBe("io");
    expect(error.message).toContain(`The S3 server at ${target.endpoint} did not answer`);
    expect(error.message).toContain("2 attempt(s)");
    expect(target.received.map((r) => r.method)).toEqual(["GET", "GET"]); // bounded: the first request (the manifest's GET), tried twice
    expect(Date.now() - started).toBeLessThan(15_000); // two idle deadlines of 0.3 s and the SDK's backoff, not the minutes an unbounded request waits
    expect(valueOfLoading(await handlers.dispatch("store.loading", {}))).toBeNull(); // no longer "listing"
    await handlers.store.dispose();
  }, 30_000);
});

function valueOfLoading(envelope: { ok: boolean; value?: unknown }): unknown {
  expect(envelope.ok).toBe(true);
  return envelope.value;
}
