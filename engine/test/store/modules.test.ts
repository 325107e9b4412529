// Unit tests, one describe per engine module: what each file promises on its own.
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyReversePatch, fullPrev } from "../../src/delta.js";
import { LamportClock } from "../../src/clock.js";
import { validateManifest, validateOp } from "../../src/validate.js";
import { appendOp, appendOps, parseWalBuffer, readOps, truncateLastOp } from "../../src/wal.js";
import type { SkippedLine } from "../../src/wal.js";
import { acquireLock, releaseLock } from "../../src/lock.js";
import { createDefaultManifest, readManifest, writeManifest } from "../../src/manifest.js";
import { loadArchiveSegment, writeArchiveSegment } from "../../src/archive.js";
import { readSnapshotFile, writeSnapshot } from "../../src/snapshot.js";
import { OpslogError } from "../../src/errors.js";
import type { Operation } from "../../src/types.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "opslog-modules-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ts = "2026-01-01T00:00:00.000Z";
const setOp = (id: string, data: Record<string, unknown>, prev: Record<string, unknown> | null = null): Operation => ({ ts, op: "set", id, data, prev });

describe("delta", () => {
  it("applyReversePatch restores changed keys and removes added ones", () => {
    expect(applyReversePatch({ a: 2, b: 1, c: 3 }, { $set: { a: 1 }, $unset: ["c"] })).toEqual({ a: 1, b: 1 });
  });
  it("fullPrev resolves full, delta and create encodings", () => {
    expect(fullPrev(setOp("x", { a: 1 }))).toBeNull();
    expect(fullPrev(setOp("x", { a: 2 }, { a: 1 }))).toEqual({ a: 1 });
    expect(fullPrev({ ...setOp("x", { a: 2, n: 1 }, { $set: { a: 1 }, $unset: ["n"] }), encoding: "delta" })).toEqual({ a: 1 });
  });
});

describe("clock", () => {
  it("ticks once per local op and merges ahead of any received clock", () => {
    const clock = new LamportClock(3);
    expect(clock.tick()).toBe(4);
    expect(clock.merge(10)).toBe(11);
    expect(clock.merge(2)).toBe(12);
    expect(clock.current).toBe(12);
  });
});

describe("validate", () => {
  it("accepts every valid op shape and rejects each broken field with a message naming it", () => {
    expect(validateOp({ ts, op: "delete", id: "x", prev: { a: 1 }, agent: "a", clock: 0 }).op).toBe("delete");
    expect(() => validateOp({ ts, op: "set", id: "x", data: null, prev: null })).toThrow(/non-null data/);
    expect(() => validateOp({ ts, op: "delete", id: "x", prev: null })).toThrow(/non-null prev/);
    expect(() => validateOp({ ts, op: "put", id: "x", prev: null })).toThrow(/op must be/);
    expect(() => validateOp({ ts, op: "set", id: "", data: {}, prev: null })).toThrow(/id/);
    expect(() => validateOp({ ts, op: "set", id: "x", data: {}, prev: null, clock: -1 })).toThrow(/clock/);
    expect(() => validateOp({ ts, op: "set", id: "x", data: {}, prev: null, encoding: "zip" })).toThrow(/encoding/);
  });
  it("rejects a manifest with what is wrong", () => {
    const good = createDefaultManifest("snapshots/s.json", "ops/o.jsonl");
    expect(validateManifest(good)).toBe(good);
    expect(() => validateManifest({ ...good, version: 0 })).toThrow(/version/);
    expect(() => validateManifest({ ...good, stats: { ...good.stats, opsCount: -1 } })).toThrow(/stats.opsCount/);
    expect(() => validateManifest({ ...good, activeAgentOps: { a: "" } })).toThrow(/activeAgentOps/);
  });
});

