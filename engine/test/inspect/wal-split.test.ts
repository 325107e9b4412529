// A WAL cut into segments that the two scan workers parse at the same time
// must read as one reader reads it, wherever the cuts fall: inside a
// multi-byte UTF-8 character, inside a line torn by the published opslog's
// undo, between a CR and its LF, inside a torn last line. Checked on stores
// the published opslog wrote, first chunk by chunk (every op's place, every
// skipped line, where the reading ended), then answer by answer against a
// build in one thread.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Store as Published } from "@backloghq/opslog";
import { describe, expect, it, vi } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import { ParallelScan } from "../../src/inspect/parallel.js";
import { ScanThread } from "../../src/inspect/scan-thread.js";
import { LaneReader } from "../../src/inspect/walscan.js";
import type { ScannedOp } from "../../src/inspect/walscan.js";
import { threeAgentsConflictThenLostWrites, tornByUndoCrlfTornTail } from "../scenarios/index.js";
import { answers, suiteDir } from "./fixtures.js";

/** What a reading of a WAL yields that does not depend on who parsed it. */
function placeOf(op: ScannedOp) {
  return { line: op.line, offset: op.offset, length: op.length, id: op.id, op: op.op, clock: op.clock, agent: op.agent, tsMs: op.tsMs, tornByUndo: op.tornByUndo ?? false };
}

/** Cuts at random gaps of 1 to maxGap bytes over `bytes`, from a seeded generator. */
function randomCuts(bytes: number, seed: number, maxGap: number): number[] {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const cuts: number[] = [];
  for (let c = 1 + Math.floor(next() * maxGap); c < bytes; c += 1 + Math.floor(next() * maxGap)) cuts.push(c);
  return cuts;
}

const every = (bytes: number) => Array.from({ length: bytes }, (_, i) => i);

describe("a WAL cut between the two scan workers", () => {
  it("reads, at cuts on every byte and at random cuts, the ops, skipped lines, end and next line one reader reads, both workers taking part", async () => {
    const dir = await suiteDir();
    const store = await tornByUndoCrlfTornTail.build(dir);
    const bytes = await readFile(join(dir, store.wal));
    // The store holds what the cuts must fall into.
    expect(store.torn.length).toBeGreaterThan(1);
    expect(bytes.includes(Buffer.from("\r\n"))).toBe(true);
    expect(bytes.at(-1)).not.toBe(0x0a);
    expect(bytes.some((b) => b >= 0x80)).toBe(true);

    const one = new LaneReader(dir, store.wal, 0, 0, 1, false);
    const expected: ReturnType<typeof placeOf>[] = [];
    for (let chunk = await one.next(); chunk; chunk = await one.next()) for (const op of chunk) expected.push(placeOf(op));
    expect(one.skipped.some((s) => s.reason.includes("undo"))).toBe(true);
    expect(one.end).toBeLessThan(bytes.length); // the torn last line is left for later

    for (const cuts of [every(bytes.length), randomCuts(bytes.length, 1, 40), randomCuts(bytes.length, 2, 400), [bytes.length - 3], [1]]) {
      const scan = ParallelScan.start({ [store.wal]: cuts });
      try {
        const split = scan.lane(dir, store.wal, 0, bytes.length);
        const got: ReturnType<typeof placeOf>[] = [];
        const threads = new Set<ScanThread>();
        for (let chunk = await split.next(); chunk; chunk = await split.next()) {
          threads.add(split.thread!);
          for (const op of chunk) got.push(placeOf(op));
        }
        const where = `cuts ${cuts.slice(0, 12).join(",")}${cuts.length > 12 ? ",…" : ""}`;
        expect(got, where).toEqual(expected);
        expect({ skipped: split.skipped, end: split.end, nextLine: split.nextLine, unreadable: split.unreadable }, where).toEqual({ skipped: one.skipped, end: one.end, nextLine: one.nextLine, unreadable: null });
        if (cuts.length > 10) expect(threads.size, where).toBe(2);
      } finally {
        await scan.close();
      }
    }
  });

  it("gives every answer a build in one thread gives, on a torn-by-undo WAL with a CRLF line and a torn tail, and on three agents' WALs", async () => {
    const torn = await suiteDir();
    const store = await tornByUndoCrlfTornTail.build(torn);
    const agents = await suiteDir();
    await threeAgentsConflictThenLostWrites.build(agents);
    for (const dir of [torn, agents]) {
      const serial = await openInspector(dir, { parallel: "never" });
      const seen = await answers(serial);
      await serial.close();
      const wals = (seen.lanes as { path: string }[]).map((l) => l.path);
      expect(wals.length).toBeGreaterThan(0);
      const sizes = await Promise.all(wals.map(async (w) => (await readFile(join(dir, w))).length));
      for (const [k, cutsOf] of [(n: number) => every(n), (n: number) => randomCuts(n, 3, 64), (n: number) => randomCuts(n, 4, 700)].entries()) {
        const walCuts = Object.fromEntries(wals.map((w, i) => [w, cutsOf(sizes[i])]));
        const parallel = await openInspector(dir, { parallel: "always", walCuts });
        try {
          expect(await answers(parallel), `${dir === torn ? store.wal : "three agents"}, cut set ${k}`).toEqual(seen);
        } finally {
          await parallel.close();
        }
      }
    }
  });

  it("does not ask the workers for the segments a long line runs through once the line is read, and reads every line as one reader does", async () => {
    const dir = await suiteDir();
    const store = new Published<Record<string, unknown>>();
    await store.open(dir, { checkpointOnClose: false });
    await store.set("before", { n: 1 });
    await store.set("long", { body: "x".repeat(300_000) + " café ☕", n: 2 });
    await store.set("after", { n: 3 });
    await store.close();
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { activeOps: string };
    const bytes = await readFile(join(dir, manifest.activeOps));
    // Where the long line starts and ends, from the raw bytes.
    const longFrom = bytes.indexOf(0x0a) + 1;
    const longEnd = bytes.indexOf(0x0a, longFrom) + 1;
    const cuts = Array.from({ length: Math.floor(bytes.length / 1000) }, (_, i) => (i + 1) * 1000);
    const inside = cuts.filter((c) => c > longFrom && c + 1000 <= longEnd).length; // segments that lie wholly inside the long line
    expect(inside).toBeGreaterThan(250);

    const one = new LaneReader(dir, manifest.activeOps, 0, 0, 1, false);
    const expected: ReturnType<typeof placeOf>[] = [];
    for (let chunk = await one.next(); chunk; chunk = await one.next()) for (const op of chunk) expected.push(placeOf(op));
    expect(expected.map((o) => o.id)).toEqual(["before", "long", "after"]);

    const asked = vi.spyOn(ScanThread.prototype, "segment");
    const scan = ParallelScan.start({ [manifest.activeOps]: cuts });
    try {
      const split = scan.lane(dir, manifest.activeOps, 0, bytes.length);
      const got: ReturnType<typeof placeOf>[] = [];
      for (let chunk = await split.next(); chunk; chunk = await split.next()) for (const op of chunk) got.push(placeOf(op));
      expect(got).toEqual(expected);
      expect({ skipped: split.skipped, end: split.end, nextLine: split.nextLine }).toEqual({ skipped: one.skipped, end: one.end, nextLine: one.nextLine });
      // The window (two segments) may have asked one past the line's start; the rest inside it are never asked.
      expect(asked.mock.calls.length).toBeLessThan(cuts.length + 1 - inside + 4);
    } finally {
      asked.mockRestore();
      await scan.close();
    }
  });
});
