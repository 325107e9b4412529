// Multi-writer stores written by agents of the published opslog, each with
// the facts its script makes true: who overwrote whom without having seen
// the write (a conflict), which writes went to a WAL a compaction had
// retired (lost), who deleted what.
import { Store as Published } from "@backloghq/opslog";
import { nextMs, openPublishedAgent, publishedStateOfCopy, task } from "./published.js";
import type { Doc, Task } from "./published.js";
import { agentScenario, scenario } from "./scenario.js";

export const threeAgentsConflictThenLostWrites = agentScenario(
  "threeAgentsConflictThenLostWrites",
  "alice, bob and carol; bob overwrites alice's k1 without having seen it; alice compacts; bob, not refreshed, appends b0 and lost-1 to his retired WAL; carol refreshes and writes c1, c2 into the new generation; alice refreshes and updates c2",
  async (open) => {
    const alice = await open("alice");
    const bob = await open("bob");
    const carol = await open("carol");
    const step = async (store: Published<Task>, id: string, value: Task) => {
      await store.set(id, value);
      await nextMs();
    };
    await step(bob, "b0", task(0, "todo"));
    await step(bob, "b1", task(1, "todo"));
    await step(alice, "k1", task(100, "alice's version"));
    await step(alice, "a1", task(101, "todo"));
    await step(bob, "k1", task(200, "bob's version")); // bob has not seen alice's k1
    await step(carol, "c1", task(300, "todo"));
    await alice.refresh();
    await step(alice, "a1", task(101, "doing"));
    await alice.compact();
    await nextMs();
    await step(bob, "b0", task(0, "written after alice compacted"));
    await step(bob, "lost-1", task(400, "never seen by anyone"));
    await carol.refresh();
    await nextMs();
    await step(carol, "c1", task(300, "doing"));
    await step(carol, "c2", task(301, "todo"));
    await alice.refresh();
    await step(alice, "c2", task(301, "reviewed"));
    for (const store of [alice, bob, carol]) await store.close();
    return {
      /** The one conflict: bob's write to k1 overrode alice's, which he had not seen */
      conflict: { id: "k1", winner: "bob", loser: "alice" },
      compactedBy: "alice",
      /** bob's writes to his retired WAL after alice compacted, in the order he wrote them */
      lostWrites: { agent: "bob", ids: ["b0", "lost-1"] },
    };
  },
);

export const threeAgentsArchiveThenLostWrites = agentScenario(
  "threeAgentsArchiveThenLostWrites",
  "alice, bob and carol; bob writes b1 done, then overwrites alice's k1 without having seen it; carol sets and deletes c9; alice refreshes, updates a1 and archives the done records (b1) as 2026-Q1, which compacts; bob, not refreshed, appends b0, lost-1 and lost-2 to his retired WAL and undoes lost-2; carol refreshes and writes c1, c2 into the new generation; alice refreshes and updates c2",
  async (open) => {
    const alice = await open("alice");
    const bob = await open("bob");
    const carol = await open("carol");
    const step = async (store: Published<Task>, id: string, value: Task) => {
      await store.set(id, value);
      await nextMs();
    };
    await step(bob, "b0", task(0, "todo"));
    await step(bob, "b1", task(1, "done"));
    await step(alice, "k1", task(100, "alice's version"));
    await step(alice, "a1", task(101, "todo"));
    await step(bob, "k1", task(200, "bob's version")); // bob has not seen alice's k1
    await step(carol, "c1", task(300, "todo"));
    await step(carol, "c9", task(309, "todo"));
    await carol.delete("c9");
    await nextMs();
    await alice.refresh();
    await step(alice, "a1", task(101, "doing", { notes: "an update, delta-encoded" }));
    await alice.archive((value) => value.status === "done", "2026-Q1"); // b1: archived, then compacted
    await nextMs();
    await step(bob, "b0", task(0, "written after alice compacted"));
    await step(bob, "lost-1", task(400, "never seen by anyone"));
    await step(bob, "lost-2", task(401, "undone"));
    await bob.undo();
    await carol.refresh();
    await nextMs();
    await step(carol, "c1", task(300, "doing"));
    await step(carol, "c2", task(301, "todo"));
    await alice.refresh();
    await step(alice, "c2", task(301, "reviewed"));
    for (const store of [alice, bob, carol]) await store.close();
    return {
      conflict: { id: "k1", winner: "bob", loser: "alice" },
      /** alice's archive: the done records, moved out by the compaction it ran */
      archived: { segment: "2026-Q1", ids: ["b1"], by: "alice" },
      /** bob's writes to his retired WAL after alice compacted that stand (lost-2 he undid) */
      lostWrites: { agent: "bob", ids: ["b0", "lost-1"] },
    };
  },
);

