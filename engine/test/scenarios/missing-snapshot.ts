// Stores whose current snapshot was removed after the published opslog wrote
// them (the manifest still names it). The published opslog refuses to open
// such a store; each scenario returns the removed file and that refusal.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { Store as Published } from "@backloghq/opslog";
import { threeAgentsConflictThenLostWrites } from "./multi-writer.js";
import type { Scenario } from "./scenario.js";
import { twentyTasksCompactedThenEdited } from "./single-writer.js";

export interface SnapshotRemoved {
  /** The current snapshot the manifest names, removed */
  removed: string;
  /** The published opslog's error on opening the store afterwards */
  refusal: string;
}

/**
 * `base`, built, then its current snapshot removed. The facts (state too)
 * are the store's as built, before the removal: afterwards the published
 * opslog reads nothing at all.
 */
function withCurrentSnapshotRemoved<Own extends object>(name: string, base: Scenario<Own>): Scenario<Own & SnapshotRemoved> {
  return {
    name,
    holds: `${base.name} (${base.holds}), then its current snapshot removed: manifest.json still names it`,
    async build(dir) {
      const facts = await base.build(dir);
      const removed = facts.manifest.currentSnapshot;
      await rm(join(dir, removed));
      const store = new Published();
      const refusal = await store.open(dir, { readOnly: true }).then(
        () => "",
        (err: Error) => err.message,
      );
      return { ...facts, removed, refusal };
    },
  };
}

export const twentyTasksCurrentSnapshotMissing = withCurrentSnapshotRemoved("twentyTasksCurrentSnapshotMissing", twentyTasksCompactedThenEdited);
export const threeAgentsCurrentSnapshotMissing = withCurrentSnapshotRemoved("threeAgentsCurrentSnapshotMissing", threeAgentsConflictThenLostWrites);
