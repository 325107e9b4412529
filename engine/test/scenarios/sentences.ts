// Multi-writer stores whose explanations number ops: a conflict whose winner
// had read an earlier write of the same key (so its sentence names two ops),
// and a write lost after a compaction whose value the store holds anyway
// from a write made before that compaction.
import type { Store as Published } from "@backloghq/opslog";
import { nextMs, openPublishedAgent, task } from "./published.js";
import type { Task } from "./published.js";
import { scenario } from "./scenario.js";

export const twoAgentsConflictOverAReadWriteThenLostSameValue = scenario(
  "twoAgentsConflictOverAReadWriteThenLostSameValue",
  "alpha and beta: alpha writes x1, x2 and plan v1; beta refreshes (sees plan v1); alpha writes plan v2; beta writes plan v3 over v1 without having seen v2; beta writes keep; alpha refreshes and compacts; beta, not refreshed, writes keep again with the same value to its retired WAL (lost, held anyway by its own write before the compaction)",
  async (dir) => {
    const alpha = await openPublishedAgent(dir, "alpha");
    const beta = await openPublishedAgent(dir, "beta");
    const step = async (store: Published<Task>, id: string, value: Task) => {
      await store.set(id, value);
      await nextMs();
    };
    await step(alpha, "x1", task(1, "todo"));
    await step(alpha, "x2", task(2, "todo"));
    await step(alpha, "plan", task(10, "v1"));
    await beta.refresh();
    await step(alpha, "plan", task(10, "v2"));
    await step(beta, "plan", task(10, "v3, over v1")); // beta has not seen v2
    await step(beta, "keep", task(20, "kept"));
    await alpha.refresh();
    await alpha.compact();
    await nextMs();
    await step(beta, "keep", task(20, "kept")); // to the WAL alpha's compaction retired
    await alpha.close();
    await beta.close();
    return { conflictId: "plan", lostHeldAnywayId: "keep" };
  },
);
