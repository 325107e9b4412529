import { appendFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { readWalLines } from "../../src/inspect/walscan.js";
import { tempDir } from "../helpers/tmp.js";

const lines = [
  { ts: "2026-01-01T00:00:00.000Z", op: "set", id: "ä-1", data: { title: "naïve café ☕ — ünïcödé" }, prev: null },
  { ts: "2026-01-01T00:00:01.000Z", op: "set", id: "b", data: { n: 1 }, prev: null },
  { ts: "2026-01-01T00:00:02.000Z", op: "delete", id: "b", prev: { n: 1 } },
  { ts: "2026-01-01T00:00:03.000Z", op: "set", id: "ä-1", data: { title: "x", n: 2 }, prev: { $set: { title: "naïve café ☕ — ünïcödé" }, $unset: ["n"] }, encoding: "delta" },
].map((op) => JSON.stringify(op));

describe("reading WAL lines with positions", () => {
  it("gives each op its 1-based line and byte offset, whatever the chunk size, multi-byte text included", async () => {
    const dir = await tempDir();
    const text = lines[0] + "\n\n" + lines.slice(1).join("\n") + "\n";
    await writeFile(join(dir, "wal.jsonl"), text);
    const whole = await readWalLines(dir, "wal.jsonl", 0);
    expect(whole.ops.map((o) => o.line)).toEqual([1, 3, 4, 5]);
    const starts = [0, Buffer.byteLength(lines[0]) + 2];
    for (const l of lines.slice(1, -1)) starts.push(starts[starts.length - 1] + Buffer.byteLength(l) + 1);
    expect(whole.ops.map((o) => o.offset)).toEqual(starts);
    expect(whole.end).toBe(Buffer.byteLength(text));
    for (const chunkBytes of [1, 7, 64, 1000]) {
      const chunked = await readWalLines(dir, "wal.jsonl", 0, 0, 1, true, chunkBytes);
      expect(chunked, `chunks of ${chunkBytes} bytes`).toEqual(whole);
    }
    expect(whole.ops[3]).toMatchObject({ encoding: "delta", rawPrev: { $set: { title: "naïve café ☕ — ünïcödé" }, $unset: ["n"] } });
  });

  it("tailing from an offset leaves an unterminated last line for later; a final read calls it torn", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "wal.jsonl"), lines[0] + "\n");
    const first = await readWalLines(dir, "wal.jsonl", 0, 0, 1, false);
    await appendFile(join(dir, "wal.jsonl"), lines[1].slice(0, 10));
    const partial = await readWalLines(dir, "wal.jsonl", 0, first.end, first.nextLine, false, 4);
    expect(partial).toEqual({ ops: [], skipped: [], end: first.end, nextLine: 2, unreadable: null });
    const torn = await readWalLines(dir, "wal.jsonl", 0, first.end, first.nextLine, true);
    expect(torn.skipped).toEqual([expect.objectContaining({ line: 2, torn: true })]);
    await appendFile(join(dir, "wal.jsonl"), lines[1].slice(10) + "\n");
    const done = await readWalLines(dir, "wal.jsonl", 0, first.end, first.nextLine, false, 4);
    expect(done.ops.map((o) => [o.id, o.line])).toEqual([["b", 2]]);
  });

  it("explains a line that is JSON but not a valid op", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "wal.jsonl"), '{"ts":"t","op":"upsert","id":"a","prev":null}\n');
    const read = await readWalLines(dir, "wal.jsonl", 0);
    expect(read.skipped[0]).toMatchObject({ line: 1, torn: false });
    expect(read.skipped[0].reason).toContain("op must be");
  });

  it("joins the chunks of a long line once, when its newline arrives, instead of once per chunk", async () => {
    const dir = await tempDir();
    const long = JSON.stringify({ ts: "2026-01-01T00:00:00.000Z", op: "set", id: "long", data: { body: "x".repeat(1024 * 1024) }, prev: null });
    await writeFile(join(dir, "wal.jsonl"), long + "\n" + lines[1] + "\n");
    const concat = vi.spyOn(Buffer, "concat");
    try {
      const read = await readWalLines(dir, "wal.jsonl", 0, 0, 1, true, 1024);
      expect(read.ops.map((o) => [o.id, o.offset])).toEqual([["long", 0], ["b", Buffer.byteLength(long) + 1]]);
      const joined = concat.mock.results.reduce((sum, r) => sum + (r.value as Buffer).length, 0);
      // Once: about the line's size. Once per 1 KB chunk: about 1,000 times that.
      expect(joined).toBeLessThan(2 * Buffer.byteLength(long));
    } finally {
      concat.mockRestore();
    }
  });
});
