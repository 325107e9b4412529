// Two explorer processes sharing one app data folder (OPSLOG_EXPLORER_HOME),
// each saving queries and opening stores at once, as two servers answering
// many calls would: every save and every open is answered ok and kept, and
// no file is torn, moved aside or left behind.
import { spawn } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppData } from "../appdata.js";
import { removeDir, tempDir } from "./helpers.js";

const root = new URL("../..", import.meta.url).pathname;
const CHILD = join(root, "electron/test/appdata-child.ts");

let work: string;
beforeAll(async () => {
  work = await tempDir("appdata");
});
afterAll(async () => {
  await removeDir(work);
});

function child(home: string, name: string, count: number): Promise<{ saved: number; remembered: number }> {
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, ["--import", "tsx", CHILD, home, name, String(count)], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    proc.stdout.on("data", (c: Buffer) => (out += c.toString()));
    proc.stderr.on("data", (c: Buffer) => (err += c.toString()));
    proc.on("error", fail);
    proc.on("close", (code) => (code === 0 ? done(JSON.parse(out) as { saved: number; remembered: number }) : fail(new Error(`child ${name} exited ${code}: ${err}`))));
  });
}

describe("two explorers sharing app data", () => {
  it("keep every query both save at once and every store both open (queries.json, recent.json), with no file torn or left behind", async () => {
    const home = join(work, "shared-home");
    const [a, b] = await Promise.all([child(home, "a", 40), child(home, "b", 40)]);
    expect(a).toEqual({ saved: 40, remembered: 40 });
    expect(b).toEqual({ saved: 40, remembered: 40 });
    const saved = (await new AppData(home).queries.list("/stores/shared", "records")).saved.map((s) => s.name).sort();
    const expected = [...Array.from({ length: 40 }, (_, i) => `a-${i}`), ...Array.from({ length: 40 }, (_, i) => `b-${i}`)].sort();
    expect(saved).toEqual(expected);
    // recent.json keeps the last 12 opened: all of them are stores these two opened, none twice, and its text parses
    const recent = JSON.parse(await readFile(join(home, "recent.json"), "utf-8")) as { dir: string }[];
    expect(recent).toHaveLength(12);
    expect(new Set(recent.map((r) => r.dir)).size).toBe(12);
    expect((await readdir(home)).sort()).toEqual(["queries.json", "recent.json"]);
  }, 120_000);

  it("keep each other's recent stores: what one opened is still listed after the other opens", async () => {
    const home = join(work, "recent-home");
    const [a, b] = await Promise.all([child(home, "a", 5), child(home, "b", 5)]);
    expect([a.remembered, b.remembered]).toEqual([5, 5]);
    const dirs = (await new AppData(home).recent()).map((r) => r.dir).sort();
    expect(dirs).toEqual([...Array.from({ length: 5 }, (_, i) => `/stores/a-store-${i}`), ...Array.from({ length: 5 }, (_, i) => `/stores/b-store-${i}`)].sort());
  }, 120_000);
});