export const plannerAndWorkerOnJobs = scenario(
  "plannerAndWorkerOnJobs",
  "planner sets job-0..job-7 (planned); worker, opened after, sets job-1 running and job-2 done; planner cancels job-3; worker deletes job-7",
  async (dir) => {
    const planner = new Published<Doc>();
    await planner.open(dir, { agentId: "planner", checkpointOnClose: false });
    for (let i = 0; i < 8; i++) await planner.set(`job-${i}`, { title: `Job ${i}`, state: "planned" });
    const worker = new Published<Doc>();
    await worker.open(dir, { agentId: "worker", checkpointOnClose: false });
    await worker.set("job-1", { title: "Job 1", state: "running" });
    await worker.set("job-2", { title: "Job 2", state: "done" });
    await planner.set("job-3", { title: "Job 3", state: "cancelled" });
    await worker.delete("job-7");
    await worker.close();
    await planner.close();
    return {
      /** worker's update of job-2, and the value it replaced */
      workerUpdate: { id: "job-2", before: { title: "Job 2", state: "planned" }, after: { title: "Job 2", state: "done" } },
      /** worker's delete, and the value it removed */
      workerDelete: { id: "job-7", before: { title: "Job 7", state: "planned" } },
    };
  },
);

export const twoAgentsOverwriteAfterRefresh = scenario(
  "twoAgentsOverwriteAfterRefresh",
  "alpha and beta, each with its own WAL: alpha sets doc-1 and doc-3, beta sets doc-2, refreshes, then overwrites doc-1 (having seen alpha's write)",
  async (dir) => {
    const alpha = new Published<Doc>();
    await alpha.open(dir, { agentId: "alpha", checkpointOnClose: false });
    const beta = new Published<Doc>();
    await beta.open(dir, { agentId: "beta", checkpointOnClose: false });
    await alpha.set("doc-1", { owner: "alpha", n: 1 });
    await beta.set("doc-2", { owner: "beta", n: 2 });
    await alpha.set("doc-3", { owner: "alpha", n: 3 });
    await beta.refresh();
    await beta.set("doc-1", { owner: "beta", n: 10 });
    await alpha.close();
    await beta.close();
    return { overwritten: { id: "doc-1", winner: "beta", value: { owner: "beta", n: 10 } } };
  },
);

export const lostWritesUnseenThenRetired = scenario(
  "lostWritesUnseenThenRetired",
  "alice and bob, neither refreshing: alice sets a1; bob sets b1, b2 and edits a1; alice sets a2 and compacts without having seen bob's three writes; bob appends b3, b4 to his retired WAL",
  async (dir) => {
    const alice = new Published<Doc>();
    await alice.open(dir, { agentId: "alice", checkpointOnClose: false });
    const bob = new Published<Doc>();
    await bob.open(dir, { agentId: "bob", checkpointOnClose: false });
    for (const [store, id, status] of [[alice, "a1", "todo"], [bob, "b1", "todo"], [bob, "b2", "unseen"], [bob, "a1", "unseen edit"], [alice, "a2", "todo"]] as const) {
      await store.set(id, { status });
      await nextMs();
    }
    await alice.compact();
    await nextMs();
    for (const id of ["b3", "b4"]) {
      await bob.set(id, { status: "after the compaction" });
      await nextMs();
    }
    await alice.close();
    await bob.close();
    return {
      compactedBy: "alice",
      /** bob's writes, in order: those alice's compaction dropped without having seen them, and those he appended to his retired WAL after it */
      lostWrites: { agent: "bob", unseenIds: ["b1", "b2", "a1"], afterCompactionIds: ["b3", "b4"] },
    };
  },
);

