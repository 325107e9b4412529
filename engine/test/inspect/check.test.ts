// The store doctor (checkStore) on the scenario stores: what it reports is
// what each scenario's own facts say was written or damaged (the raw WAL
// lines, the ids a writer lost, the snapshot edited by hand, the file made
// unreadable), never what the inspector says elsewhere. A store is healthy
// exactly when nothing is wrong; conflicts and a running writer's lock are
// counted, not problems. Reads of the unreadable WAL are denied by injecting
// EACCES (as root, mode 000 does not deny reads; check-cli.test.ts runs the
// real thing as another user).
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { checkStore, openInspector } from "../../src/inspect/index.js";
import type { StoreCheck } from "../../src/inspect/index.js";
import { readS3Locks } from "../../src/s3/locks.js";
import type { S3Objects } from "../../src/s3/objects.js";
import { lostWritesUnseenThenRetired, malformedLines, sixTasksCompactedThenEdited, snapshotEditedByHand, threeAgentsConflictThenLostWrites, tornLastLine, walUnreadable } from "../scenarios/index.js";
import { hashTree } from "../helpers/tmp.js";
import { suiteDir } from "./fixtures.js";

const denied = vi.hoisted(() => new Set<string>());

vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  const guard = <F extends (...args: never[]) => Promise<unknown>>(fn: F, syscall: string) =>
    ((...args: Parameters<F>) => {
      const path = resolve(String(args[0]));
      if (!denied.has(path)) return fn(...args);
      return Promise.reject(Object.assign(new Error(`EACCES: permission denied, ${syscall} '${path}'`), { code: "EACCES", errno: -13, syscall, path }));
    }) as F;
  const wrapped = { ...real, open: guard(real.open, "open"), readFile: guard(real.readFile, "open"), readdir: guard(real.readdir, "scandir") };
  return { ...wrapped, default: wrapped };
});

afterEach(() => denied.clear());

async function check(dir: string): Promise<StoreCheck> {
  const inspector = await openInspector(dir);
  try {
    return await checkStore(inspector);
  } finally {
    await inspector.close();
  }
}

describe("the store doctor", () => {
  it("finds a store written cleanly healthy: every closed link verified, nothing lost, skipped, unreadable or locked, and writes nothing", async () => {
    const s = await sixTasksCompactedThenEdited.build(await suiteDir());
    const before = await hashTree(s.dir);
    const r = await check(s.dir);
    expect(r).toMatchObject({ format: "opslog-explorer/check@1", store: s.dir, healthy: true, problems: [], kind: "single-writer" });
    expect(r.counts).toMatchObject({ records: s.state.length, timelineOps: s.walLines.filter((l) => l.op).length, wals: s.walFiles.length, snapshots: s.snapshots.length });
    expect(r.chain).toMatchObject({ verified: s.snapshots.length - 1, mismatched: 0, unverifiable: 0, live: 1 });
    expect(r.lostWrites).toEqual({ total: 0, byReason: {}, shown: [] });
    expect(r.badLines.total).toBe(0);
    expect(r.unreadableFiles).toEqual([]);
    expect(r.locks).toEqual([]);
    expect(await hashTree(s.dir)).toEqual(before);
  });

  it("counts lost writes by reason: those a compaction dropped unseen, and those appended to a retired WAL, each named", async () => {
    const s = await lostWritesUnseenThenRetired.build(await suiteDir());
    const r = await check(s.dir);
    expect(r.healthy).toBe(false);
    expect(r.problems.map((p) => p.code)).toEqual(["lost-writes"]);
    expect(r.lostWrites.byReason).toEqual({ "unseen-by-compaction": s.lostWrites.unseenIds.length, "retired-wal": s.lostWrites.afterCompactionIds.length });
    const ids = (reason: string) => r.lostWrites.shown.filter((w) => w.reason === reason).map((w) => w.id);
    expect(ids("unseen-by-compaction")).toEqual(s.lostWrites.unseenIds);
    expect(ids("retired-wal")).toEqual(s.lostWrites.afterCompactionIds);
    expect(new Set(r.lostWrites.shown.map((w) => w.agent))).toEqual(new Set([s.lostWrites.agent]));
  });

  it("counts a last-writer-wins conflict without calling it a problem, beside the lost writes", async () => {
    const s = await threeAgentsConflictThenLostWrites.build(await suiteDir());
    const r = await check(s.dir);
    expect(r.conflicts.total).toBe(1);
    expect(r.lostWrites.byReason).toEqual({ "retired-wal": s.lostWrites.ids.length });
    expect(r.problems.map((p) => p.code)).toEqual(["lost-writes"]);
  });

  it("names the link whose replay does not give the snapshot edited by hand, and the record that differs", async () => {
    const s = await snapshotEditedByHand.build(await suiteDir());
    const r = await check(s.dir);
    expect(r.healthy).toBe(false);
    expect(r.chain.mismatched).toBe(1);
    const link = r.chain.links.find((l) => l.verified === "mismatch")!;
    expect(link).toMatchObject({ next: s.tampered.snapshot, mismatchCount: 1, mismatchIds: [s.tampered.id] });
    expect(r.problems.map((p) => p.code)).toEqual(["chain-mismatch"]);
  });

  it("lists the WAL lines opslog skips with their cause: not JSON, not an op", async () => {
    const s = await malformedLines.build(await suiteDir());
    const r = await check(s.dir);
    expect(r.healthy).toBe(false);
    expect(r.badLines).toMatchObject({ total: s.badLines.length, torn: 0, malformed: s.badLines.length });
    expect(r.badLines.shown.map((b) => [b.file, b.line])).toEqual(s.badLines.map((line) => [s.wal, line]));
    expect(r.badLines.shown[0].cause).toContain("not JSON");
    expect(r.badLines.shown[1].cause).toContain('"bogus"');
  });

  it("tells a torn last line (a crash mid-append) from a line that is not an op", async () => {
    const s = await tornLastLine.build(await suiteDir());
    const r = await check(s.dir);
    expect(r.badLines).toMatchObject({ total: 1, torn: 1, malformed: 0 });
    expect(r.badLines.shown[0]).toMatchObject({ file: s.wal, line: s.tornLine, torn: true });
    expect(r.badLines.shown[0].cause).toContain("crash mid-append");
    expect(r.healthy).toBe(false);
  });

  it("reports a WAL that cannot be read as unreadable, with the error and the agent, and unhealthy", async () => {
    const s = await walUnreadable.build(await suiteDir());
    denied.add(resolve(s.dir, s.unreadable.file));
    const r = await check(s.dir);
    expect(r.healthy).toBe(false);
    expect(r.unreadableFiles).toHaveLength(1);
    expect(r.unreadableFiles[0]).toMatchObject({ file: s.unreadable.file, severity: "error" });
    expect(r.unreadableFiles[0].message).toContain("EACCES");
    expect(r.unreadableFiles[0].message).toContain(`agent ${s.unreadable.agent}'s ops`);
    expect(r.badLines.total).toBe(0);
  });
});

