// Ending the explorer by a signal never leaves a store locked. `node
// build/start.mjs <store> --writer` runs as a user starts it (here without
// the Electron binary, so in browser mode): SIGTERM and SIGHUP to that
// process close the store (its .lock is gone) and end the server, also while
// the store is still opening; the desktop path passes the same signals on to
// Electron (a stand-in binary records them); and the desktop app's own quit
// waits for its stores to close before it exits.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { twentyTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";
import { closeStoresBeforeQuit, ENDING_SIGNALS, stopOnSignals } from "../shutdown.js";
import { removeDir, tempDir } from "./helpers.js";

const root = new URL("../..", import.meta.url).pathname;
let work: string;
beforeAll(async () => {
  work = await tempDir("signals");
});
afterAll(async () => {
  await removeDir(work);
});

/** Wait for a condition (polled), failing with `what` after the deadline. */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Started { proc: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<number | null> }

function start(args: string[], env: Record<string, string> = {}): Started {
  const proc = spawn(process.execPath, ["build/start.mjs", ...args], { cwd: root, env: { ...process.env, OPSLOG_EXPLORER_HOME: join(work, "home"), ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  proc.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  proc.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((done) => proc.on("exit", (code) => done(code)));
  return { proc, stdout: () => out, stderr: () => err, exited };
}

/** The browser-mode server's answer to store.summary, or null while it does not answer. */
async function summaryOk(url: string): Promise<boolean> {
  const { origin, searchParams } = new URL(url);
  const res = await fetch(`${origin}/api/call/store.summary`, { method: "POST", headers: { "x-opslog-token": searchParams.get("token")! }, body: "{}" }).catch(() => null);
  return res !== null && ((await res.json()) as { ok: boolean }).ok;
}

describe("npm start (build/start.mjs) in browser mode, writer mode on a store", () => {
  it.each(["SIGTERM", "SIGHUP"] as const)("%s to the process the user started closes the store (.lock released) and ends the server", async (signal) => {
    const store = (await twentyTasksCompactedThenEdited.build(join(work, `store-${signal}`))).dir;
    const app = start([store, "--writer"]);
    await until("ready", () => /ready (\S+)/.test(app.stdout()));
    const url = /ready (\S+)/.exec(app.stdout())![1];
    await until("the store open in writer mode", async () => existsSync(join(store, ".lock")) && (await summaryOk(url)));
    app.proc.kill(signal);
    expect(await app.exited, `stderr: ${app.stderr()}`).toBe(0);
    expect(existsSync(join(store, ".lock"))).toBe(false);
    expect(await summaryOk(url)).toBe(false); // nothing answers there any more
    expect((await fetch(url).catch((err: Error) => err)) instanceof Error).toBe(true);
  }, 180_000);

  it("SIGTERM to npm itself (`npm start -- <store> --writer`, which leaves npm start's own process behind) still closes the store and ends the server", async () => {
    const store = (await twentyTasksCompactedThenEdited.build(join(work, "store-npm"))).dir;
    const npm = spawn(process.platform === "win32" ? "npm.cmd" : "npm", ["start", "--", store, "--writer"], { cwd: root, env: { ...process.env, OPSLOG_EXPLORER_HOME: join(work, "home") }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    npm.stdout!.on("data", (c: Buffer) => (out += c.toString()));
    npm.stderr!.resume();
    const exited = new Promise((done) => npm.on("exit", done));
    await until("ready", () => /ready (\S+)/.test(out));
    const url = /ready (\S+)/.exec(out)![1];
    await until("the store open in writer mode", async () => existsSync(join(store, ".lock")) && (await summaryOk(url)));
    npm.kill("SIGTERM");
    await exited;
    await until("the lock released", () => !existsSync(join(store, ".lock")), 60_000);
    await until("the server gone", async () => (await fetch(url).catch((err: Error) => err)) instanceof Error, 60_000);
  }, 180_000);

  it("SIGTERM while the writer store is still opening (locked, not yet open) waits for it and releases the lock", async () => {
    const store = (await twentyTasksCompactedThenEdited.build(join(work, "store-opening"))).dir;
    const hold = join(work, "let-the-open-finish");
    const app = start([store, "--writer"], { OPSLOG_EXPLORER_TEST_HOLD_OPEN: hold });
    await until("the lock taken by the open in flight", () => existsSync(join(store, ".lock")));
    app.proc.kill("SIGTERM");
    await writeFile(hold, ""); // the open may now finish: the explorer must close what it opened, not leave it locked
    expect(await app.exited).toBe(0);
    expect(existsSync(join(store, ".lock"))).toBe(false);
  }, 180_000);
});

describe("npm start (build/start.mjs) with the Electron binary", () => {
  it.each(["SIGTERM", "SIGHUP", "SIGINT"] as const)("passes %s on to the app and exits with it", async (signal) => {
    // A stand-in for Electron's binary (ELECTRON_OVERRIDE_DIST_PATH is Electron's own way to point at one): it says it runs, then records the signal it gets.
    const dist = join(work, `fake-electron-${signal}`);
    const record = join(dist, "received");
    await mkdir(dist, { recursive: true });
    const script = `#!${process.execPath}\nconst fs = require("fs");\nfor (const s of ["SIGTERM", "SIGHUP", "SIGINT"]) process.on(s, () => { fs.writeFileSync(${JSON.stringify(record)}, s); process.exit(0); });\nconsole.log("electron running");\nsetTimeout(() => process.exit(3), 120000); // never outlives a failed test for long\n`;
    await writeFile(join(dist, "electron"), script);
    await chmod(join(dist, "electron"), 0o755);
    const app = start(["--read-only"], { ELECTRON_OVERRIDE_DIST_PATH: dist });
    await until("the stand-in running", () => app.stdout().includes("electron running"));
    app.proc.kill(signal);
    expect(await app.exited).toBe(0);
    expect(await readFile(record, "utf-8")).toBe(signal);
  }, 180_000);
});

describe("the desktop app's quit (shutdown.ts, with stand-ins for Electron's app and process)", () => {
  function fakes() {
    const source = new EventEmitter();
    const exits: number[] = [];
    const app = Object.assign(new EventEmitter(), { exit: (code = 0) => void exits.push(code) });
    return { source, exits, app };
  }

  it("holds a quit until every store is closed, then exits", async () => {
    const { source, exits, app } = fakes();
    let release!: () => void;
    const closed = new Promise<void>((r) => (release = r));
    closeStoresBeforeQuit(app, () => closed, source);
    let prevented = false;
    app.emit("will-quit", { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await Promise.resolve();
    expect(exits).toEqual([]); // not while a store is still closing
    release();
    await until("exit", () => exits.length > 0, 5000);
    expect(exits).toEqual([0]);
  });

  it.each(ENDING_SIGNALS)("on %s, closes every store once, then exits, whatever signals follow", async (signal) => {
    const { source, exits, app } = fakes();
    let closes = 0;
    closeStoresBeforeQuit(app, async () => void closes++, source);
    source.emit(signal);
    source.emit(signal); // the same signal again: a terminal signals the whole process group, and npm start passes it on too
    await until("exit", () => exits.length > 0, 5000);
    expect([closes, exits]).toEqual([1, [0]]);
  });

  it("stops when the parent process's IPC channel closes (npm start killed outright)", async () => {
    const source = new EventEmitter();
    const exits: number[] = [];
    let stopped = 0;
    stopOnSignals(async () => void stopped++, (code) => void exits.push(code), source);
    source.emit("disconnect");
    await until("exit", () => exits.length > 0, 5000);
    expect([stopped, exits]).toEqual([1, [0]]);
  });
});

describe("a close on a signal that fails", () => {
  it("says why before it exits with 1", async () => {
    const source = new EventEmitter();
    const exits: number[] = [];
    const reported: unknown[] = [];
    stopOnSignals(() => Promise.reject(new Error("the .lock could not be removed: EBUSY")), (code) => void exits.push(code), source, (err) => void reported.push(err));
    source.emit("SIGTERM");
    await until("exit", () => exits.length > 0, 5000);
    expect(exits).toEqual([1]);
    expect(reported.map((e) => (e as Error).message)).toEqual(["the .lock could not be removed: EBUSY"]);
  });
});
