// The command line as a user meets it: `npm start` (build/start.mjs) and
// `npm run serve` (electron/serve.ts) run as real child processes, asserting
// their exit code and what they print for a typo, --help and a busy port.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import type { Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { twentyTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";
import { removeDir, tempDir } from "./helpers.js";

const root = new URL("../..", import.meta.url).pathname;
const SERVE = ["npx", "tsx", "electron/serve.ts"];
const START = ["node", "build/start.mjs"];

interface Run { code: number | null; stdout: string; stderr: string }

let work: string;
beforeAll(async () => {
  work = await tempDir("cli");
});
afterAll(async () => {
  await removeDir(work);
});

/** Run a command to its end (a deadline kills it, so a hang fails rather than stalls). */
function run(command: string[], extraArgs: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(command[0], [...command.slice(1), ...extraArgs], { cwd: root, env: { ...process.env, OPSLOG_EXPLORER_HOME: join(work, "home") } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const deadline = setTimeout(() => child.kill("SIGKILL"), 40_000);
    child.on("error", fail);
    child.on("close", (code) => {
      clearTimeout(deadline);
      done({ code, stdout, stderr });
    });
  });
}

describe.each([
  ["npm run serve", SERVE, "npm run serve --"],
  ["npm start", START, "npm start --"],
])("%s", (_name, command, usageLine) => {
  it("refuses a misspelt flag: names it, prints usage, exits 2 and opens nothing", async () => {
    const result = await run(command, [join(work, "no-such-store"), "--writter"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option --writter.");
    expect(result.stderr).toContain(`usage: ${usageLine} [store-dir]`);
    expect(result.stdout).not.toContain("ready");
  }, 60_000);

  it("prints usage with every flag on stdout for --help and exits 0", async () => {
    const result = await run(command, ["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`usage: ${usageLine} [store-dir]`);
    for (const flag of ["--writer", "--agent ID", "--read-only", "--port N", "--help"]) expect(result.stdout).toContain(flag);
    expect(result.stderr).toBe("");
  }, 60_000);
});

describe("npm run serve on a busy port", () => {
  let busy: Server;
  let port: number;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((ok) => busy.listen(0, "127.0.0.1", () => ok()));
    port = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((ok) => busy.close(ok));
  });

  it("says the port is in use and how to choose another, and exits 1", async () => {
    const store = (await twentyTasksCompactedThenEdited.build(join(work, "store"))).dir;
    const result = await run(SERVE, [store, "--port", String(port)]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`opslog explorer could not start: port ${port} is in use: choose another with --port, or leave --port out to pick a free one`);
    expect(result.stdout).toBe("");
  }, 60_000);
});