describe("the store doctor's locks", () => {
  it("names a lock file's holder: running is held (not a problem), gone is stale (a problem)", async () => {
    const s = await sixTasksCompactedThenEdited.build(await suiteDir());
    const holder = spawn(process.execPath, ["-e", "process.stdin.resume()"], { stdio: ["pipe", "ignore", "ignore"] });
    try {
      await writeFile(join(s.dir, ".lock"), String(holder.pid));
      const held = await check(s.dir);
      expect(held.locks).toEqual([{ file: ".lock", state: "held", pid: holder.pid, host: null, expiresAt: null, holder: `process ${holder.pid} (running)` }]);
      expect(held.healthy).toBe(true);
    } finally {
      holder.stdin!.end();
      await new Promise((done) => holder.once("exit", done));
    }
    const stale = await check(s.dir);
    expect(stale.locks[0]).toMatchObject({ file: ".lock", state: "stale", pid: holder.pid });
    expect(stale.problems.map((p) => p.code)).toEqual(["lock-stale"]);
  });

  it("reads an S3 store's lock objects as opslog-s3 writes them: holder, host, and held until its TTL runs out", async () => {
    const now = Date.parse("2026-12-07T01:00:00.000Z");
    const bodies: Record<string, string> = {
      ".lock": JSON.stringify({ agent: "pid-77", hostname: "ci-runner", pid: 77, timestamp: now - 1000, ttlMs: 30_000 }),
      ".compact-lock": JSON.stringify({ agent: "pid-78", hostname: "ci-runner", pid: 78, timestamp: now - 60_000, ttlMs: 30_000 }),
    };
    const objects = { get: async (key: string) => (key in bodies ? Buffer.from(bodies[key]) : Promise.reject(Object.assign(new Error("gone"), { cause: { name: "NoSuchKey" } }))) } as unknown as S3Objects;
    expect(await readS3Locks(objects, now)).toEqual([
      { file: ".lock", state: "held", pid: 77, host: "ci-runner", expiresAt: "2026-12-07T01:00:29.000Z", holder: "pid-77 on ci-runner" },
      { file: ".compact-lock", state: "stale", pid: 78, host: "ci-runner", expiresAt: "2026-12-07T00:59:30.000Z", holder: "pid-78 on ci-runner" },
    ]);
    delete bodies[".compact-lock"];
    expect((await readS3Locks(objects, now)).map((l) => l.file)).toEqual([".lock"]);
  });
});
