// A WAL's last line, when long, is checked by its fingerprint after the
// build (live.ts markLane), not decoded and parsed a second time on the main
// thread: the scan hashes a long line's bytes as it reads it. The check must
// still see any rewrite of that line between the read and the mark, even one
// that leaves the op's id, kind and time alone. Stores from the published
// opslog; the expected fingerprints are taken from the file's raw bytes.
import { createHash } from "node:crypto";
import { readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Store as Published } from "@backloghq/opslog";
import { describe, expect, it } from "vitest";
import { buildHistory } from "../../src/inspect/build.js";
import { lastIndexed, markLane, regionIntact } from "../../src/inspect/live.js";
import { LINE_HASH_MIN_BYTES, readWalLines } from "../../src/inspect/walscan.js";
import { tempDir } from "../helpers/tmp.js";

/** A single-writer store whose last op's value is `bytes` long, with non-ASCII text before it (byte offsets differ from character offsets). */
async function storeWithLongLastLine(bytes: number): Promise<{ dir: string; wal: string; raw: Buffer }> {
  const dir = await tempDir("opslog-long-line-");
  const store = new Published<Record<string, unknown>>();
  await store.open(dir);
  await store.set("short", { note: "Grüße, ☃" });
  await store.set("long", { body: "é" + "x".repeat(bytes), n: 1 });
  await store.close();
  const wal = join("ops", (await readdir(join(dir, "ops"))).find((f) => f.endsWith(".jsonl"))!);
  return { dir, wal, raw: await readFile(join(dir, wal)) };
}

/** The raw bytes of each line of a WAL (without its newline). */
function rawLines(raw: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  for (let start = 0; start < raw.length; ) {
    const nl = raw.indexOf(0x0a, start);
    lines.push(raw.subarray(start, nl === -1 ? raw.length : nl));
    start = nl === -1 ? raw.length : nl + 1;
  }
  return lines;
}

const sha1 = (bytes: Uint8Array) => createHash("sha1").update(bytes).digest("hex");

describe("the fingerprint of a WAL's long last line", () => {
  it("is the SHA-1 of the line's bytes, read in this thread and through the scan workers alike; a short line gets none", async () => {
    const { dir, wal, raw } = await storeWithLongLastLine(LINE_HASH_MIN_BYTES + 10);
    const [shortLine, longLine] = rawLines(raw);
    const read = await readWalLines(dir, wal, 0);
    expect(read.ops.map((op) => op.lineHash)).toEqual([undefined, sha1(longLine)]);
    expect(shortLine.length).toBeLessThan(LINE_HASH_MIN_BYTES);
    for (const parallel of ["never", "always"] as const) {
      const h = await buildHistory(dir, parallel);
      const lane = h.lanes.find((l) => l.entry.path === wal)!;
      expect(lastIndexed(h, lane)?.lineHash, parallel).toBe(sha1(longLine));
    }
  });

  it("lets the mark after the build see a rewrite of the long last line's data alone (same id, op, time and length), and pass the same bytes", async () => {
    const { dir, wal, raw } = await storeWithLongLastLine(LINE_HASH_MIN_BYTES + 10);
    const h = await buildHistory(dir, "never");
    const lane = h.lanes.find((l) => l.entry.path === wal)!;
    const last = lastIndexed(h, lane)!;
    expect(last.data).toBeUndefined(); // the index keeps no data: the mark after a build checks the line without it
    const unchanged = await markLane(dir, wal, lane.end, last);
    expect(unchanged.suspect).toBe(false);
    // One "x" of the value becomes "y": still a valid op, with the same id, kind and time, and the same length.
    const at = raw.lastIndexOf("xxxx");
    const rewritten = Buffer.from(raw);
    rewritten[at] = "y".charCodeAt(0);
    await writeFile(join(dir, wal), rewritten);
    const reread = await readWalLines(dir, wal, 0);
    expect(reread.ops.at(-1)).toMatchObject({ id: last.id, op: last.op, ts: last.ts, length: last.length });
    expect((await markLane(dir, wal, lane.end, last)).suspect).toBe(true);
  });

  it("is marked from the newline before it (the line read once, and once per poll), not from a point found by reading back from the WAL's end", async () => {
    const { dir, wal, raw } = await storeWithLongLastLine(LINE_HASH_MIN_BYTES + 10);
    const [shortLine, longLine] = rawLines(raw);
    const h = await buildHistory(dir, "never");
    const lane = h.lanes.find((l) => l.entry.path === wal)!;
    const mark = await markLane(dir, wal, lane.end, lastIndexed(h, lane));
    // The newline that ends the short line, from the raw bytes.
    expect(mark.from).toBe(shortLine.length);
    expect(raw[mark.from]).toBe(0x0a);
    expect(mark.end - mark.from).toBe(longLine.length + 2);
    expect(mark.suspect).toBe(false);
    expect(mark.hash).toBe(sha1(raw.subarray(mark.from, mark.end)));
    expect(await regionIntact(join(dir, wal), mark)).toBe(true);
  });
});
