/**
 * InspectorApi, derived from the query registry (queries.ts): each query
 * (ctx, arg) becomes a call (arg, options) answering a promise, plus the
 * inspector's own dir, refresh and close. Both the inspector in this thread
 * (inspector.ts) and its proxy in another (thread.ts) implement it. Types only.
 */
import type { QueryContext } from "./context.js";
import type { Queries, QueryName } from "./queries.js";
import type { RefreshResult } from "./types.js";

/** How a query is called: an aborted signal stops it, and the call fails with code "cancelled". */
export interface QueryOptions {
  signal?: AbortSignal;
}

/** A query as called: its one argument (optional when the query has none or a default) and the options. */
type Call<F> = F extends (ctx: QueryContext, ...rest: infer P) => infer R
  ? P extends [infer A, ...unknown[]]
    ? (arg: A, options?: QueryOptions) => R
    : (arg?: P[0], options?: QueryOptions) => R
  : never;

export type InspectorQueries = { [Q in QueryName]: Call<Queries[Q]> };

/** What query Q takes, and what it answers */
export type QueryArg<Q extends QueryName> = Parameters<InspectorQueries[Q]>[0];
export type QueryResult<Q extends QueryName> = Awaited<ReturnType<Queries[Q]>>;

/**
 * The inspector: a strictly read-only view of one store directory. It never
 * takes a lock and never writes a byte. Built by `openInspector(dir)`.
 */
export type InspectorApi = InspectorQueries & {
  readonly dir: string;
  /** Tail the WALs; rebuild if the manifest changed */
  refresh(): Promise<RefreshResult>;
  close(): Promise<void>;
};
