/**
 * Browser mode: the built renderer and the same contract over HTTP, on
 * 127.0.0.1 only. Every data call needs this run's random token; Host and
 * Origin are checked so a rebinding DNS name can't reach the API.
 * Refusals get their own status: 400 for a bad URL, 413 for a body over the
 * limit; no answer names a path on this machine to a caller without the token.
 * Calls (POST /api/call/<name>, the argument as the body) and downloads
 * (GET /api/download/<name>?arg=<the argument as JSON>) pass the same gate
 * (dispatch.ts) and answer an error alike: its Envelope, with one status
 * for its code (statusOf).
 * CLI: `npm run serve -- [store-dir] [--agent ID | --writer] [--read-only] [--port N]`
 * (`npm start` without the Electron binary runs its bundle, dist/electron/serve.cjs)
 * prints exactly one line on stdout once listening: `ready <url>`, while the
 * store it names may still be indexing (the UI shows how far it has come).
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { AppData } from "./appdata.js";
import { parseCommandLine, usage, UsageError } from "./args.js";
import type { ContractErrorCode, Download, Envelope, SessionMode } from "./contract.js";
import { Handlers, toContractError } from "./handlers.js";
import { indexCacheFromEnv } from "../engine/src/inspect/index.js";
import type { IndexCacheOptions } from "../engine/src/inspect/index.js";
import { CONTENT_SECURITY_POLICY } from "./csp.js";
import { pump } from "./export.js";
import { stopOnSignals } from "./shutdown.js";

export interface ServerOptions {
  dir?: string | null;
  mode?: SessionMode;
  agentId?: string;
  port?: number;
  staticDir?: string;
  appData?: AppData;
  pollMs?: number;
  /** --read-only: refuse every writable open and every write call, whatever a client asks */
  readOnly?: boolean;
  /** --yes: agent mode on a single-writer store without asking; otherwise the UI asks */
  yes?: boolean;
  /** Where built indexes are kept between opens (none when absent: tests) */
  indexCache?: IndexCacheOptions | null;
  /** Tests only: each open, its index built, waits for this (see HandlerOptions.holdOpen) */
  holdOpen?: () => Promise<void>;
  /** Tests only: the history behind an S3 store's current-period open waits for this (see HandlerOptions.holdHistory) */
  holdHistory?: () => Promise<void>;
}

export interface RunningServer {
  url: string;
  token: string;
  port: number;
  handlers: Handlers;
  close(): Promise<void>;
}

const MAX_BODY = 16 * 1024 * 1024;

/** A request body over MAX_BODY: answered 413, naming the limit. */
class BodyTooLarge extends Error {}

/** The port asked for with --port is taken by another process. */
export class PortInUse extends Error {
  constructor(readonly port: number) {
    super(`port ${port} is in use: choose another with --port, or leave --port out to pick a free one`);
  }
}
const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".json": "application/json", ".ico": "image/x-icon", ".woff2": "font/woff2" };

