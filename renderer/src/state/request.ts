/**
 * One request a view makes of the open store (see query.ts): the options its
 * calls carry (a `supersede` key, so the server can stop the request this one
 * replaces) and whether it is still the newest, so that an answer arriving
 * after a newer request is dropped. A store action that loads for a view
 * takes one and keeps its answer only while `current()`.
 */
import type { CallOptions } from "../../../electron/contract";
import { CallError } from "../../../electron/call-error";

export interface QueryRequest {
  /** Pass to each api call: a newer request with the same key stops this one on the server */
  options: CallOptions;
  /** False once a newer request of the same query was made: its answer is no longer wanted */
  current(): boolean;
}

/** Keys differ between pages (windows, tabs) that share one server in browser mode. */
const PAGE_KEY = Math.random().toString(36).slice(2, 10);

/** A supersede key for `name`, unique to this page: what a newer request must repeat to stop an older one. */
export function supersedeKey(name: string): string {
  return `${PAGE_KEY}:${name}`;
}

/** For a load nobody supersedes (a one-off, outside any query): always wanted, no key. */
export const ONE_OFF: QueryRequest = { options: {}, current: () => true };

/** The same request, for one of several calls it makes at once: each needs a key of its own, or they would stop each other. */
export function part(request: QueryRequest, name: string): QueryRequest {
  const key = request.options.supersede;
  return { options: key ? { supersede: `${key}/${name}` } : {}, current: request.current };
}

/** The server stopped this call because a newer one with the same key came: not an error to show, a newer answer is on its way. */
export function isCancelled(err: unknown): boolean {
  return err instanceof CallError && err.code === "cancelled";
}

/** Whether an answer (or an error) is still wanted: the request is the newest and was not stopped. */
export function stillWanted(request: QueryRequest, err?: unknown): boolean {
  return request.current() && !isCancelled(err);
}
