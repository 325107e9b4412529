// `npm run check` as CI meets it: the store doctor run as a child process on
// the scenario stores (once per exit status; the other cases run the same
// command in process, for time), asserting its exit status (0 healthy, 1 problems, 2
// could not open), that stderr alone carries the reason it could not open,
// that --json prints one document valid against the schema the README
// documents (check-schema.ts) with the findings the scenarios' own facts
// predict, and that it writes nothing: not a byte on disk, not one write
// request to S3.
import { spawn } from "node:child_process";
import { chmod, mkdir, readdir, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { S3Backend } from "@backloghq/opslog-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lostWritesUnseenThenRetired, malformedLines, sixTasksCompactedThenEdited, snapshotEditedByHand, walUnreadable } from "../../engine/test/scenarios/index.js";
import { startS3Server } from "../../engine/test/helpers/s3server.js";
import type { S3TestServer } from "../../engine/test/helpers/s3server.js";
import { writeS3Store } from "../../engine/test/s3/fixtures.js";
import { runCheck } from "../check.js";
import { checkReport } from "../check-schema.js";
import { digestTree, removeDir, tempDir } from "./helpers.js";

const root = new URL("../..", import.meta.url).pathname;
const TSX = join(root, "node_modules/tsx/dist/cli.mjs");

interface Run { code: number | null; stdout: string; stderr: string }

let work: string;
beforeAll(async () => {
  work = await tempDir("check-cli");
  await chmod(work, 0o755); // the unreadable-file test reads the store as another user
  process.env.OPSLOG_EXPLORER_CACHE = join(work, "cache"); // S3 mirrors of the in-process runs: never the user's cache
});
afterAll(async () => {
  await removeDir(work);
});

/** Run the doctor to its end (a deadline kills it, so a hang fails rather than stalls); `as` runs it under other credentials. */
function check(args: string[], as: string[] = []): Promise<Run> {
  const command = [...as, process.execPath, TSX, "electron/check.ts", ...args];
  return new Promise((done, fail) => {
    const child = spawn(command[0], command.slice(1), { cwd: root });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const deadline = setTimeout(() => child.kill("SIGKILL"), 50_000);
    child.on("error", fail);
    child.on("close", (code) => {
      clearTimeout(deadline);
      done({ code, stdout, stderr });
    });
  });
}

/** The same command run in this process (runCheck is all of it but the exit): the cases that need no separate process. */
async function checkInProcess(args: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await runCheck(args, (t) => (stdout += t), (t) => (stderr += t));
  return { code, stdout, stderr };
}

let stores = 0;
const storeDir = () => join(work, `store-${++stores}`);

describe("npm run check on a folder", () => {
  it("exits 0 on a healthy store and says so, writing nothing", async () => {
    const s = await sixTasksCompactedThenEdited.build(storeDir());
    const before = await digestTree(s.dir);
    const run = await check([s.dir]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("HEALTHY: no problems found.");
    expect(run.stdout).toContain("chain      2 links: 1 verified, 0 mismatched, 0 unverifiable, 1 live");
    expect(await digestTree(s.dir)).toEqual(before);
  });

  it("exits 1 on lost writes; --json is one document valid against the schema, counting them by reason", async () => {
    const s = await lostWritesUnseenThenRetired.build(storeDir());
    const run = await check([s.dir, "--json"]);
    expect(run.code).toBe(1);
    const report = checkReport.parse(JSON.parse(run.stdout));
    expect(report).toMatchObject({ store: s.dir, healthy: false });
    expect(report.lostWrites.byReason).toEqual({ "unseen-by-compaction": s.lostWrites.unseenIds.length, "retired-wal": s.lostWrites.afterCompactionIds.length });
  });

  it("exits 1 on a history chain that does not verify, naming the snapshot and the record (in process)", async () => {
    const s = await snapshotEditedByHand.build(storeDir());
    const run = await checkInProcess([s.dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("1 mismatched");
    expect(run.stdout).toContain(`does not give ${s.tampered.snapshot}: 1 record differ (${s.tampered.id})`);
  });

  it("exits 1 on lines opslog skips, with their cause (in process)", async () => {
    const s = await malformedLines.build(storeDir());
    const run = await checkInProcess([s.dir, "--json"]);
    expect(run.code).toBe(1);
    const report = checkReport.parse(JSON.parse(run.stdout));
    expect(report.badLines.shown.map((b) => `${b.file}:${b.line}`)).toEqual(s.badLines.map((l) => `${s.wal}:${l}`));
  });

  const asRoot = process.getuid?.() === 0;
  if (asRoot) console.log("check-cli.test.ts: running the unreadable-file check as user nobody (setpriv): as root, mode 000 does not deny reads");
  it("exits 1 on a WAL it cannot read, naming it and EACCES", async () => {
    const s = await walUnreadable.build(storeDir());
    for (const sub of ["", "ops", "snapshots"]) await chmod(join(s.dir, sub), 0o755);
    expect((await stat(join(s.dir, s.unreadable.file))).mode & 0o777).toBe(0);
    const run = await check([s.dir, "--json"], asRoot ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []);
    expect(run.stdout, `the doctor printed no report; stderr: ${run.stderr}`).not.toBe("");
    expect(run.code).toBe(1);
    const report = checkReport.parse(JSON.parse(run.stdout));
    expect(report.unreadableFiles.map((f) => f.file)).toEqual([s.unreadable.file]);
    expect(report.unreadableFiles[0].message).toContain("EACCES");
  });

  it("as `npm run check`, exits 2 with the reason on stderr alone for a folder that does not exist", async () => {
    const run = await new Promise<Run>((done) => {
      const child = spawn("npm", ["run", "-s", "check", "--", join(work, "no-such-store")], { cwd: root });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("close", (code) => done({ code, stdout, stderr }));
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`opslog check: cannot open ${join(work, "no-such-store")}: `);
    expect(run.stderr).toContain("does not exist or is not a folder");
  });

  it("exits 2 with the reason on stderr for a folder that is not a store, a bad S3 address, a bad flag and no store (in process)", async () => {
    const empty = storeDir();
    await mkdir(empty);
    const cases: [string[], string][] = [
      [[empty], "manifest.json"],
      [["s3://"], "s3://"],
      [[empty, "--jsn"], "Unknown option '--jsn'"],
      [[], "Name the store to check"],
    ];
    for (const [args, reason] of cases) {
      const run = await checkInProcess(args);
      expect({ args, code: run.code, stdout: run.stdout }).toEqual({ args, code: 2, stdout: "" });
      expect(run.stderr).toContain(reason);
    }
    expect(await readdir(empty)).toEqual([]);
  });
});

describe("npm run check on S3", () => {
  let server: S3TestServer;
  beforeAll(async () => {
    server = await startS3Server();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("reports the lost writes and the lock a writer holds (holder and host), sending no write request", async () => {
    const { lostIds } = await writeS3Store(server, "doctor");
    const backend = new S3Backend({ bucket: server.bucket, prefix: "doctor", client: server.client() });
    await backend.acquireCompactionLock();
    await server.flush();
    const from = server.requests.length;
    const run = await check([server.url("doctor"), "--json"]);
    expect(run.code).toBe(1);
    const report = checkReport.parse(JSON.parse(run.stdout));
    expect(report.store).toBe(server.url("doctor"));
    expect(report.lostWrites.shown.filter((w) => w.reason === "retired-wal").map((w) => w.id)).toEqual(lostIds);
    expect(report.locks).toMatchObject([{ file: ".compact-lock", state: "held", pid: process.pid, host: hostname(), holder: `pid-${process.pid} on ${hostname()}` }]);
    await server.flush();
    expect(server.requests.slice(from).filter((r) => !["GET", "HEAD"].includes(r.method) && !r.url.startsWith("/__flush"))).toEqual([]);
  });

  it("exits 2 when the S3 server cannot be reached (in process)", async () => {
    const run = await checkInProcess(["s3://nobody/here?endpoint=http%3A%2F%2F127.0.0.1%3A9&region=us-east-1"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("could not be reached");
  });
});
