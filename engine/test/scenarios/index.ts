// The one library of test stores: named scenarios, each written by the
// published @backloghq/opslog (never by engine/src) and returned with the
// facts a test may expect of it, computed without the inspector (as the
// writer wrote them, from the raw WAL lines, or by the published opslog).
// Unit (engine), handler (electron) and e2e tests all build their stores here.
//
//   const store = await twentyTasksCompactedThenEdited.build(dir);
//   store.state, store.walLines, store.lastOp, ...
import { archivedThenCompacted, elevenHundredOpsOneWal, malformedLines, singleWriterCompactedThenArchived, sixTasksCompactedThenEdited, sixTasksHalfArchived, twentyTasksCompactedThenEdited, twentyTasksDoneArchived } from "./single-writer.js";
import { lostWritesPartlySeenOneHeldAnyway, lostWritesUnseenThenRetired, plannerAndWorkerOnJobs, threeAgentsConflictThenLostWrites, threeAgentsReviewTasks, twoAgentsBlindWritesToOneKey, twoAgentsBurstUnderASecond, twoAgentsOverwriteAfterRefresh } from "./multi-writer.js";
import { fourArchivesThenCompacted, twoAgentsArchiveAndRecreate } from "./archives.js";
import { twoAgentsConflictOverAReadWriteThenLostSameValue } from "./sentences.js";
import { CSV_TRAPS, csvTrapsPastTheFirstThousand, dottedKeysBesideNestedPaths } from "./exports.js";
import { SPEC_REVISIONS, specRevisedAcrossCompaction, specRevisedByTwoAgents, specRevisedEightTimes } from "./revisions.js";

export { archivedThenCompacted, elevenHundredOpsOneWal, malformedLines, singleWriterCompactedThenArchived, sixTasksCompactedThenEdited, sixTasksHalfArchived, twentyTasksCompactedThenEdited, twentyTasksDoneArchived };
export { lostWritesPartlySeenOneHeldAnyway, lostWritesUnseenThenRetired, plannerAndWorkerOnJobs, threeAgentsConflictThenLostWrites, threeAgentsReviewTasks, twoAgentsBlindWritesToOneKey, twoAgentsBurstUnderASecond, twoAgentsOverwriteAfterRefresh };
export { fourArchivesThenCompacted, twoAgentsArchiveAndRecreate };
export type { Written } from "./archives.js";
export { twoAgentsConflictOverAReadWriteThenLostSameValue };
export { CSV_TRAPS, csvTrapsPastTheFirstThousand, dottedKeysBesideNestedPaths };
export { SPEC_REVISIONS, specRevisedAcrossCompaction, specRevisedByTwoAgents, specRevisedEightTimes };
export { observe, previousValue, walLinesOf } from "./facts.js";
export type { Manifest, RawOp, StoreFacts, WalLine } from "./facts.js";
export { nextMs, openPublishedAgent, publishedState, publishedStateOfCopy, StateLog, task } from "./published.js";
export type { Doc, State, Task } from "./published.js";
export type { FactsOf, Scenario } from "./scenario.js";

/** Every scenario, for tests that run on each kind of store. */
export const SCENARIOS = [
  singleWriterCompactedThenArchived,
  twentyTasksCompactedThenEdited,
  sixTasksCompactedThenEdited,
  malformedLines,
  archivedThenCompacted,
  sixTasksHalfArchived,
  elevenHundredOpsOneWal,
  twentyTasksDoneArchived,
  threeAgentsConflictThenLostWrites,
  plannerAndWorkerOnJobs,
  twoAgentsOverwriteAfterRefresh,
  lostWritesUnseenThenRetired,
  lostWritesPartlySeenOneHeldAnyway,
  twoAgentsBurstUnderASecond,
  twoAgentsBlindWritesToOneKey,
  threeAgentsReviewTasks,
  fourArchivesThenCompacted,
  twoAgentsArchiveAndRecreate,
  specRevisedEightTimes,
  specRevisedAcrossCompaction,
  specRevisedByTwoAgents,
  twoAgentsConflictOverAReadWriteThenLostSameValue,
  csvTrapsPastTheFirstThousand,
  dottedKeysBesideNestedPaths,
] as const;
