// Lost writes on stores written by the published opslog: two agents on one
// directory, one compacting without having seen the other's latest writes,
// the other appending to its retired WAL afterwards. The expected lost ops
// come from the raw WAL lines and the snapshot file, never from the inspector.
import { readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Store as Published } from "@backloghq/opslog";
import { describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import { lostWritesPartlySeenOneHeldAnyway, walLinesOf } from "../scenarios/index.js";
import { nextMs, publishedState, suiteDir, task } from "./fixtures.js";
import type { Task } from "./fixtures.js";

type RawOp = { ts: string; op: "set" | "delete"; id: string; data?: unknown; agent: string; clock: number };
type Line = { file: string; line: number; op: RawOp };

async function walLines(dir: string, file: string): Promise<Line[]> {
  return (await walLinesOf(dir, file)).map((l) => ({ file, line: l.line, op: l.op as RawOp }));
}

/** Lost, from the raw files: every op of a retired WAL written after the snapshot that retired it, and every op the compactor had not seen whose effect that snapshot lacks. */
async function expectedLost(dir: string, seenUpTo: number): Promise<{ lost: Line[]; unseen: Line[] }> {
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8"));
  const [header, ...rows] = (await readFile(join(dir, manifest.currentSnapshot), "utf-8")).trim().split("\n").map((l) => JSON.parse(l));
  const snapshot = new Map(rows.map((r: { id: string; data: unknown }) => [r.id, r.data]));
  const live = new Set(Object.values(manifest.activeAgentOps as Record<string, string>));
  const retired = (await readdir(join(dir, "ops"))).map((n) => `ops/${n}`).filter((p) => !live.has(p));
  const lost: Line[] = [];
  const unseen: Line[] = [];
  for (const file of retired.sort()) {
    for (const l of await walLines(dir, file)) {
      const after = Date.parse(l.op.ts) > Date.parse(header.timestamp);
      const isBob = l.op.agent === "bob";
      const held = l.op.op === "set" ? JSON.stringify(snapshot.get(l.op.id)) === JSON.stringify(l.op.data) : !snapshot.has(l.op.id);
      if (after) lost.push(l);
      else if (isBob && l.line > seenUpTo && !held) {
        lost.push(l);
        unseen.push(l);
      }
    }
  }
  return { lost, unseen };
}

const key = (r: { file: string; line: number }) => `${r.file}:${r.line}`;

describe("lost writes: one definition in every view", () => {
  it("a compaction that had not seen an agent's writes, and appends to the retired WAL after it, are all lost writes, op by op", async () => {
    const { dir, seenUpTo } = await lostWritesPartlySeenOneHeldAnyway.build(await suiteDir());
    const { lost, unseen } = await expectedLost(dir, seenUpTo);
    expect(lost.map((l) => l.op.id)).toEqual(["b2", "a1", "b3", "same"]); // the store is as built: two unseen, two after the compaction
    const insp = await openInspector(dir);
    const page = await insp.lostWrites({ offset: 0, limit: 100 });
    expect(page.total).toBe(lost.length);
    expect(page.rows.map(key).sort()).toEqual(lost.map(key).sort());
    expect(page.rows.filter((r) => r.reason === "unseen-by-compaction").map(key).sort()).toEqual(unseen.map(key).sort());
    expect((await insp.summary()).counts.lostWrites).toBe(lost.length);
    const lanes = await insp.lanes();
    for (const lane of lanes) expect(lane.lostOps).toBe(lost.filter((l) => l.file === lane.path).length);
    for (const lane of lanes) {
      const ops = await insp.laneOps({ path: lane.path, offset: 0, limit: 100 });
      expect(ops.rows.filter((r) => r.lost).map(key).sort()).toEqual(lost.filter((l) => l.file === lane.path).map(key).sort());
    }
    // In the timeline, the ops the compaction dropped unseen carry the flag, and no other op does.
    const timeline = await insp.ops({ offset: 0, limit: 100 });
    expect(timeline.rows.filter((r) => r.lost).map(key).sort()).toEqual(unseen.map(key).sort());
    const warning = (await insp.summary()).warnings.find((w) => w.code === "lost-writes");
    expect(warning?.message).toContain(`${lost.length} write(s)`);
    // The compaction's blind spot is named as lost writes, not as damage.
    const links = (await insp.timelineInfo()).links;
    expect(links.filter((l) => l.verified === "mismatch")).toEqual([]);
    expect(links.map((l) => l.droppedWrites)).toEqual([unseen.length, 0]);
    await insp.close();
  });

  it("a lost write whose value the store holds anyway is flagged, and says who wrote the same value later", async () => {
    const { dir, seenUpTo, heldAnywayId } = await lostWritesPartlySeenOneHeldAnyway.build(await suiteDir());
    const { lost } = await expectedLost(dir, seenUpTo);
    const now = new Map(await publishedState(dir));
    const heldNow = lost.filter((l) => (l.op.op === "set" ? JSON.stringify(now.get(l.op.id)) === JSON.stringify(l.op.data) : !now.has(l.op.id)));
    expect(heldNow.map((l) => l.op.id)).toEqual(["same"]);
    expect(heldNow.map((l) => l.op.id)).toEqual([heldAnywayId]);
    const insp = await openInspector(dir);
    const rows = (await insp.lostWrites({ offset: 0, limit: 100 })).rows;
    expect(rows.filter((r) => r.heldAnyway).map(key)).toEqual(heldNow.map(key));
    expect(rows.find((r) => r.heldAnyway)!.explanation).toMatch(/same value anyway: it was written after that compaction by alice \(op #\d+\)/);
    await insp.close();
  });
});

/** Rewrite the current snapshot's record lines through `edit` (JSONL: a header, then one {id, data} per line). */
async function editSnapshot(dir: string, edit: (rows: { id: string; data: unknown }[]) => { id: string; data: unknown }[]): Promise<void> {
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8"));
  const path = join(dir, manifest.currentSnapshot);
  const [header, ...rows] = (await readFile(path, "utf-8")).trim().split("\n");
  await writeFile(path, [header, ...edit(rows.map((r) => JSON.parse(r))).map((r) => JSON.stringify(r))].join("\n") + "\n");
}

describe("lost writes are not a cover for damage", () => {
  it("a single writer's snapshot that lacks its own last write is a mismatch, not a lost write", async () => {
    const dir = await suiteDir();
    const store = new Published<Task>();
    await store.open(dir, { checkpointOnClose: false });
    await store.set("x", task(1, "first"));
    await store.set("x", task(1, "second"));
    await nextMs();
    await store.compact();
    await nextMs();
    await store.set("y", task(2, "todo"));
    await store.close();
    await editSnapshot(dir, (rows) => rows.map((r) => (r.id === "x" ? { id: "x", data: task(1, "first") } : r)));
    const insp = await openInspector(dir);
    expect((await insp.timelineInfo()).links[0]).toMatchObject({ verified: "mismatch", mismatchIds: ["x"], droppedWrites: 0 });
    expect((await insp.summary()).counts.lostWrites).toBe(0);
    await insp.close();
  });

  it("a snapshot that lacks the compacting agent's own write is a mismatch, not a lost write", async () => {
    const { dir, seenUpTo } = await lostWritesPartlySeenOneHeldAnyway.build(await suiteDir());
    const { lost } = await expectedLost(dir, seenUpTo);
    await editSnapshot(dir, (rows) => rows.filter((r) => r.id !== "a2")); // alice wrote a2 herself before compacting
    const insp = await openInspector(dir);
    const [link] = (await insp.timelineInfo()).links;
    expect(link).toMatchObject({ verified: "mismatch", mismatchIds: ["a2"] });
    expect((await insp.lostWrites({ offset: 0, limit: 100 })).rows.map(key).sort()).toEqual(lost.map(key).sort());
    await insp.close();
  });
});
