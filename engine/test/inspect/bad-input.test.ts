import { spawn } from "node:child_process";
import { appendFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDemoStore } from "../../src/demo.js";
import { OpslogError } from "../../src/errors.js";
import { openInspector } from "../../src/inspect/index.js";
import { tempDir } from "../helpers/tmp.js";

async function demo(): Promise<{ dir: string; manifest: { currentSnapshot: string; activeOps: string; activeAgentOps: Record<string, string> } }> {
  const dir = await tempDir();
  await buildDemoStore(dir);
  return { dir, manifest: JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) };
}

async function openError(dir: string): Promise<OpslogError> {
  const err = await openInspector(dir).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(OpslogError);
  return err as OpslogError;
}

describe("the inspector on bad input", () => {
  it("a folder that is not a store: not-a-store, naming manifest.json", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "notes.txt"), "hello");
    const err = await openError(dir);
    expect(err.code).toBe("not-a-store");
    expect(err.message).toContain("manifest.json");
  });

  it("a missing folder: not-a-store", async () => {
    expect((await openError(join(await tempDir(), "nope"))).code).toBe("not-a-store");
  });

  it("a half-written store (manifest.json.tmp only): half-written, saying what to check", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "manifest.json.tmp"), "{}");
    const err = await openError(dir);
    expect(err.code).toBe("half-written");
    expect(err.message).toContain("manifest.json.tmp");
  });

  it("a manifest that is not JSON: bad-manifest naming the file", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "manifest.json"), "{ not json");
    const err = await openError(dir);
    expect(err.code).toBe("bad-manifest");
    expect(err.file).toContain("manifest.json");
  });

  it("torn and malformed WAL lines become warnings with file and line; the good ops stay", async () => {
    const { dir, manifest } = await demo();
    const before = (await (await openInspector(dir)).timelineInfo()).total;
    const wal = manifest.activeOps;
    await appendFile(join(dir, wal), 'not json at all\n{"ts":"2026-03-03T00:00:00.000Z","op":"set","id":"x","data":{},"prev":null,"agent":"planner","clock":99999}\n{"ts":"2026-03-03T00:00:01.000Z","op":"se');
    const insp = await openInspector(dir);
    const { warnings } = await insp.summary();
    const lines = (await readFile(join(dir, wal), "utf-8")).split("\n").length;
    expect(warnings).toContainEqual(expect.objectContaining({ code: "malformed-line", file: wal, line: lines - 2 }));
    expect(warnings).toContainEqual(expect.objectContaining({ code: "torn-line", file: wal, line: lines }));
    expect((await insp.timelineInfo()).total).toBe(before + 1);
    expect(await insp.record({ id: "x" })).toEqual({});
  });

  it("a snapshot that does not parse: an unreadable-file warning naming it, not a crash", async () => {
    const { dir, manifest } = await demo();
    await writeFile(join(dir, manifest.currentSnapshot), '{"version":1,"timestamp":"x"}\n{"id":"a","da');
    const { warnings } = await (await openInspector(dir)).summary();
    expect(warnings).toContainEqual(expect.objectContaining({ code: "unreadable-file", file: manifest.currentSnapshot, severity: "error" }));
  });

  it("a WAL named in the manifest but missing: a missing-file warning naming it", async () => {
    const { dir, manifest } = await demo();
    await rm(join(dir, manifest.activeOps));
    const { warnings } = await (await openInspector(dir)).summary();
    expect(warnings).toContainEqual(expect.objectContaining({ code: "missing-file", file: manifest.activeOps }));
  });

  it("a missing old WAL leaves a gap in the chain; the timeline jumps to the next snapshot", async () => {
    const { dir } = await demo();
    const insp = await openInspector(dir);
    const [first] = (await insp.timelineInfo()).links;
    for (const wal of first.wals) await rm(join(dir, wal));
    const info = await (await openInspector(dir)).timelineInfo();
    expect(info.links[0].missing.length).toBeGreaterThan(0);
    expect(info.links[0].endPos).toBe(info.links[0].startPos);
    expect(info.links.at(-1)!.verified).toBe("live");
  });

  it("a live and a stale lock are told apart by whether the pid runs", async () => {
    const { dir } = await demo();
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" }); // live, and not this process (our own pid is the explorer's lock)
    try {
      await writeFile(join(dir, ".lock"), String(holder.pid));
      await writeFile(join(dir, ".compact-lock"), "999999999");
      const s = await (await openInspector(dir)).summary();
      expect(s.locks).toEqual([{ file: ".lock", pid: holder.pid, alive: true }, { file: ".compact-lock", pid: 999999999, alive: false }]);
      expect(s.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(["lock-live", "compact-lock-stale"]));
    } finally {
      holder.kill();
    }
  });

  it("manifest stats that disagree with the files on disk are reported", async () => {
    const { dir } = await demo();
    const raw = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { stats: Record<string, unknown> };
    raw.stats.activeRecords = 999;
    raw.stats.archivedRecords = 0;
    await writeFile(join(dir, "manifest.json"), JSON.stringify(raw));
    const s = await (await openInspector(dir)).summary();
    const mismatches = s.warnings.filter((w) => w.code === "stats-mismatch");
    expect(mismatches.length).toBe(2);
    expect(mismatches.every((w) => w.file === "manifest.json")).toBe(true);
    expect(mismatches[0].message).toContain("999");
  });

  it("a leftover *.tmp is reported", async () => {
    const { dir } = await demo();
    await mkdir(join(dir, "snapshots"), { recursive: true });
    await writeFile(join(dir, "snapshots", "snap-1.jsonl.tmp"), "");
    const s = await (await openInspector(dir)).summary();
    expect(s.warnings).toContainEqual(expect.objectContaining({ code: "leftover-tmp", file: "snapshots/snap-1.jsonl.tmp" }));
  });

  it("a bad filter gives bad-filter, and code operators are refused", async () => {
    const { dir } = await demo();
    const insp = await openInspector(dir);
    for (const filter of [{ status: { $nope: 1 } }, { $where: "this.status === 'x'" }]) {
      const err = await insp.records({ offset: 0, limit: 5, filter }).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(OpslogError);
      expect((err as OpslogError).code).toBe("bad-filter");
    }
    const opsErr = await insp.ops({ offset: 0, limit: 5, filter: { $function: {} } }).then(() => null, (e: unknown) => e);
    expect((opsErr as OpslogError).code).toBe("bad-filter");
  });

  it("a position outside the timeline gives bad-argument", async () => {
    const { dir } = await demo();
    const insp = await openInspector(dir);
    const { total } = await insp.timelineInfo();
    const err = await insp.records({ at: total + 1, offset: 0, limit: 1 }).then(() => null, (e: unknown) => e);
    expect((err as OpslogError).code).toBe("bad-argument");
  });
});
