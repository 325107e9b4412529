/**
 * The inspector's one registry of queries, assembled from the concern files:
 * each query is a function of (the store's index and caches, one argument
 * object). Everything else is derived from it: InspectorApi (api.ts), the
 * inspector itself (inspector.ts), the thread's proxy and its dispatcher
 * (thread.ts, inspect-worker.ts), and the main process's forwarding calls.
 * Adding a query: write it in its concern file, add it to that file's export.
 */
import { archiveQueries } from "./archives.js";
import { bucketQueries } from "./buckets.js";
import type { QueryContext } from "./context.js";
import { diffQueries } from "./diff.js";
import { laneQueries } from "./lanes.js";
import { recordQueries } from "./records.js";
import { replayStepQueries } from "./replay-step.js";
import { schemaQueries } from "./schema.js";
import { summaryQueries } from "./summary.js";
import { timelineQueries } from "./timeline.js";

export const queries = {
  ...summaryQueries,
  ...timelineQueries,
  ...bucketQueries,
  ...diffQueries,
  ...replayStepQueries,
  ...recordQueries,
  ...schemaQueries,
  ...laneQueries,
  ...archiveQueries,
} satisfies Record<string, (ctx: QueryContext, arg: never) => Promise<unknown>>;

export type Queries = typeof queries;
export type QueryName = keyof Queries;

/** Every query's name, from the registry */
export const queryNames = Object.keys(queries) as QueryName[];
