// The scenarios' own facts checked against the disk: what each builder says
// it wrote is there in the raw WAL lines, the snapshots and the archive, and
// the published opslog reads the state its writers reported. A fact that
// drifted from its store would make every test that uses it wrong.
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  archivedThenCompacted,
  elevenHundredOpsOneWal,
  fourArchivesThenCompacted,
  lostFixThenLaterEdits,
  lostWritesPartlySeenOneHeldAnyway,
  lostWritesUnseenThenRetired,
  malformedLines,
  SPEC_REVISIONS,
  specRevisedAcrossCompaction,
  specRevisedByTwoAgents,
  specRevisedEightTimes,
  plannerAndWorkerOnJobs,
  SCENARIOS,
  singleWriterCompactedThenArchived,
  sixTasksCompactedThenEdited,
  sixTasksHalfArchived,
  threeAgentsConflictThenLostWrites,
  threeAgentsReviewTasks,
  twoAgentsArchiveAndRecreate,
  twoAgentsBlindWritesToOneKey,
  twoAgentsBurstUnderASecond,
  twentyTasksCompactedThenEdited,
  twentyTasksDoneArchived,
  twoAgentsOverwriteAfterRefresh,
  snapshotEditedByHand,
  tornLastLine,
  walUnreadable,
} from "./index.js";
import * as library from "./index.js";
import { previousValue } from "./index.js";
import type { RawOp, StoreFacts, WalLine } from "./index.js";

const made: string[] = [];
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});
async function fresh(): Promise<string> {
  const parent = await mkdtemp(join(tmpdir(), "opslog-scenario-test-"));
  made.push(parent);
  return join(parent, "store");
}

const opsIn = (facts: StoreFacts, file: string): WalLine[] => facts.walLines.filter((l) => l.file === file);
const sorted = <T>(entries: [string, T][]) => [...entries].sort(([a], [b]) => (a < b ? -1 : 1));