/** The CommonJS bundle `npm start` runs (dist/electron/serve.cjs, build/bundle.mjs) has __filename and no import.meta.url; the sources the other way round. */
const THIS_FILE = typeof __filename === "string" ? __filename : fileURLToPath(import.meta.url);
/** dist/renderer: beside the bundle's folder (dist/electron), or up from electron/ in the sources. */
export const DEFAULT_STATIC_DIR = typeof __dirname === "string" ? join(__dirname, "..", "renderer") : fileURLToPath(new URL("../dist/renderer/", import.meta.url));

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const appData = options.appData ?? new AppData();
  const handlers = new Handlers({ appData, pollMs: options.pollMs, lockedReadOnly: options.readOnly, indexCache: options.indexCache, holdOpen: options.holdOpen, holdHistory: options.holdHistory });
  // A store named on the command line opens behind the server: `ready` comes as soon as it listens (handlers.store.settled() waits for the store).
  if (options.dir) await handlers.store.startFromCommandLine(options.dir, options.mode, options.agentId, options.yes);
  else await handlers.store.openDemo();
  const token = randomBytes(24).toString("base64url");
  const staticDir = resolve(options.staticDir ?? DEFAULT_STATIC_DIR);
  let port = 0;
  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (err instanceof BodyTooLarge) return refuseLargeBody(req, res);
      sendJson(res, 500, { ok: false, error: toContractError(err) });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req.headers.host, port) || !originAllowed(req.headers.origin, port)) {
      return sendJson(res, 403, { ok: false, error: { code: "unauthorized", message: "Refused: this server answers only http://127.0.0.1 and http://localhost on its own port." } });
    }
    const base = `http://127.0.0.1:${port}`;
    if (!URL.canParse(req.url ?? "/", base)) return sendJson(res, 400, { ok: false, error: { code: "bad-argument", message: "Bad request: the request target is not a URL." } });
    const url = new URL(req.url ?? "/", base);
    if (url.pathname.startsWith("/api/")) {
      const given = req.headers["x-opslog-token"] ?? url.searchParams.get("token");
      if (typeof given !== "string" || !sameToken(given, token)) {
        return sendJson(res, 401, { ok: false, error: { code: "unauthorized", message: "Missing or wrong token: open the URL that `npm run serve` printed." } });
      }
      if (url.pathname === "/api/events" && req.method === "GET") return streamEvents(req, res, handlers);
      const download = /^\/api\/download\/([\w.]+)$/.exec(url.pathname);
      if (download && req.method === "GET") return sendDownload(res, await handlers.calls.download(download[1], jsonOrJunk(url.searchParams.get("arg") ?? "")));
      const call = /^\/api\/call\/([\w.]+)$/.exec(url.pathname);
      // A newer call with the same x-opslog-supersede key stops this one (it answers "cancelled").
      const supersede = req.headers["x-opslog-supersede"];
      if (call && req.method === "POST") {
        const arg = await readJson(req);
        const started = performance.now();
        const answer = await handlers.dispatch(call[1], arg, { supersede: typeof supersede === "string" ? supersede : undefined });
        return sendEnvelope(res, answer, performance.now() - started);
      }
      return sendJson(res, 404, { ok: false, error: { code: "unknown-call", message: `No API route ${req.method} ${url.pathname}.` } });
    }
    if (req.method !== "GET" && req.method !== "HEAD") return sendJson(res, 405, { ok: false, error: { code: "bad-argument", message: "Only GET for pages." } });
    return serveStatic(res, staticDir, url.pathname);
  }

  try {
    await new Promise<void>((ok, fail) => {
      server.once("error", fail);
      server.listen(options.port ?? 0, "127.0.0.1", () => ok());
    });
  } catch (err) {
    await handlers.store.closeSession();
    throw (err as NodeJS.ErrnoException).code === "EADDRINUSE" ? new PortInUse(options.port ?? 0) : err;
  }
  port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    port,
    handlers,
    async close() {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
      await handlers.store.dispose();
    },
  };
}

function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

function originAllowed(origin: string | undefined, port: number): boolean {
  return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  if (Number(req.headers["content-length"]) > MAX_BODY) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  // Not `for await`: leaving it early destroys the socket, and the 413 with it.
  await new Promise<void>((done, fail) => {
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) return void chunks.push(chunk);
      req.off("data", onData); // refuseLargeBody drains the rest
      chunks.length = 0;
      fail(new BodyTooLarge());
    };
    req.on("data", onData);
    req.on("end", () => done());
    req.on("error", fail);
  });
  return jsonOrJunk(Buffer.concat(chunks).toString("utf-8"));
}

/** A call's argument as sent (a body, a download's `arg`): none is {}; text that is not JSON fails every schema, a bad-argument answer, not a crash. */
function jsonOrJunk(text: string): unknown {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    return Symbol("not JSON");
  }
}

/** 413, naming the limit; the rest of the body is read and dropped so the client gets the answer. */
function refuseLargeBody(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  res.setHeader("connection", "close");
  sendJson(res, 413, { ok: false, error: { code: "bad-argument", message: `The request body is larger than the limit of ${MAX_BODY / 1024 / 1024} MB (${MAX_BODY} bytes); send a smaller argument.` } });
}

/** `callMs`: how long the call took in the explorer, sent as Server-Timing (with the serialising) so the browser's own timing tells the server's share from the rest. */
function sendJson(res: ServerResponse, status: number, body: unknown, callMs?: number): void {
  const started = performance.now();
  const text = JSON.stringify(body);
  const timing = callMs === undefined ? {} : { "server-timing": `call;dur=${callMs.toFixed(1)}, json;dur=${(performance.now() - started).toFixed(1)}` };
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff", ...timing });
  res.end(text);
}

