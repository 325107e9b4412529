// Single-writer stores written by the published opslog, each with the facts
// its writer knew as it wrote them (values before and after, what it deleted,
// undid or archived, and for the long one the state after every op).
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Store as Published } from "@backloghq/opslog";
import { walLinesOf } from "./facts.js";
import { nextMs, StateLog, task } from "./published.js";
import type { Doc, State, Task } from "./published.js";
import { scenario } from "./scenario.js";

export const singleWriterCompactedThenArchived = scenario(
  "singleWriterCompactedThenArchived",
  "t0..t7 set, then 8 updates of t0..t4 (small ones delta-encoded), t6 deleted, t7 set (the 18th op: it triggers a compaction, so the undo that follows finds nothing to remove), t8 set and undone, the done tasks archived to 2026-Q1, then t10..t13 set and t10 updated; a compaction every 6 ops (3 or more in all)",
  async (dir) => {
    const store = new Published<Task>();
    await store.open(dir, { checkpointThreshold: 6 });
    const log = new StateLog(store);
    const set = async (id: string, value: Task) => {
      await store.set(id, value);
      log.record();
      await nextMs();
    };
    for (let i = 0; i < 8; i++) await set(`t${i}`, task(i, "todo"));
    for (let i = 0; i < 8; i++) await set(`t${i % 5}`, task(i % 5, i % 2 ? "done" : "doing", { notes: `step ${i}` }));
    await store.delete("t6");
    log.record();
    await nextMs();
    await set("t7", task(7, "doing")); // the 18th op: a compaction follows it, so there is nothing to undo
    const undoneAfterCompaction = await store.undo();
    if (undoneAfterCompaction) log.drop();
    await set("t8", task(8, "todo"));
    const undone = await store.undo(); // removes the t8 line from the active WAL
    if (undone) log.drop();
    await nextMs();
    const beforeArchive = store.entries().map(([id]) => id);
    await store.archive((t) => t.status === "done", "2026-Q1");
    log.replaceLast();
    const archivedIds = beforeArchive.filter((id) => !store.has(id)).sort();
    await nextMs();
    for (let i = 0; i < 4; i++) await set(`t${10 + i}`, task(10 + i, "todo"));
    await set("t10", task(10, "doing"));
    await store.close();
    return {
      /** states[p] = the records after p ops, as the writer's Store reported them: position p of the timeline */
      states: log.states as State[],
      deletedIds: ["t6"],
      /** The undo right after a compaction found nothing to remove (false); t8's set was undone */
      undoneAfterCompaction,
      undoneId: undone ? "t8" : null,
      archive: { segment: "archive/archive-2026-Q1.json", ids: archivedIds },
    };
  },
);

type Estimate = { title: string; status: string; estimate: number };

export const twentyTasksCompactedThenEdited = scenario(
  "twentyTasksCompactedThenEdited",
  "task-0..task-19 set (status done for every third, else open; estimate i % 5), one compaction, then in the active WAL: task-1 updated, task-20 set, task-2 deleted, task-3 renamed, task-21 set, task-4 blocked",
  async (dir) => {
    const store = new Published<Doc>();
    await store.open(dir, { checkpointOnClose: false, checkpointThreshold: 1_000_000 });
    for (let i = 0; i < 20; i++) await store.set(`task-${i}`, { title: `Task ${i}`, status: i % 3 === 0 ? "done" : "open", estimate: i % 5 });
    await nextMs(); // snapshot and WAL names carry the ms: a compaction in the open's ms would overwrite its snapshot
    await store.compact();
    await store.set("task-1", { title: "Task 1", status: "done", estimate: 2 });
    await store.set("task-20", { title: "Task 20", status: "open", estimate: 1 });
    await store.delete("task-2");
    await store.set("task-3", { title: "Task 3 renamed", status: "done", estimate: 3 });
    await store.set("task-21", { title: "Task 21", status: "open", estimate: 4 });
    const lastOp = { op: "set" as const, id: "task-4", before: store.get("task-4") as Estimate, after: { title: "Task 4", status: "blocked", estimate: 4 } };
    await store.set(lastOp.id, lastOp.after);
    await store.close();
    return { deletedIds: ["task-2"], renamed: { id: "task-3", title: "Task 3 renamed" }, blockedIds: ["task-4"], lastOp };
  },
);

const SIX_TASKS = {
  /** Every id written, the deleted one included */
  writtenIds: ["task-1", "task-2", "task-3", "task-4", "task-5", "task-6"],
  deleted: "task-2",
  /** The last op: an update of this record... */
  lastUpdated: "task-3",
  /** ...from this value */
  beforeLastUpdate: { title: "Write the parser", status: "todo", estimate: 3 },
  afterLastUpdate: { title: "Write the parser", status: "done", estimate: 3 },
};

async function writeSixTasks(dir: string): Promise<typeof SIX_TASKS> {
  const store = new Published<Doc>();
  await store.open(dir, { checkpointThreshold: 5, checkpointOnClose: false });
  await store.set("task-1", { title: "Design the API", status: "todo", estimate: 2 });
  await store.set("task-2", { title: "Fix a flaky test", status: "todo", estimate: 1 });
  await store.set("task-3", SIX_TASKS.beforeLastUpdate);
  await store.set("task-4", { title: "Cache embeddings", status: "todo", estimate: 5 });
  await nextMs(); // the 5th op compacts (threshold 5): its snapshot and WAL must not take the open's ms
  await store.set("task-5", { title: "Rate-limit tools", status: "in-progress", estimate: 2 });
  await store.set("task-6", { title: "Trim the context", status: "todo", estimate: 8 });
  await store.set("task-1", { title: "Design the API", status: "in-progress", estimate: 2 });
  await store.delete(SIX_TASKS.deleted);
  await store.set(SIX_TASKS.lastUpdated, SIX_TASKS.afterLastUpdate);
  await store.close();
  return SIX_TASKS;
}

