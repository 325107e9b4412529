/**
 * Browser mode as a child process, as a user starts it:
 * `node --import tsx electron/serve.ts <dir> [--writer | --agent ID | --read-only] --port 0`,
 * or, with OPSLOG_EXPLORER_SERVE_BUNDLE naming the server's bundle (the UI
 * benchmark), that bundle as `npm start` runs it (dist/electron/serve.cjs),
 * with its app data (demo store, recent list) in a folder of the caller's
 * choosing. Resolves once the server prints `ready <url>`. Used by the e2e
 * fixtures and the UI benchmark; free of Playwright so plain tsx can run it.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));

export interface ExplorerOptions {
  writer?: boolean;
  agent?: string;
  /** --read-only: the server refuses every writable open and write */
  readOnly?: boolean;
  /** --yes: confirm agent mode on a single-writer store up front */
  yes?: boolean;
  /** Hold each open, its index built, until this file exists (the server's test hook OPSLOG_EXPLORER_TEST_HOLD_OPEN) */
  holdOpenUntil?: string;
  /** Hold an S3 store's history (its current period shown) until this file exists (OPSLOG_EXPLORER_TEST_HOLD_HISTORY) */
  holdHistoryUntil?: string;
}

export interface RunningExplorer {
  url: string;
  pid: number;
  /** Server stdout/stderr so far: printed when a test fails */
  log(): string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = Number(process.env.OPSLOG_READY_TIMEOUT_MS ?? 30_000);

/** Start `electron/serve.ts <dir>` on a free port; resolves once it prints `ready <url>`. */
export async function startExplorer(dir: string, home: string, options: ExplorerOptions = {}, readyTimeoutMs = READY_TIMEOUT_MS): Promise<RunningExplorer> {
  const bundle = process.env.OPSLOG_EXPLORER_SERVE_BUNDLE;
  const args = [...(bundle ? [bundle] : ["--import", "tsx", "electron/serve.ts"]), dir, "--port", "0"];
  if (options.writer) args.push("--writer");
  if (options.agent) args.push("--agent", options.agent);
  if (options.readOnly) args.push("--read-only");
  if (options.yes) args.push("--yes");
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, OPSLOG_EXPLORER_HOME: home, OPSLOG_EXPLORER_CACHE: process.env.OPSLOG_EXPLORER_CACHE ?? join(home, "cache"), ...(options.holdOpenUntil ? { OPSLOG_EXPLORER_TEST_HOLD_OPEN: options.holdOpenUntil } : {}), ...(options.holdHistoryUntil ? { OPSLOG_EXPLORER_TEST_HOLD_HISTORY: options.holdHistoryUntil } : {}) }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`serve.ts printed no "ready <url>" within ${readyTimeoutMs} ms:\n${output}`)), readyTimeoutMs);
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      output += line + "\n";
      const ready = /^ready (http:\/\/\S+)$/.exec(line);
      if (ready) {
        clearTimeout(timer);
        ok(ready[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`serve.ts exited with code ${code} before it was ready:\n${output}`));
    });
  });
  return { url, pid: child.pid!, log: () => output, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}
