// One record, doc-014 (a spec), revised again and again after the op a test
// reverts: the target op changes its status, removes its owner and adds a
// tag; the eight later ones change n each time, the title once and the
// status once, never the tag or the owner. Single writer with and without a
// compaction among the later ops, and two agents taking turns.
import { Store as Published } from "@backloghq/opslog";
import type { Doc } from "./published.js";
import { nextMs } from "./published.js";
import { scenario } from "./scenario.js";

const v1 = { title: "Spec", status: "draft", owner: "ann", n: 1 };
const target = { title: "Spec", status: "review", n: 1, tag: "x" };
const later: Doc[] = [];
for (let n = 2, v: Doc = target; n <= 9; n++) later.push((v = { ...v, n, ...(n === 4 ? { title: "Spec v2" } : {}), ...(n === 7 ? { status: "done" } : {}) }));

/** The record's values as its writers set them: created as v1, then target (the op under test), then the later ones. */
export const SPEC_REVISIONS = { id: "doc-014", v1, target, later, latest: later.at(-1)! };

export const specRevisedEightTimes = scenario(
  "specRevisedEightTimes",
  "single writer, one WAL: doc-001 set; doc-014 created, set to the target, then revised 8 times with doc-001 updated between",
  async (dir) => {
    const store = new Published<Doc>();
    await store.open(dir, { checkpointOnClose: false, checkpointThreshold: 1_000_000 });
    await store.set("doc-001", { title: "Other" });
    await store.set(SPEC_REVISIONS.id, v1);
    await store.set(SPEC_REVISIONS.id, target);
    for (const [i, v] of later.entries()) {
      await store.set(SPEC_REVISIONS.id, v);
      await store.set("doc-001", { title: `Other ${i + 2}` });
    }
    await store.close();
    return { revisions: SPEC_REVISIONS };
  },
);

export const specRevisedAcrossCompaction = scenario(
  "specRevisedAcrossCompaction",
  "single writer: doc-0..doc-4 set; doc-014 created, doc-1 updated, doc-014 set to the target, then 8 revisions each followed by an update of doc-<i>, with a compaction after the fourth",
  async (dir) => {
    const store = new Published<Doc>();
    await store.open(dir, { checkpointOnClose: false, checkpointThreshold: 1_000_000 });
    for (let i = 0; i < 5; i++) await store.set(`doc-${i}`, { title: `Doc ${i}` });
    await store.set(SPEC_REVISIONS.id, v1);
    await store.set("doc-1", { title: "Doc 1 again" });
    await store.set(SPEC_REVISIONS.id, target);
    for (const [i, v] of later.entries()) {
      await store.set(SPEC_REVISIONS.id, v);
      await store.set(`doc-${i}`, { title: `Doc ${i} v${i}` });
      if (i === 3) {
        await nextMs(); // snapshot and WAL names carry the ms: a compaction in the open's ms would overwrite its snapshot
        await store.compact();
      }
    }
    await store.close();
    return { revisions: SPEC_REVISIONS };
  },
);

export const specRevisedByTwoAgents = scenario(
  "specRevisedByTwoAgents",
  "planner creates doc-014 and doc-1; worker refreshes and sets doc-014 to the target; then planner and worker take turns revising it, each refreshing first",
  async (dir) => {
    const planner = new Published<Doc>();
    await planner.open(dir, { agentId: "planner", checkpointOnClose: false });
    const worker = new Published<Doc>();
    await worker.open(dir, { agentId: "worker", checkpointOnClose: false });
    await planner.set(SPEC_REVISIONS.id, v1);
    await planner.set("doc-1", { title: "Doc 1" });
    await worker.refresh();
    await worker.set(SPEC_REVISIONS.id, target);
    for (const [i, v] of later.entries()) {
      const writer = i % 2 === 0 ? planner : worker;
      await writer.refresh();
      await writer.set(SPEC_REVISIONS.id, v);
    }
    await worker.close();
    await planner.close();
    return { revisions: SPEC_REVISIONS, targetBy: "worker" };
  },
);