export const sixTasksCompactedThenEdited = scenario(
  "sixTasksCompactedThenEdited",
  "task-1..task-5 set, a compaction (threshold 5), then in the active WAL: task-6 set, task-1 updated, task-2 deleted, task-3 updated last; closed without a checkpoint",
  writeSixTasks,
);

/** 1-based line numbers of the WAL lines that are not valid ops. */
const badLinesOf = async (dir: string, wal: string) => (await walLinesOf(dir, wal)).filter((l) => l.op === null).map((l) => l.line);

export const malformedLines = scenario(
  "malformedLines",
  "sixTasksCompactedThenEdited with two bad lines put between the valid ones of its active WAL: one not JSON, one JSON that is no op",
  async (dir) => {
    const own = await writeSixTasks(dir);
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { activeOps: string };
    const wal = manifest.activeOps;
    const lines = (await readFile(join(dir, wal), "utf-8")).split("\n").filter((l) => l !== "");
    const bogus = JSON.stringify({ ts: "2026-01-01T00:00:00.000Z", op: "bogus", id: "x" });
    const withJunk = [lines[0], "this line is not JSON {", ...lines.slice(1, 2), bogus, ...lines.slice(2)];
    await writeFile(join(dir, wal), withJunk.join("\n") + "\n");
    return { ...own, wal, badLines: await badLinesOf(dir, wal) };
  },
);

export const archivedThenCompacted = scenario(
  "archivedThenCompacted",
  "task-1..task-6 set (odd ones done), task-2 updated; the done tasks archived to 2026-Q1; task-7 set and the archived task-3 created again; a compaction; task-8 set",
  async (dir) => {
    const store = new Published<Doc>();
    await store.open(dir, { checkpointThreshold: 1000, checkpointOnClose: false });
    let ops = 0;
    const set = async (id: string, value: Doc) => {
      await store.set(id, value);
      ops++;
    };
    for (let i = 1; i <= 6; i++) await set(`task-${i}`, { title: `Task ${i}`, status: i % 2 ? "done" : "todo" });
    await set("task-2", { title: "Task 2", status: "in-progress" });
    await nextMs(); // snapshot and WAL names carry the ms
    const archivedAt = ops;
    const beforeArchive = store.entries().map(([id]) => id);
    const archived = await store.archive((t) => t.status === "done", "2026-Q1");
    const archivedIds = beforeArchive.filter((id) => !store.has(id)).sort();
    await nextMs();
    await set("task-7", { title: "Task 7", status: "todo" });
    await set("task-3", { title: "Task 3, again", status: "todo" });
    await nextMs();
    const compactedAt = ops;
    await store.compact();
    await nextMs();
    await set("task-8", { title: "Task 8", status: "todo" });
    await store.close();
    return {
      segment: "archive/archive-2026-Q1.json",
      /** The count archive() returned, and the ids it took out of the store */
      archived,
      archivedIds,
      /** Positions (ops before) where the archive and the later compaction take effect, and the timeline's length */
      archivedAt,
      compactedAt,
      folded: compactedAt - archivedAt,
      total: ops,
    };
  },
);

export const sixTasksHalfArchived = scenario(
  "sixTasksHalfArchived",
  "task-0..task-5 set (odd ones done), the done ones archived to 2026-Q1 (the archive compacts), task-9 set",
  async (dir) => {
    const store = new Published<Doc>();
    await store.open(dir, { checkpointOnClose: false, checkpointThreshold: 1_000_000 });
    for (let i = 0; i < 6; i++) await store.set(`task-${i}`, { status: i % 2 ? "done" : "open" });
    await nextMs(); // the archive compacts: its snapshot must not take the open's ms
    const beforeArchive = store.entries().map(([id]) => id);
    const archived = await store.archive((t) => t.status === "done", "2026-Q1");
    const archivedIds = beforeArchive.filter((id) => !store.has(id)).sort();
    await store.set("task-9", { status: "open" });
    await store.close();
    /** archived: the count archive() returned; archivedAt: the ops before it */
    return { segment: "archive/archive-2026-Q1.json", archived, archivedIds, archivedAt: 6 };
  },
);

export const elevenHundredOpsOneWal = scenario(
  "elevenHundredOpsOneWal",
  "single writer, no compaction: 1,100 sets cycling over k-0..k-49 ({n: i}), all in one WAL (more than the Agents view draws per lane)",
  async (dir) => {
    const store = new Published<Doc>();
    await store.open(dir, { checkpointThreshold: 100_000, checkpointOnClose: false });
    for (let i = 0; i < 1100; i++) await store.set(`k-${i % 50}`, { n: i });
    await store.close();
    return { ops: 1100 };
  },
);

export const twentyTasksDoneArchived = scenario(
  "twentyTasksDoneArchived",
  "task-00..task-19 set (odd ones done; priority high for every third, else low), the done ones archived to 2026-Q1",
  async (dir) => {
    const store = new Published<Doc>();
    await store.open(dir, { checkpointOnClose: false });
    for (let i = 0; i < 20; i++) await store.set(`task-${String(i).padStart(2, "0")}`, { status: i % 2 ? "done" : "open", priority: i % 3 ? "low" : "high" });
    await nextMs(); // the archive compacts: its snapshot must not take the open's ms
    const archived = await store.archive((t) => t.status === "done", "2026-Q1");
    await store.close();
    return { segment: "archive/archive-2026-Q1.json", archived };
  },
);
