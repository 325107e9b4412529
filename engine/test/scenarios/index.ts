// The one library of test stores: named scenarios, each written by the
// published @backloghq/opslog (never by engine/src) and returned with the
// facts a test may expect of it, computed without the inspector (as the
// writer wrote them, from the raw WAL lines, or by the published opslog).
// Unit (engine), handler (electron) and e2e tests all build their stores here.
//
//   const store = await twentyTasksCompactedThenEdited.build(dir);
//   store.state, store.walLines, store.lastOp, ...
import { archivedThenCompacted, elevenHundredOpsOneWal, malformedLines, singleWriterCompactedThenArchived, sixTasksCompactedThenEdited, sixTasksHalfArchived, twentyTasksCompactedThenEdited, twentyTasksDoneArchived } from "./single-writer.js";
import { lostWritesPartlySeenOneHeldAnyway, lostWritesUnseenThenRetired, plannerAndWorkerOnJobs, threeAgentsArchiveThenLostWrites, threeAgentsConflictThenLostWrites, threeAgentsReviewTasks, twoAgentsBlindWritesToOneKey, twoAgentsBurstUnderASecond, twoAgentsOverwriteAfterRefresh } from "./multi-writer.js";
import { archiveNameReused, archiveNameReusedOneId, fourArchivesThenCompacted, twoAgentsArchiveAndRecreate } from "./archives.js";
import { tornByUndoManyUndos, tornByUndoShortFragment } from "./torn-by-undo.js";
import { threeAgentsCurrentSnapshotMissing, twentyTasksCurrentSnapshotMissing } from "./missing-snapshot.js";
import { snapshotEditedByHand, tornByUndoCrlfTornTail, tornLastLine, walUnreadable } from "./damaged.js";
import { twoAgentsConflictOverAReadWriteThenLostSameValue } from "./sentences.js";
import { CSV_TRAPS, csvTrapsPastTheFirstThousand, dottedKeysBesideNestedPaths } from "./exports.js";
import { SPEC_REVISIONS, specRevisedAcrossCompaction, specRevisedByTwoAgents, specRevisedEightTimes } from "./revisions.js";
import { lostFixThenLaterEdits } from "./repairs.js";
import { mixedValuesCompactedThenEdited } from "./mixed-values.js";

export { archivedThenCompacted, elevenHundredOpsOneWal, malformedLines, singleWriterCompactedThenArchived, sixTasksCompactedThenEdited, sixTasksHalfArchived, twentyTasksCompactedThenEdited, twentyTasksDoneArchived };
export { lostWritesPartlySeenOneHeldAnyway, lostWritesUnseenThenRetired, plannerAndWorkerOnJobs, threeAgentsArchiveThenLostWrites, threeAgentsConflictThenLostWrites, threeAgentsReviewTasks, twoAgentsBlindWritesToOneKey, twoAgentsBurstUnderASecond, twoAgentsOverwriteAfterRefresh };
export { archiveNameReused, archiveNameReusedOneId, fourArchivesThenCompacted, twoAgentsArchiveAndRecreate };
export type { ArchivesWritten, Written } from "./archives.js";
export { tornByUndoManyUndos, tornByUndoShortFragment, tornLinesOf } from "./torn-by-undo.js";
export type { TornLine } from "./torn-by-undo.js";
export { threeAgentsCurrentSnapshotMissing, twentyTasksCurrentSnapshotMissing };
export type { SnapshotRemoved } from "./missing-snapshot.js";
export { snapshotEditedByHand, tornByUndoCrlfTornTail, tornLastLine, walUnreadable };
export { twoAgentsConflictOverAReadWriteThenLostSameValue };
export { CSV_TRAPS, csvTrapsPastTheFirstThousand, dottedKeysBesideNestedPaths };
export { SPEC_REVISIONS, specRevisedAcrossCompaction, specRevisedByTwoAgents, specRevisedEightTimes };
export { lostFixThenLaterEdits };
export { MIXED_RECORDS, mixedId, mixedRecord, mixedValuesCompactedThenEdited } from "./mixed-values.js";
export { observe, previousValue, walLinesOf } from "./facts.js";
export type { Manifest, RawOp, StoreFacts, WalLine } from "./facts.js";
export { nextMs, openPublishedAgent, publishedState, publishedStateOfCopy, StateLog, task } from "./published.js";
export type { Doc, State, Task } from "./published.js";
export type { AgentScenario, FactsOf, OpenAgent, Scenario } from "./scenario.js";

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
  threeAgentsArchiveThenLostWrites,
  plannerAndWorkerOnJobs,
  twoAgentsOverwriteAfterRefresh,
  lostWritesUnseenThenRetired,
  lostWritesPartlySeenOneHeldAnyway,
  twoAgentsBurstUnderASecond,
  twoAgentsBlindWritesToOneKey,
  threeAgentsReviewTasks,
  fourArchivesThenCompacted,
  twoAgentsArchiveAndRecreate,
  archiveNameReused,
  archiveNameReusedOneId,
  specRevisedEightTimes,
  specRevisedAcrossCompaction,
  specRevisedByTwoAgents,
  tornByUndoShortFragment,
  tornByUndoManyUndos,
  twentyTasksCurrentSnapshotMissing,
  threeAgentsCurrentSnapshotMissing,
  lostFixThenLaterEdits,
  snapshotEditedByHand,
  tornLastLine,
  tornByUndoCrlfTornTail,
  walUnreadable,
  twoAgentsConflictOverAReadWriteThenLostSameValue,
  csvTrapsPastTheFirstThousand,
  dottedKeysBesideNestedPaths,
  mixedValuesCompactedThenEdited,
] as const;