/** The HTTP status of an answer, for calls and downloads alike: the argument's fault 400, refused 403, nothing of that name 404, the explorer's own fault 500, and 409 for the rest (well formed, but the store or the machine says no now). */
export function statusOf(envelope: Envelope<unknown>): number {
  if (envelope.ok) return 200;
  const byCode: Partial<Record<ContractErrorCode, number>> = { "bad-argument": 400, "bad-filter": 400, unauthorized: 403, "unknown-call": 404, "not-found": 404, internal: 500 };
  return byCode[envelope.error.code] ?? 409;
}

function sendEnvelope(res: ServerResponse, envelope: Envelope<unknown>, callMs?: number): void {
  sendJson(res, statusOf(envelope), envelope, callMs);
}

/**
 * A download call's answer: its file, streamed with backpressure, or its
 * error as any call's. An error after the first byte can only cut the
 * download short, which the browser then reports as failed, not complete.
 */
async function sendDownload(res: ServerResponse, answer: Envelope<Download>): Promise<void> {
  if (!answer.ok) return sendEnvelope(res, answer);
  const file = answer.value;
  res.writeHead(200, { "content-type": file.contentType, "content-disposition": `attachment; filename="${file.fileName}"`, "cache-control": "no-store", "x-content-type-options": "nosniff", ...file.headers });
  await pump(file.chunks, res).catch(() => res.destroy());
}

function streamEvents(req: IncomingMessage, res: ServerResponse, handlers: Handlers): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
  res.write(": connected\n\n");
  const off = handlers.store.onChange((event) => res.write(`event: store.changed\ndata: ${JSON.stringify(event)}\n\n`));
  const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
  req.on("close", () => {
    off();
    clearInterval(keepAlive);
  });
}

async function serveStatic(res: ServerResponse, root: string, pathname: string): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname === "/" ? "/index.html" : pathname);
  } catch {
    res.writeHead(400, { "content-type": "text/plain; charset=utf-8" });
    res.end("Bad request: the path is not valid percent-encoding.");
    return;
  }
  const relative = normalize(decoded).replace(/^([/\\])+/, "");
  const path = join(root, relative);
  const info = path.startsWith(root + sep) ? await stat(path).catch(() => null) : null;
  if (!info?.isFile()) {
    const missingBuild = relative === "index.html";
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    // No path in the answer: callers without the token must not learn where the app is installed.
    res.end(missingBuild ? "The explorer's page is not built yet. Run: npm run build" : "Not found");
    return;
  }
  res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream", "content-security-policy": CONTENT_SECURITY_POLICY, "x-content-type-options": "nosniff", "cache-control": "no-cache" });
  createReadStream(path).pipe(res);
}

/**
 * Tests only (e2e): with OPSLOG_EXPLORER_TEST_HOLD_OPEN naming a file, each
 * open, its index built, waits until that file exists, so a test sees the
 * loading state for as long as it needs and then lets the store open; with
 * OPSLOG_EXPLORER_TEST_HOLD_HISTORY, the same for an S3 store's history.
 */
function holdUntilFileExists(path: string | undefined): (() => Promise<void>) | undefined {
  if (!path) return undefined;
  return () => new Promise<void>((done) => {
    const look = () => (existsSync(path) ? done() : void setTimeout(look, 50));
    look();
  });
}

async function main(): Promise<void> {
  const command = "npm run serve --";
  let args;
  try {
    args = parseCommandLine(process.argv.slice(2), command);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(err.message + "\n");
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(usage(command) + "\n");
    process.exit(0);
  }
  try {
    const running = await startServer({ dir: args.dir, mode: args.mode, agentId: args.agentId, port: args.port, readOnly: args.readOnly, yes: args.yes, indexCache: args.noIndexCache ? null : indexCacheFromEnv(), holdOpen: holdUntilFileExists(process.env.OPSLOG_EXPLORER_TEST_HOLD_OPEN), holdHistory: holdUntilFileExists(process.env.OPSLOG_EXPLORER_TEST_HOLD_HISTORY) });
    process.stdout.write(`ready ${running.url}\n`);
    // Any signal that ends the server (and npm start going away) closes the store first: its .lock is released, even while it is still opening.
    stopOnSignals(() => running.close(), (code) => process.exit(code));
  } catch (err) {
    if (err instanceof PortInUse) {
      process.stderr.write(`opslog explorer could not start: ${err.message}\n`);
      process.exit(1);
    }
    const error = toContractError(err);
    process.stderr.write(`opslog explorer could not start: ${error.message}${error.detail ? ` (${error.detail})` : ""}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === THIS_FILE) void main();