describe("wal", () => {
  it("appends, reads back, and truncates exactly the last line", async () => {
    const path = join(dir, "ops.jsonl");
    await appendOp(path, setOp("a", { v: 1 }));
    await appendOps(path, [setOp("b", { v: 2 }), setOp("c", { v: 3 })]);
    expect((await readOps(path)).map((o) => o.id)).toEqual(["a", "b", "c"]);
    expect(await truncateLastOp(path)).toBe(true);
    expect((await readOps(path)).map((o) => o.id)).toEqual(["a", "b"]);
    expect(await truncateLastOp(path)).toBe(true);
    expect(await truncateLastOp(path)).toBe(true);
    expect(await readFile(path, "utf-8")).toBe("");
    expect(await truncateLastOp(path)).toBe(false);
    expect(await truncateLastOp(join(dir, "missing.jsonl"))).toBe(false);
  });
  it("reports malformed and invalid lines with their 1-based line numbers and keeps the rest", async () => {
    const path = join(dir, "ops.jsonl");
    const good = JSON.stringify(setOp("a", { v: 1 }));
    await writeFile(path, [good, "{oops", JSON.stringify({ ts, op: "set", id: "b", prev: null }), good, '{"ts":"'].join("\n"));
    const skipped: SkippedLine[] = [];
    const ops = await readOps(path, (s) => skipped.push(s));
    expect(ops).toHaveLength(2);
    expect(skipped.map((s) => s.line)).toEqual([2, 3, 5]);
    expect(skipped[0].reason).toMatch(/not JSON/);
    expect(skipped[1].reason).toMatch(/non-null data/);
    expect(skipped[2].reason).toMatch(/torn last line/);
  });
  it("parseWalBuffer leaves a partial last line pending when not final (tailing)", () => {
    const text = JSON.stringify(setOp("a", { v: 1 })) + "\n" + '{"ts":"2026';
    const chunk = parseWalBuffer(Buffer.from(text), "f", 1, false);
    expect(chunk.ops).toHaveLength(1);
    expect(chunk.lines).toBe(1);
    expect(chunk.pending).toBe(Buffer.byteLength('{"ts":"2026'));
    expect(chunk.end).toBe(text.indexOf("\n") + 1);
  });
});

describe("lock", () => {
  it("a second acquire fails naming the live holder's pid; release frees it", async () => {
    const fh = await acquireLock(dir);
    const second = acquireLock(dir);
    await expect(second).rejects.toBeInstanceOf(OpslogError);
    await expect(acquireLock(dir)).rejects.toThrow(String(process.pid));
    // The holder's pid is data on the error, for callers that say whose lock it is without parsing the message.
    await expect(acquireLock(dir)).rejects.toMatchObject({ code: "locked", pid: process.pid, file: join(dir, ".lock") });
    await releaseLock(dir, fh);
    expect(await readdir(dir)).not.toContain(".lock");
    await releaseLock(dir, await acquireLock(dir));
  });
  it("takes over a lock left by a dead process", async () => {
    const child = spawn(process.execPath, ["-e", "0"]);
    const deadPid = await new Promise<number>((resolve) => child.on("exit", () => resolve(child.pid!)));
    await writeFile(join(dir, ".lock"), String(deadPid));
    const fh = await acquireLock(dir);
    expect(await readFile(join(dir, ".lock"), "utf-8")).toBe(String(process.pid));
    await releaseLock(dir, fh);
  });
});

describe("manifest", () => {
  it("writes atomically (no .tmp left) and reads back; a fresh directory reads as null", async () => {
    expect(await readManifest(dir)).toBeNull();
    const manifest = createDefaultManifest("snapshots/s.json", "ops/o.jsonl");
    await writeManifest(dir, manifest);
    expect(await readManifest(dir)).toEqual(manifest);
    expect(await readdir(dir)).toEqual(["manifest.json"]);
  });
  it("a manifest that is not JSON fails with bad-manifest naming the file", async () => {
    await writeFile(join(dir, "manifest.json"), "{");
    await expect(readManifest(dir)).rejects.toMatchObject({ code: "bad-manifest", file: join(dir, "manifest.json") });
  });
});

describe("archive", () => {
  it("archiving the same period again merges into the existing segment", async () => {
    await mkdir(join(dir, "archive"));
    await writeArchiveSegment(dir, "2026-Q1", new Map([["a", { v: 1 }]]));
    const path = await writeArchiveSegment(dir, "2026-Q1", new Map([["b", { v: 2 }]]));
    expect(path).toBe("archive/archive-2026-Q1.json");
    expect(Object.fromEntries(await loadArchiveSegment(dir, path))).toEqual({ a: { v: 1 }, b: { v: 2 } });
  });
});

/** The records JSON.parse finds in a whole snapshot file, or null if it throws. */
function wholeParse(text: string): Map<string, unknown> | null {
  try {
    return new Map(Object.entries((JSON.parse(text) as { records: Record<string, unknown> }).records));
  } catch {
    return null;
  }
}

