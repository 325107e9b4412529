// A WAL line far longer than the scanner's read chunk (20 MB against 64 KB):
// written by the published opslog, read by the inspector with the right op,
// value and byte offsets of the lines after it (the expectation comes from
// splitting the raw WAL bytes here, not from the inspector).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Store as Published } from "@backloghq/opslog";
import { describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import { readWalLines } from "../../src/inspect/walscan.js";
import { suiteDir } from "./fixtures.js";

const BIG = 20 * 1024 * 1024;

describe("a WAL with one 20 MB line", () => {
  it("is read with its op, its value and the byte offsets of the lines after it", async () => {
    const dir = await suiteDir();
    const store = new Published<Record<string, unknown>>();
    await store.open(dir, { checkpointOnClose: false });
    const big = "x".repeat(BIG) + " café ☕"; // ASCII for 20 MB (the scanner's fast path), then not
    await store.set("before", { n: 1 });
    await store.set("big", { body: big, n: 2 });
    await store.set("after", { n: 3 });
    await store.set("before", { n: 4 });
    await store.close();

    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { activeOps: string };
    const raw = await readFile(join(dir, manifest.activeOps));
    // The expectation: each line's byte offset and parsed op, from the raw bytes.
    const expected: { offset: number; op: { id: string; data: Record<string, unknown> } }[] = [];
    for (let start = 0; start < raw.length; ) {
      const end = raw.indexOf(0x0a, start);
      expected.push({ offset: start, op: JSON.parse(raw.toString("utf-8", start, end)) });
      start = end + 1;
    }
    expect(expected.map((e) => e.op.id)).toEqual(["before", "big", "after", "before"]);

    const scanned = await readWalLines(dir, manifest.activeOps, 0);
    expect(scanned.skipped).toEqual([]);
    expect(scanned.ops.map((o) => [o.id, o.line, o.offset])).toEqual(expected.map((e, i) => [e.op.id, i + 1, e.offset]));
    expect(scanned.ops[1].data).toEqual({ body: big, n: 2 });
    expect(scanned.end).toBe(raw.length);

    const insp = await openInspector(dir);
    try {
      const ops = await insp.ops({ offset: 0, limit: 10 });
      expect(ops.rows.map((o) => [o.id, o.line, o.offset])).toEqual(expected.map((e, i) => [e.op.id, i + 1, e.offset]));
      expect(ops.rows[1].data).toEqual({ body: big, n: 2 });
      expect(await insp.record({ id: "big" })).toEqual({ body: big, n: 2 });
      expect(await insp.record({ id: "after" })).toEqual({ n: 3 });
      expect((await insp.summary()).warnings.filter((w) => w.code === "malformed-line" || w.code === "torn-line")).toEqual([]);
    } finally {
      await insp.close();
    }
  }, 60_000);
});
