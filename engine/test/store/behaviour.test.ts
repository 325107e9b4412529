import { appendFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Store, OpslogError } from "../../src/index.js";
import { hashTree, sortedEntries, tempDir } from "../helpers/tmp.js";

type Doc = Record<string, unknown>;

async function filled(dir: string, n = 3, opts = {}): Promise<Store<Doc>> {
  const store = new Store<Doc>();
  await store.open(dir, { checkpointOnClose: false, ...opts });
  for (let i = 0; i < n; i++) await store.set(`r${i}`, { n: i });
  return store;
}

async function activeWal(dir: string): Promise<string> {
  return join(dir, JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")).activeOps);
}

describe("Store: reads and writes", () => {
  it("get, set, delete, has, all, entries, filter, count behave as opslog 0.3.0", async () => {
    const dir = await tempDir();
    const store = await filled(dir, 4);
    await store.delete("r1");
    expect(store.get("r0")).toEqual({ n: 0 });
    expect(store.has("r1")).toBe(false);
    expect(store.all()).toHaveLength(3);
    expect(sortedEntries(store.entries()).map(([id]) => id)).toEqual(["r0", "r2", "r3"]);
    expect(store.filter((v) => (v.n as number) > 1)).toHaveLength(2);
    expect(store.count()).toBe(3);
    expect(store.count((v) => v.n === 3)).toBe(1);
    await expect(Promise.resolve().then(() => store.delete("nope"))).rejects.toThrow(/not found/);
    await store.close();
  });

  it("state survives a reopen, through the WAL and through a compaction", async () => {
    const dir = await tempDir();
    const store = await filled(dir, 5);
    await store.compact();
    await store.set("late", { x: 1 });
    await store.close();
    const again = new Store<Doc>();
    await again.open(dir, { readOnly: true });
    expect(again.count()).toBe(6);
    expect(again.get("late")).toEqual({ x: 1 });
  });

  it("batch appends once and rolls memory back when the function throws", async () => {
    const dir = await tempDir();
    const store = await filled(dir, 1);
    await store.batch(() => {
      store.set("a", { v: 1 });
      store.set("b", { v: 2 });
    });
    expect((await readFile(await activeWal(dir), "utf-8")).trim().split("\n")).toHaveLength(3);
    await expect(store.batch(() => {
      store.set("c", { v: 3 });
      store.set("a", { v: 9 });
      throw new Error("boom");
    })).rejects.toThrow("boom");
    expect(store.has("c")).toBe(false);
    expect(store.get("a")).toEqual({ v: 1 });
    await store.close();
  });

  it("undo truncates the last WAL line and restores the previous value, in memory and on disk", async () => {
    const dir = await tempDir();
    const store = await filled(dir, 2);
    await store.set("r0", { n: 100 });
    expect(await store.undo()).toBe(true);
    expect(store.get("r0")).toEqual({ n: 0 });
    expect((await readFile(await activeWal(dir), "utf-8")).trim().split("\n")).toHaveLength(2);
    await store.close();
    const again = new Store<Doc>();
    await again.open(dir, { readOnly: true });
    expect(again.get("r0")).toEqual({ n: 0 });
  });

  it("getHistory and getOps list the active WAL's ops", async () => {
    const dir = await tempDir();
    const store = await filled(dir, 2);
    await store.set("r0", { n: 5 });
    expect(store.getHistory("r0").map((op) => op.data)).toEqual([{ n: 0 }, { n: 5 }]);
    expect(store.getOps()).toHaveLength(3);
    expect(store.getOps("9999")).toHaveLength(0);
    await store.close();
  });

  it("migrate upgrades records of an older schema version on open", async () => {
    const dir = await tempDir();
    await (await filled(dir, 2)).close();
    const store = new Store<Doc>();
    await store.open(dir, { version: 2, migrate: (r) => ({ ...(r as Doc), migrated: true }), checkpointOnClose: false });
    // WAL ops replay after the snapshot migration, as in opslog 0.3.0: only snapshot records are migrated.
    await store.compact();
    await store.close();
    const again = new Store<Doc>();
    await again.open(dir, { version: 3, migrate: (r, from) => ({ ...(r as Doc), from }), readOnly: true });
    expect(again.get("r0")).toMatchObject({ from: 2 });
  });

  it("archive moves matching records to a segment that loadArchive reads back", async () => {
    const dir = await tempDir();
    const store = await filled(dir, 4);
    expect(await store.archive((v) => (v.n as number) < 2, "2026-Q1")).toBe(2);
    expect(store.count()).toBe(2);
    expect(store.listArchiveSegments()).toEqual(["archive/archive-2026-Q1.json"]);
    expect([...(await store.loadArchive("2026-Q1")).keys()].sort()).toEqual(["r0", "r1"]);
    await store.close();
  });
});

describe("Store: bad input is reported, never fatal", () => {
  it("a torn last line and malformed lines are skipped and reported with file, line and reason", async () => {
    const dir = await tempDir();
    await (await filled(dir, 2)).close();
    const wal = await activeWal(dir);
    await appendFile(wal, "this is not json\n" + JSON.stringify({ ts: "x", op: "set", id: "", data: {}, prev: null }) + "\n" + '{"ts":"2026-01-01","op":"se');
    const reported: string[] = [];
    const store = new Store<Doc>();
    await store.open(dir, { readOnly: true, onSkippedLine: (s) => reported.push(`${s.line}:${s.reason}`) });
    expect(store.count()).toBe(2);
    expect(store.warnings().map((w) => w.line)).toEqual([3, 4, 5]);
    expect(store.warnings()[0].file).toContain("ops/");
    expect(reported[1]).toMatch(/id must be a non-empty string/);
  });

  it("a missing snapshot fails with an error naming the file", async () => {
    const dir = await tempDir();
    await (await filled(dir, 1)).close();
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8"));
    await rm(join(dir, manifest.currentSnapshot));
    const store = new Store<Doc>();
    await expect(store.open(dir, { readOnly: true })).rejects.toThrow(manifest.currentSnapshot);
  });

  it("an invalid manifest fails with an error saying what is wrong", async () => {
    const dir = await tempDir();
    await (await filled(dir, 1)).close();
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8"));
    await writeFile(join(dir, "manifest.json"), JSON.stringify({ ...manifest, archiveSegments: "nope" }));
    await expect(new Store().open(dir, { readOnly: true })).rejects.toThrow(/archiveSegments must be an array/);
    await writeFile(join(dir, "manifest.json"), "{ not json");
    await expect(new Store().open(dir, { readOnly: true })).rejects.toThrow(/not valid JSON/);
  });

  it("a lock held by a live process fails with an error naming its pid; a stale lock is taken over", async () => {
    const dir = await tempDir();
    await (await filled(dir, 1)).close();
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
    try {
      await writeFile(join(dir, ".lock"), String(holder.pid));
      const err = await new Store().open(dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpslogError);
      expect((err as OpslogError).code).toBe("locked");
      expect((err as Error).message).toContain(String(holder.pid));
    } finally {
      holder.kill();
    }
    await writeFile(join(dir, ".lock"), "999999999");
    const store = new Store<Doc>();
    await store.open(dir);
    expect(await readFile(join(dir, ".lock"), "utf-8")).toBe(String(process.pid));
    await store.close();
  });

  it("read-only rejects every mutation with a clear error", async () => {
    const dir = await tempDir();
    await (await filled(dir, 1)).close();
    const store = new Store<Doc>();
    await store.open(dir, { readOnly: true });
    for (const attempt of <(() => unknown)[]>[() => store.set("a", {}), () => store.delete("r0"), () => store.undo(), () => store.compact(), () => store.archive(() => true), () => store.batch(() => {})]) {
      await expect(Promise.resolve().then(attempt)).rejects.toThrow(/read-only/);
    }
  });
});

describe("Store: 0.3.0's traps, fixed", () => {
  it("opening read-only with an agentId writes nothing (0.3.0 registered the agent in the manifest)", async () => {
    const dir = await tempDir();
    const writer = new Store<Doc>();
    await writer.open(dir, { agentId: "alice", checkpointOnClose: false });
    await writer.set("a", { v: 1 });
    await writer.close();
    const before = await hashTree(dir);
    const reader = new Store<Doc>();
    await reader.open(dir, { readOnly: true, agentId: "bob" });
    expect(reader.get("a")).toEqual({ v: 1 });
    await reader.tail();
    await reader.refresh();
    await reader.close();
    expect(await hashTree(dir)).toEqual(before);
  });

  it("reads delta-encoded prev and undoes a delta op to the full previous record", async () => {
    const dir = await tempDir();
    const store = await filled(dir, 1);
    await store.close();
    const wal = await activeWal(dir);
    const op = { ts: new Date().toISOString(), op: "set", id: "r0", data: { n: 1, extra: true }, prev: { $set: { n: 0 }, $unset: ["extra"] }, encoding: "delta" };
    await appendFile(wal, JSON.stringify(op) + "\n");
    const again = new Store<Doc>();
    await again.open(dir, { checkpointOnClose: false });
    expect(again.get("r0")).toEqual({ n: 1, extra: true });
    await again.undo();
    expect(again.get("r0")).toEqual({ n: 0 });
    await again.close();
  });

  it("reads JSONL and pretty-printed JSON snapshots", async () => {
    for (const text of [
      JSON.stringify({ version: 1, timestamp: "2026-01-01T00:00:00.000Z" }) + "\n" + JSON.stringify({ id: "a", data: { v: 1 } }) + "\n",
      JSON.stringify({ version: 1, timestamp: "2026-01-01T00:00:00.000Z", records: { a: { v: 1 } } }, null, 2),
    ]) {
      const dir = await tempDir();
      await mkdir(join(dir, "snapshots"), { recursive: true });
      await mkdir(join(dir, "ops"), { recursive: true });
      await writeFile(join(dir, "snapshots/snap-1.jsonl"), text);
      await writeFile(join(dir, "ops/ops-2.jsonl"), "");
      await writeFile(join(dir, "manifest.json"), JSON.stringify({ version: 1, currentSnapshot: "snapshots/snap-1.jsonl", activeOps: "ops/ops-2.jsonl", archiveSegments: [], stats: { activeRecords: 1, archivedRecords: 0, opsCount: 0, created: "x", lastCheckpoint: "x" } }));
      const store = new Store<Doc>();
      await store.open(dir, { readOnly: true });
      expect(store.get("a")).toEqual({ v: 1 });
    }
  });
});

describe("Store: tail and multi-writer", () => {
  it("tail picks up ops another process appended, without reopening, leaving a partial line for later", async () => {
    const dir = await tempDir();
    const writer = await filled(dir, 1);
    const reader = new Store<Doc>();
    await reader.open(dir, { readOnly: true });
    await writer.set("b", { v: 2 });
    const wal = await activeWal(dir);
    await appendFile(wal, '{"ts":"2026-01-01T00:00:00.000Z","op":"set","id":"c","data":{},"pr');
    expect((await reader.tail()).map((op) => op.id)).toEqual(["b"]);
    expect(reader.get("b")).toEqual({ v: 2 });
    await appendFile(wal, 'ev":null}\n');
    expect((await reader.tail()).map((op) => op.id)).toEqual(["c"]);
    expect(reader.warnings()).toEqual([]);
    await writer.compact();
    await writer.set("d", { v: 4 });
    await reader.tail();
    expect(reader.get("d")).toEqual({ v: 4 });
    // "c" was never in the writer's memory, so its compaction dropped it: the reader follows the new snapshot.
    expect(reader.has("c")).toBe(false);
    expect(reader.count()).toBe(3);
    await writer.close();
  });

  it("multi-writer: last writer wins by (clock, agent); undo removes only the caller's own last op", async () => {
    const dir = await tempDir();
    const a = new Store<Doc>();
    const b = new Store<Doc>();
    await a.open(dir, { agentId: "alice", checkpointOnClose: false });
    await b.open(dir, { agentId: "bob", checkpointOnClose: false });
    await a.set("k", { from: "alice" });
    await b.set("k", { from: "bob" });
    await a.set("mine", { v: 1 });
    await a.refresh();
    expect(a.get("k")).toEqual({ from: "bob" });
    expect(await b.undo()).toBe(true);
    expect(b.get("k")).toEqual({ from: "alice" });
    expect(b.get("mine")).toEqual({ v: 1 });
    await a.close();
    await b.close();
  });

  it("multi-writer compaction under a held compaction lock: compact() skips, compactOrThrow() names the holder", async () => {
    const dir = await tempDir();
    const a = new Store<Doc>();
    await a.open(dir, { agentId: "alice", checkpointOnClose: false });
    await a.set("k", { v: 1 });
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
    try {
      await writeFile(join(dir, ".compact-lock"), String(holder.pid));
      const before = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")).currentSnapshot;
      await a.compact();
      expect(JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")).currentSnapshot).toBe(before);
      await expect(a.compactOrThrow()).rejects.toThrow(String(holder.pid));
    } finally {
      holder.kill();
    }
    await a.close();
  });
});