describe("snapshot", () => {
  it("writes single-object JSON that plain JSON.parse reads, and reads it back", async () => {
    await mkdir(join(dir, "snapshots"));
    const records = new Map<string, unknown>([["a", { v: 1 }], ["b\n\"", { nested: { x: [1, 2] } }]]);
    const rel = await writeSnapshot(dir, records, 2);
    const parsed = JSON.parse(await readFile(join(dir, rel), "utf-8")) as { version: number; records: object };
    expect(parsed.version).toBe(2);
    expect(parsed.records).toEqual(Object.fromEntries(records));
    const read = await readSnapshotFile(join(dir, rel));
    expect(read.format).toBe("json");
    expect(read.records).toEqual(records);
  });
  it("reads pretty-printed JSON and JSONL snapshots, and rejects junk with bad-snapshot naming the file", async () => {
    const records = { a: { v: 1 }, b: { v: 2 } };
    const pretty = join(dir, "pretty.json");
    await writeFile(pretty, JSON.stringify({ version: 1, timestamp: ts, records }, null, 2));
    expect(Object.fromEntries((await readSnapshotFile(pretty)).records)).toEqual(records);
    const jsonl = join(dir, "snap.jsonl");
    const lines = [JSON.stringify({ version: 3, timestamp: ts }), ...Object.entries(records).map(([id, data]) => JSON.stringify({ id, data }))];
    await writeFile(jsonl, lines.join("\n") + "\n");
    const read = await readSnapshotFile(jsonl);
    expect(read).toMatchObject({ version: 3, format: "jsonl" });
    expect(Object.fromEntries(read.records)).toEqual(records);
    const junk = join(dir, "junk.json");
    await writeFile(junk, "{not json");
    await expect(readSnapshotFile(junk)).rejects.toMatchObject({ code: "bad-snapshot", file: junk });
  });

  it("reads its own one-record-a-line form a line at a time exactly as JSON.parse reads the whole file, whatever the ids", async () => {
    await mkdir(join(dir, "snapshots"));
    const id = fc.oneof(fc.string(), fc.constantFrom("__proto__", "constructor", "a\\b", 'q"uote', "tab\there", "\u0000", "é", "😀"));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(id, fc.jsonValue()), { maxLength: 8 }), async (entries) => {
        const records = new Map<string, unknown>(entries);
        const rel = await writeSnapshot(dir, records, 1);
        const text = await readFile(join(dir, rel), "utf-8");
        const whole = JSON.parse(text) as { records: Record<string, unknown> };
        const read = await readSnapshotFile(join(dir, rel));
        expect(read.format).toBe("json");
        expect([...read.records]).toEqual(Object.entries(whole.records));
        // ...which holds what was written (JSON's values: -0 reads back as 0), ids that are array indexes listed first.
        expect(read.records).toEqual(new Map([...records].map(([k, v]) => [k, JSON.parse(JSON.stringify(v)) as unknown])));
      }),
      { numRuns: 150 },
    );
  });

  it("gives the same answer or the same error as JSON.parse when a line-form file is not quite that form", async () => {
    const head = `{"version":1,"timestamp":"${ts}","records":{`;
    const cases: Record<string, string> = {
      "missing comma": `${head}\n"a":{"v":1}\n"b":{"v":2}\n}}\n`,
      "trailing comma": `${head}\n"a":{"v":1},\n}}\n`,
      "no closing line": `${head}\n"a":{"v":1}\n`,
      "text after the end": `${head}\n"a":{"v":1}\n}}\n{}`,
      "two records on a line": `${head}\n"a":1,"b":2\n}}\n`,
      "CRLF": `${head}\r\n"a":{"v":1},\r\n"b":2\r\n}}\r\n`,
      "a value over two lines": `${head}\n"a":{\n"v":1},\n"b":2\n}}\n`,
      "duplicate ids": `${head}\n"a":1,\n"a":2\n}}\n`,
    };
    for (const [name, text] of Object.entries(cases)) {
      const file = join(dir, `${name.replaceAll(" ", "-")}.json`);
      await writeFile(file, text);
      const expected = wholeParse(text);
      if (expected) expect((await readSnapshotFile(file)).records, name).toEqual(expected);
      else await expect(readSnapshotFile(file), name).rejects.toMatchObject({ code: "bad-snapshot", file });
    }
  });
});