describe("the scenario library", () => {
  it("names every scenario after its export, each once, and lists every exported scenario in SCENARIOS", () => {
    const names = SCENARIOS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const s of SCENARIOS) expect(s.holds.length).toBeGreaterThan(20);
    const exported = Object.entries(library).filter(([, v]) => typeof v === "object" && v !== null && "build" in v);
    for (const [key, s] of exported) expect((s as { name: string }).name).toBe(key);
    expect(exported.map(([key]) => key).sort()).toEqual([...names].sort());
  });

  it("singleWriterCompactedThenArchived: 3+ compactions, delta lines, the delete, the archive and a writer state per position that the published opslog reads at the end", async () => {
    const s = await singleWriterCompactedThenArchived.build(await fresh());
    expect(s.kind).toBe("single-writer");
    expect(s.snapshots.length).toBeGreaterThanOrEqual(4);
    expect(s.walLines.some((l) => l.op?.encoding === "delta")).toBe(true);
    expect(s.walLines.filter((l) => l.op?.op === "delete").map((l) => l.op!.id)).toEqual(s.deletedIds);
    expect(s.undoneAfterCompaction).toBe(false); // the set of t7 was the 18th op: it triggered a compaction, so undo found nothing
    expect(s.undoneId).toBe("t8");
    expect(s.walLines.some((l) => l.op?.id === "t8")).toBe(false); // undo truncated its line
    expect(s.states.some((state) => state.has("t8"))).toBe(false);
    expect(s.archiveSegments).toEqual([s.archive.segment]);
    const segment = JSON.parse(await readFile(join(s.dir, s.archive.segment), "utf-8")) as { records: Record<string, { status: string }> };
    expect(Object.keys(segment.records).sort()).toEqual(s.archive.ids);
    expect(s.archive.ids.length).toBeGreaterThan(0);
    expect(s.state).toEqual(sorted([...s.states.at(-1)!]));
  });

  it("twentyTasksCompactedThenEdited: 20 sets in the retired WAL, 6 ops in the active one ending with the last op, 21 records", async () => {
    const s = await twentyTasksCompactedThenEdited.build(await fresh());
    expect(s.kind).toBe("single-writer");
    expect(s.retiredWals.map((f) => opsIn(s, f).length)).toEqual([20]);
    const active = opsIn(s, s.namedWals[0]);
    expect(active.length).toBe(6);
    expect(active.at(-1)!.op).toMatchObject({ op: s.lastOp.op, id: s.lastOp.id, data: s.lastOp.after });
    expect(previousValue(active.at(-1)!.op!)).toEqual(s.lastOp.before);
    expect(active.filter((l) => l.op!.op === "delete").map((l) => l.op!.id)).toEqual(s.deletedIds);
    expect(s.state.length).toBe(21);
    expect(s.state.filter(([, v]) => v.status === "blocked").map(([id]) => id)).toEqual(s.blockedIds);
    expect(Object.fromEntries(s.state)[s.renamed.id]).toMatchObject({ title: s.renamed.title });
  });

  it("sixTasksCompactedThenEdited: 4 ops in the active WAL, the last the update it names; 5 records", async () => {
    const s = await sixTasksCompactedThenEdited.build(await fresh());
    const active = opsIn(s, s.namedWals[0]);
    expect(active.length).toBe(4);
    expect(active.at(-1)!.op).toMatchObject({ op: "set", id: s.lastUpdated, data: s.afterLastUpdate });
    expect(s.state.map(([id]) => id)).toEqual(s.writtenIds.filter((id) => id !== s.deleted));
    expect(Object.fromEntries(s.state)[s.lastUpdated]).toEqual(s.afterLastUpdate);
  });

  it("malformedLines: lines 2 and 4 of the active WAL are bad, the rest are the six-task store's ops", async () => {
    const s = await malformedLines.build(await fresh());
    expect(s.wal).toBe(s.namedWals[0]);
    expect(s.badLines).toEqual([2, 4]);
    expect(opsIn(s, s.wal).filter((l) => l.op !== null).length).toBe(4);
    expect(s.state.length).toBe(5);
  });

  it("threeAgentsConflictThenLostWrites: bob's k1 had not seen alice's and wins; his lost writes are the lines of his retired WAL after the compaction", async () => {
    const s = await threeAgentsConflictThenLostWrites.build(await fresh());
    expect(s.kind).toBe("multi-writer");
    expect(s.agents).toEqual(["alice", "bob", "carol"]);
    const k1 = s.walLines.filter((l) => l.op?.id === s.conflict.id).map((l) => l.op!);
    const [loser, winner] = [k1.find((o) => o.agent === s.conflict.loser)!, k1.find((o) => o.agent === s.conflict.winner)!];
    expect(winner.prev).toBeNull(); // the winner had not seen the loser's write
    expect(winner.clock! > loser.clock! || (winner.clock === loser.clock && winner.agent! > loser.agent!)).toBe(true);
    expect(Object.fromEntries(s.state)[s.conflict.id]).toEqual(winner.data);
    const snapshot = (await readFile(join(s.dir, s.manifest.currentSnapshot), "utf-8")).split("\n")[0];
    const compactedAt = (JSON.parse(snapshot) as { timestamp: string }).timestamp;
    const afterCompaction = s.retiredWals.flatMap((f) => opsIn(s, f)).filter((l) => l.op!.ts > compactedAt);
    expect(afterCompaction.map((l) => [l.op!.agent, l.op!.id])).toEqual(s.lostWrites.ids.map((id) => [s.lostWrites.agent, id]));
    for (const line of afterCompaction) expect(Object.fromEntries(s.state)[line.op!.id]).not.toEqual(line.op!.data); // no reader sees them
  });

  it("plannerAndWorkerOnJobs: worker's update and delete carry the values they replaced; 7 records", async () => {
    const s = await plannerAndWorkerOnJobs.build(await fresh());
    expect(s.agents).toEqual(["planner", "worker"]);
    const worker = s.walLines.map((l) => l.op!).filter((o) => o.agent === "worker");
    const update = worker.find((o) => o.id === s.workerUpdate.id) as RawOp;
    expect(update).toMatchObject({ op: "set", data: s.workerUpdate.after });
    expect(previousValue(update)).toEqual(s.workerUpdate.before);
    expect(worker.find((o) => o.op === "delete")).toMatchObject({ id: s.workerDelete.id, prev: s.workerDelete.before });
    expect(s.state.length).toBe(7);
  });

  it("twoAgentsOverwriteAfterRefresh: two named WALs, 3 records, doc-1 as beta wrote it", async () => {
    const s = await twoAgentsOverwriteAfterRefresh.build(await fresh());
    expect(s.namedWals.length).toBe(2);
    expect(s.walFiles).toEqual(s.namedWals);
    expect(s.agents).toEqual(["alpha", "beta"]);
    expect(s.state.length).toBe(3);
    expect(Object.fromEntries(s.state)[s.overwritten.id]).toEqual(s.overwritten.value);
  });

  it("archivedThenCompacted: the segment holds the archived ids; the WAL files hold the ops before the archive, between it and the compaction, and after", async () => {
    const s = await archivedThenCompacted.build(await fresh());
    expect(s.archivedIds).toEqual(["task-1", "task-3", "task-5"]);
    expect(s.archived).toBe(s.archivedIds.length);
    const segment = JSON.parse(await readFile(join(s.dir, s.segment), "utf-8")) as { records: Record<string, unknown> };
    expect(Object.keys(segment.records).sort()).toEqual(s.archivedIds);
    expect(s.walFiles.map((f) => opsIn(s, f).length)).toEqual([s.archivedAt, s.folded, s.total - s.compactedAt]);
    expect([s.archivedAt, s.compactedAt, s.total]).toEqual([7, 9, 10]);
  });

  it("lostWritesUnseenThenRetired: bob's lines in his retired WAL before the snapshot are missing from it, the ones after came later", async () => {
    const s = await lostWritesUnseenThenRetired.build(await fresh());
    const [header, ...rows] = (await readFile(join(s.dir, s.manifest.currentSnapshot), "utf-8")).trim().split("\n").map((l) => JSON.parse(l) as { timestamp: string; id: string; data: unknown });
    const snapshot = new Map(rows.map((r) => [r.id, r.data]));
    const bob = s.retiredWals.flatMap((f) => opsIn(s, f)).map((l) => l.op!).filter((o) => o.agent === s.lostWrites.agent);
    const before = bob.filter((o) => o.ts <= header.timestamp);
    expect(before.map((o) => o.id)).toEqual(s.lostWrites.unseenIds);
    for (const o of before) expect(snapshot.get(o.id)).not.toEqual(o.data);
    expect(bob.filter((o) => o.ts > header.timestamp).map((o) => o.id)).toEqual(s.lostWrites.afterCompactionIds);
  });

  it("lostFixThenLaterEdits: bob's two lines in his retired WAL come after the snapshot, the published opslog reads neither, and alice's two later t1 lines follow them", async () => {
    const s = await lostFixThenLaterEdits.build(await fresh());
    const header = JSON.parse((await readFile(join(s.dir, s.manifest.currentSnapshot), "utf-8")).split("\n")[0]) as { timestamp: string };
    const bob = s.retiredWals.flatMap((f) => opsIn(s, f)).map((l) => l.op!).filter((o) => o.agent === s.lostWrites.agent);
    expect(bob.filter((o) => o.ts > header.timestamp).map((o) => ({ id: o.id, data: o.data }))).toEqual(s.lostWrites.writes);
    const state = Object.fromEntries(s.state);
    expect(state.t1).toEqual({ status: "done", n: 1 });
    expect(state.t9).toBeUndefined();
    const bobFix = bob.find((o) => o.id === "t1" && o.ts > header.timestamp)!;
    expect(s.walLines.filter((l) => l.op?.id === "t1" && l.op.agent === "alice" && l.op.ts > bobFix.ts)).toHaveLength(s.laterOnT1);
  });

  it("specRevised*: doc-014's raw lines are v1, the target and the eight later values, in write order; the compaction splits the later ones; the target is the worker's", async () => {
    const values = [SPEC_REVISIONS.v1, SPEC_REVISIONS.target, ...SPEC_REVISIONS.later];
    const spec = (s: StoreFacts) => s.walLines.filter((l) => l.op?.id === SPEC_REVISIONS.id);
    const one = await specRevisedEightTimes.build(await fresh());
    expect(spec(one).map((l) => l.op!.data)).toEqual(values);
    expect(one.walFiles.length).toBe(1);
    const split = await specRevisedAcrossCompaction.build(await fresh());
    expect(spec(split).map((l) => l.op!.data)).toEqual(values);
    expect(new Set(spec(split).slice(2).map((l) => l.file)).size).toBe(2);
    const two = await specRevisedByTwoAgents.build(await fresh());
    const byClock = spec(two).map((l) => l.op!).sort((a, b) => a.clock! - b.clock! || (a.agent! < b.agent! ? -1 : 1));
    expect(byClock.map((o) => o.data)).toEqual(values);
    expect(byClock[1].agent).toBe(two.targetBy);
    for (const s of [one, split, two]) expect(Object.fromEntries(s.state)[SPEC_REVISIONS.id]).toEqual(SPEC_REVISIONS.latest);
  });

  it("sixTasksHalfArchived: six sets before the archive, the segment holds the odd tasks, task-9 after it", async () => {
    const s = await sixTasksHalfArchived.build(await fresh());
    expect(s.walFiles.map((f) => opsIn(s, f).map((l) => l.op!.id))).toEqual([["task-0", "task-1", "task-2", "task-3", "task-4", "task-5"], ["task-9"]]);
    expect(s.walLines.length - 1).toBe(s.archivedAt);
    const segment = JSON.parse(await readFile(join(s.dir, s.segment), "utf-8")) as { records: Record<string, unknown> };
    expect(Object.keys(segment.records).sort()).toEqual(s.archivedIds);
    expect(s.archivedIds).toEqual(["task-1", "task-3", "task-5"]);
    expect(s.archived).toBe(3);
  });

  it("lostWritesPartlySeenOneHeldAnyway: the snapshot holds bob's first seenUpTo lines and not the next; the store holds bob's lost 'same' value anyway", async () => {
    const s = await lostWritesPartlySeenOneHeldAnyway.build(await fresh());
    const rows = (await readFile(join(s.dir, s.manifest.currentSnapshot), "utf-8")).trim().split("\n").slice(1).map((l) => JSON.parse(l) as { id: string; data: unknown });
    const snapshot = new Map(rows.map((r) => [r.id, r.data]));
    const bob = s.retiredWals.flatMap((f) => opsIn(s, f)).map((l) => l.op!).filter((o) => o.agent === "bob");
    for (const o of bob.slice(0, s.seenUpTo)) expect(snapshot.get(o.id)).toEqual(o.data);
    expect(snapshot.get(bob[s.seenUpTo].id)).not.toEqual(bob[s.seenUpTo].data);
    const held = bob.find((o) => o.id === s.heldAnywayId)!;
    expect(Object.fromEntries(s.state)[s.heldAnywayId]).toEqual(held.data);
  });

  it("twoAgentsBurstUnderASecond: 6 lines per agent, all within a second, turns at least 5 ms apart", async () => {
    const s = await twoAgentsBurstUnderASecond.build(await fresh());
    expect(s.agents).toEqual(["alpha", "beta"]);
    const times = s.walLines.map((l) => Date.parse(l.op!.ts)).sort((a, b) => a - b);
    expect(times.length).toBe(2 * s.turns);
    expect(times.at(-1)! - times[0]).toBeLessThan(1000);
    const alpha = s.walLines.filter((l) => l.op!.agent === "alpha").map((l) => Date.parse(l.op!.ts));
    for (let i = 1; i < alpha.length; i++) expect(alpha[i] - alpha[i - 1]).toBeGreaterThanOrEqual(5);
  });

  it("elevenHundredOpsOneWal: 1,100 lines in one WAL, 50 records", async () => {
    const s = await elevenHundredOpsOneWal.build(await fresh());
    expect(s.walFiles.length).toBe(1);
    expect(s.walLines.length).toBe(s.ops);
    expect(s.state.length).toBe(50);
  });

  it("twoAgentsBlindWritesToOneKey: neither write had seen the other (both prev null); the winner is the higher (clock, agent) and the published opslog holds its value", async () => {
    const s = await twoAgentsBlindWritesToOneKey.build(await fresh());
    const ops = s.walLines.map((l) => l.op!).filter((o) => o.id === s.conflict.id);
    expect(ops.map((o) => o.prev ?? null)).toEqual([null, null]);
    const last = [...ops].sort((a, b) => a.clock! - b.clock! || (a.agent! < b.agent! ? -1 : 1)).at(-1)!;
    expect(last.agent).toBe(s.conflict.winner);
    expect(Object.fromEntries(s.state)[s.conflict.id]).toEqual({ by: s.conflict.winner });
  });

  it("twentyTasksDoneArchived: the segment holds the ten done tasks, the store the ten open ones", async () => {
    const s = await twentyTasksDoneArchived.build(await fresh());
    const segment = JSON.parse(await readFile(join(s.dir, s.segment), "utf-8")) as { records: Record<string, { status: string }> };
    expect(Object.values(segment.records).map((r) => r.status)).toEqual(Array(10).fill("done"));
    expect(s.archived).toBe(10);
    expect(s.state.map(([, v]) => v.status)).toEqual(Array(10).fill("open"));
  });

  it("threeAgentsReviewTasks: one WAL per agent, 17 ops, 5 records, the reviewer's done sets on t0, t2, t4", async () => {
    const s = await threeAgentsReviewTasks.build(await fresh());
    expect(s.walFiles).toEqual(s.namedWals);
    expect(s.agents).toEqual(["planner", "reviewer", "worker"]);
    expect(s.walLines.length).toBe(17);
    expect(s.state.map(([id]) => id)).toEqual(["t0", "t1", "t2", "t3", "t4"]);
    const reviewerDone = s.walLines.map((l) => l.op!).filter((o) => o.agent === s.reviewer && o.data?.status === "done");
    expect(reviewerDone.map((o) => o.id)).toEqual(["t0", "t2", "t4"]);
  });

  it("fourArchivesThenCompacted, twoAgentsArchiveAndRecreate: the manifest names exactly the segments archived to, each holding at least its last archive's count", async () => {
    for (const built of [fourArchivesThenCompacted, twoAgentsArchiveAndRecreate]) {
      const s = await built.build(await fresh());
      expect(s.archiveSegments, built.name).toEqual([...new Set(s.archives.map((a) => a.segment))].sort());
      for (const { segment, count } of s.archives) {
        const records = (JSON.parse(await readFile(join(s.dir, segment), "utf-8")) as { records: Record<string, unknown> }).records;
        expect(Object.keys(records).length, `${built.name} ${segment}`).toBeGreaterThanOrEqual(count);
        expect(count).toBeGreaterThan(0);
      }
    }
  });

  it("snapshotEditedByHand: the current snapshot holds the edited value, the first WAL wrote the original", async () => {
    const s = await snapshotEditedByHand.build(await fresh());
    expect(s.tampered.snapshot).toBe(s.manifest.currentSnapshot);
    const rows = (await readFile(join(s.dir, s.tampered.snapshot), "utf-8")).trim().split("\n").slice(1).map((l) => JSON.parse(l) as { id: string; data: { estimate: number } });
    expect(rows.find((r) => r.id === s.tampered.id)!.data.estimate).toBe(s.tampered.estimate);
    const written = s.retiredWals.flatMap((f) => opsIn(s, f)).filter((l) => l.op?.id === s.tampered.id);
    expect(written.map((l) => (l.op!.data as { estimate: number }).estimate)).toEqual([5]);
  });

  it("tornLastLine: the active WAL ends in half an op without a newline, at the line named; opslog reads the six-task state", async () => {
    const s = await tornLastLine.build(await fresh());
    const text = await readFile(join(s.dir, s.wal), "utf-8");
    expect(text.endsWith("\n")).toBe(false);
    const last = opsIn(s, s.wal).at(-1)!;
    expect(last).toMatchObject({ line: s.tornLine, op: null });
    expect(last.text.startsWith('{"ts":"')).toBe(true);
    expect(s.state.map(([id]) => id)).not.toContain("task-7");
  });

  it("walUnreadable: bob's WAL holds his two ops and is mode 000", async () => {
    const s = await walUnreadable.build(await fresh());
    expect(opsIn(s, s.unreadable.file).map((l) => l.op?.agent)).toEqual(Array(s.unreadable.ops).fill(s.unreadable.agent));
    expect((await stat(join(s.dir, s.unreadable.file))).mode & 0o777).toBe(0);
  });
});