export const lostWritesPartlySeenOneHeldAnyway = scenario(
  "lostWritesPartlySeenOneHeldAnyway",
  "alice and bob: alice sets a1, bob sets b1, alice refreshes (sees b1); bob sets b2 and edits a1, alice sets a2 and compacts without refreshing; bob appends b3 and 'same' to his retired WAL; alice then writes 'same' with bob's value",
  async (dir) => {
    const open = async (agentId: string) => {
      const store = new Published<Task>();
      await store.open(dir, { agentId, checkpointOnClose: false });
      await nextMs();
      return store;
    };
    const alice = await open("alice");
    const bob = await open("bob");
    const step = async (store: Published<Task>, id: string, value: Task) => {
      await store.set(id, value);
      await nextMs();
    };
    await step(alice, "a1", task(1, "todo"));
    await step(bob, "b1", task(2, "todo"));
    await alice.refresh();
    await step(bob, "b2", task(3, "alice never saw this"));
    await step(bob, "a1", task(1, "bob's edit, unseen"));
    await step(alice, "a2", task(4, "todo"));
    await alice.compact();
    await nextMs();
    await step(bob, "b3", task(5, "after the compaction"));
    await step(bob, "same", task(6, "the same value"));
    await step(alice, "same", task(6, "the same value"));
    await alice.close();
    await bob.close();
    return {
      compactedBy: "alice",
      /** How many of bob's WAL lines alice had seen (read by her refresh) when she compacted */
      seenUpTo: 1,
      /** The id bob wrote after the compaction whose value alice wrote again later */
      heldAnywayId: "same",
    };
  },
);

/** Until the clock has moved on by `ms` (a condition polled, not a fixed sleep). */
async function clockMoves(ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) await new Promise((ok) => setImmediate(ok));
}

export const twoAgentsBurstUnderASecond = scenario(
  "twoAgentsBurstUnderASecond",
  "alpha and beta taking 6 turns each (a-<i>, b-<i>), 5 ms or more apart: all within well under a second, yet wider than the Agents axis's narrowest window (5 ms)",
  async (dir) => {
    const alpha = new Published<Doc>();
    await alpha.open(dir, { agentId: "alpha", checkpointOnClose: false });
    const beta = new Published<Doc>();
    await beta.open(dir, { agentId: "beta", checkpointOnClose: false });
    for (let i = 0; i < 6; i++) {
      await alpha.set(`a-${i}`, { n: i });
      await beta.set(`b-${i}`, { n: i });
      await clockMoves(5);
    }
    await alpha.close();
    await beta.close();
    return { turns: 6 };
  },
);

export const twoAgentsBlindWritesToOneKey = scenario(
  "twoAgentsBlindWritesToOneKey",
  "alpha and beta each set 'plan' ({by: <agent>}), neither having seen the other's write: last-writer-wins keeps one",
  async (dir) => {
    const alpha = new Published<Doc>();
    await alpha.open(dir, { agentId: "alpha", checkpointOnClose: false });
    const beta = new Published<Doc>();
    await beta.open(dir, { agentId: "beta", checkpointOnClose: false });
    await alpha.set("plan", { by: "alpha" });
    await beta.set("plan", { by: "beta" });
    await alpha.close();
    await beta.close();
    // Whichever value the published library keeps won.
    const winner = (Object.fromEntries(await publishedStateOfCopy(dir, true)).plan as { by: string }).by;
    return { conflict: { id: "plan", winner, loser: winner === "alpha" ? "beta" : "alpha" } };
  },
);

export const threeAgentsReviewTasks = scenario(
  "threeAgentsReviewTasks",
  "planner sets t0..t5 (todo); worker refreshes, sets t0..t3 doing and t0, t1 done; reviewer refreshes, sets t0, t2 done (reviewed), t1 back to doing, t4 done and deletes t5; no compaction: one WAL per agent",
  async (dir) => {
    const [planner, worker, reviewer] = [await openPublishedAgent(dir, "planner"), await openPublishedAgent(dir, "worker"), await openPublishedAgent(dir, "reviewer")];
    const set = (store: Published<Task>, i: number, status: string) => store.set(`t${i}`, task(i, status));
    for (let i = 0; i < 6; i++) await set(planner, i, "todo");
    await worker.refresh();
    for (let i = 0; i < 4; i++) await set(worker, i, "doing");
    for (const i of [0, 1]) await set(worker, i, "done");
    await reviewer.refresh();
    for (const i of [0, 2]) await set(reviewer, i, "done");
    await set(reviewer, 1, "doing");
    await set(reviewer, 4, "done");
    await reviewer.delete("t5");
    for (const store of [planner, worker, reviewer]) await store.close();
    return { reviewer: "reviewer" };
  },
);
