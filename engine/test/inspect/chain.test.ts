// The history chain, on stores written by the published opslog: every link
// verifies when nothing is wrong, whatever the ms in the file names say and
// however often an id is archived into the same segment. Expectations come
// from the raw files (line counts), never from the inspector.
import { readFile, readdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Store as Published } from "@backloghq/opslog";
import { describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import { walLinesOf } from "../scenarios/index.js";
import { nextMs, suiteDir, task } from "./fixtures.js";
import type { Task } from "./fixtures.js";

const msOf = (path: string) => Number(/-(\d+)\.jsonl?$/.exec(path)![1]);

async function walLines(dir: string): Promise<number> {
  let n = 0;
  for (const name of await readdir(join(dir, "ops"))) n += (await walLinesOf(dir, `ops/${name}`)).length;
  return n;
}

/** Wait until the clock is `ms` later, so that a renamed file cannot take another's name. */
async function msLater(ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) await nextMs();
}

/** Three links written by the published opslog: set, compact, set, compact, set. */
async function threeLinks(agentId?: string): Promise<string> {
  const dir = await suiteDir();
  const store = new Published<Task>();
  await store.open(dir, { checkpointOnClose: false, ...(agentId ? { agentId } : {}) });
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 3; i++) await store.set(`t${round}-${i}`, task(i, "todo"));
    await store.set(`t${round}-0`, task(0, "done"));
    await msLater(20);
    if (round < 2) await store.compact();
    await msLater(20);
  }
  await store.close();
  return dir;
}

/** Rename the WAL that the first compaction started so that its ms is 3 before that compaction's snapshot. */
async function nameWalBeforeItsSnapshot(dir: string): Promise<void> {
  const snaps = (await readdir(join(dir, "snapshots"))).sort();
  const wals = (await readdir(join(dir, "ops"))).sort((a, b) => msOf(a) - msOf(b));
  const secondSnap = snaps[1];
  const walOfSecond = wals.find((w) => msOf(w) >= msOf(secondSnap) && msOf(w) < msOf(snaps[2]))!;
  const renamed = walOfSecond.replace(/-(\d+)\.jsonl$/, `-${msOf(secondSnap) - 3}.jsonl`);
  expect(wals).not.toContain(renamed);
  await rename(join(dir, "ops", walOfSecond), join(dir, "ops", renamed));
  // The manifest names only the live WAL; keep it pointing at whatever it named.
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8"));
  await writeFile(join(dir, "manifest.json"), JSON.stringify(manifest));
}

describe("history chain: WAL names a few ms before their snapshot", () => {
  for (const agentId of [undefined, "agent-a"]) {
    it(`${agentId ? "multi-writer" : "single-writer"}: every link verifies and every op is in the timeline`, async () => {
      const dir = await threeLinks(agentId);
      await nameWalBeforeItsSnapshot(dir);
      const insp = await openInspector(dir);
      const info = await insp.timelineInfo();
      expect(info.links.map((l) => l.verified)).toEqual(["ok", "ok", "live"]);
      expect(info.links.flatMap((l) => l.missing)).toEqual([]);
      expect(info.links.every((l) => l.wals.length === 1)).toBe(true);
      expect(info.total).toBe(await walLines(dir));
      expect((await insp.summary()).counts.lostWrites).toBe(0);
      await insp.close();
    });
  }
});

/** An id archived, created again and archived again into one segment, three times over, beside a record archived once. */
async function reArchived(): Promise<string> {
  const dir = await suiteDir();
  const store = new Published<Task>();
  await store.open(dir, { checkpointOnClose: false });
  await store.set("keep", task(0, "todo"));
  await store.set("once", task(1, "done"));
  for (let round = 0; round < 3; round++) {
    await store.set("again", task(2, `round-${round}`));
    await store.set("keep", task(0, `round-${round}`));
    await msLater(5);
    await store.archive((v, id) => id === "again" || (round === 0 && id === "once"), "2026-Q1");
    await msLater(5);
  }
  await store.set("again", task(2, "alive"));
  await store.close();
  return dir;
}

describe("history chain: re-archiving into the same segment", () => {
  it("every link whose archive the segment's later merge overwrote still verifies", async () => {
    const dir = await reArchived();
    const segment = JSON.parse(await readFile(join(dir, "archive", "archive-2026-Q1.json"), "utf-8"));
    expect(segment.records.again.status).toBe("round-2"); // the segment holds only the last archive's value
    const insp = await openInspector(dir);
    const info = await insp.timelineInfo();
    expect(info.links.map((l) => l.verified)).toEqual(["ok", "ok", "ok", "live"]);
    expect(info.links.map((l) => l.mismatchCount)).toEqual([0, 0, 0, 0]);
    expect((await insp.summary()).warnings.filter((w) => w.code === "chain-mismatch")).toEqual([]);
    await insp.close();
  });

  it("a segment whose value for the last archive of an id is not what was archived is still a mismatch", async () => {
    const dir = await reArchived();
    const path = join(dir, "archive", "archive-2026-Q1.json");
    const segment = JSON.parse(await readFile(path, "utf-8"));
    segment.records.again.status = "tampered";
    segment.records.once.status = "tampered";
    await writeFile(path, JSON.stringify(segment));
    const insp = await openInspector(dir);
    const info = await insp.timelineInfo();
    expect(info.links.map((l) => l.mismatchIds)).toEqual([["once"], [], ["again"], []]);
    await insp.close();
  });
});
