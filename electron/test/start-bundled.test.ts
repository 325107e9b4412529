// `npm start` in browser mode runs the server as the desktop app runs its
// code: the bundle (dist/electron/serve.cjs, build/bundle.mjs), not the
// TypeScript sources compiled under tsx at every start (seconds before the
// first page). Here the Electron binary is pointed at an empty folder, so
// start.mjs takes browser mode whatever is installed; the server's command
// line is read from /proc (Linux, where the suite runs).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { twentyTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";
import { removeDir, tempDir } from "./helpers.js";

const root = new URL("../..", import.meta.url).pathname;
let work: string;
beforeAll(async () => {
  work = await tempDir("start-bundled");
});
afterAll(async () => {
  await removeDir(work);
});

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The command lines of a process's children (Linux /proc). */
async function childCommandLines(pid: number): Promise<string[][]> {
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, "utf-8")).trim().split(/\s+/).filter(Boolean);
  return Promise.all(children.map(async (child) => (await readFile(`/proc/${child}/cmdline`, "utf-8")).split("\0").filter(Boolean)));
}

describe("npm start (build/start.mjs) in browser mode", () => {
  const hasProc = existsSync("/proc/self/task");
  if (!hasProc) console.log("start-bundled.test.ts: skipped, no /proc on this system to read the server's command line from");
  it.runIf(hasProc)("runs the server's bundle (dist/electron/serve.cjs), not electron/serve.ts under tsx, and it answers for the store", async () => {
    const store = (await twentyTasksCompactedThenEdited.build(join(work, "store"))).dir;
    const env = { ...process.env, OPSLOG_EXPLORER_HOME: join(work, "home"), ELECTRON_OVERRIDE_DIST_PATH: join(work, "no-electron") };
    const proc = spawn(process.execPath, ["build/start.mjs", store, "--read-only"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    proc.stdout!.on("data", (c: Buffer) => (out += c.toString()));
    proc.stderr!.on("data", (c: Buffer) => (err += c.toString()));
    const exited = new Promise<void>((done) => proc.on("exit", () => done()));
    try {
      await until(`ready (stderr: ${err})`, () => /ready (\S+)/.test(out));
      const [server, ...others] = await childCommandLines(proc.pid!);
      expect(others).toEqual([]);
      expect(server).toEqual([process.execPath, join(root, "dist/electron/serve.cjs"), store, "--read-only"]);
      const url = new URL(/ready (\S+)/.exec(out)![1]);
      // The store indexes behind `ready`: its summary answers once it is open.
      await until("the store's summary", async () => {
        const res = await fetch(`${url.origin}/api/call/store.summary`, { method: "POST", headers: { "x-opslog-token": url.searchParams.get("token")! }, body: "{}" });
        return ((await res.json()) as { ok: boolean }).ok;
      });
    } finally {
      proc.kill("SIGTERM");
      await exited;
    }
  }, 240_000);
});
