/**
 * The renderer's one way to keep what a view shows in step with the store:
 * `useQuery(call, arg)` asks when the view appears, and again whenever the
 * argument changes or the store does (the session's revision: a live write,
 * an action, another store opened). Only the answer to the newest request is
 * kept: an older one arriving late is dropped. Each request carries a
 * `supersede` key of its own, so the server can stop the request a newer one
 * replaces; the stopped request's "cancelled" answer is ignored.
 *
 * `call` gets the argument and the request. It asks the api directly (the
 * answer is the hook's `data`), or runs a zustand store's action when the
 * store owns the data (IO lives in a store's actions, not in components'
 * effects, as in Excalidraw and tldraw): the action
 * passes `request.options` to its calls and keeps an answer only while
 * `request.current()`. Everything the answer depends on, besides the
 * store, must be in `arg` (compared by value, as JSON).
 */
import { useEffect, useId, useState } from "react";
import { useStore } from "zustand";
import { createStore } from "zustand/vanilla";
import type { StoreApi } from "zustand/vanilla";
import { errorText } from "../api/client";
import type { ShownError } from "../api/client";
import { useSession } from "./session";
import { isCancelled, supersedeKey } from "./request";
import type { QueryRequest } from "./request";

export interface QueryState<T> {
  /** The newest answer (null before the first, and after an error) */
  data: T | null;
  error: ShownError | null;
  /** A request is out whose answer will replace what is shown */
  loading: boolean;
}

export type QueryCall<A, T> = (arg: A, request: QueryRequest) => Promise<T>;

export interface Query<A, T> {
  state: StoreApi<QueryState<T>>;
  /** Ask `call(arg)` unless the last request already asked for this arg at this store revision; from a new request on, only its answer is kept */
  sync(call: QueryCall<A, T>, arg: A, revision: number): void;
}

/** A query outside React: what useQuery runs (and what its tests drive). */
export function createQuery<A, T>(supersede: string): Query<A, T> {
  const state = createStore<QueryState<T>>()(() => ({ data: null, error: null, loading: false }));
  let newest = 0;
  let asked: string | null = null;
  function sync(call: QueryCall<A, T>, arg: A, revision: number): void {
    const key = `${revision} ${JSON.stringify(arg)}`;
    if (key === asked) return;
    asked = key;
    const id = ++newest;
    const request: QueryRequest = { options: { supersede }, current: () => id === newest };
    state.setState({ loading: true });
    (async () => call(arg, request))().then(
      (data) => {
        if (request.current()) state.setState({ data, error: null, loading: false });
      },
      (err: unknown) => {
        // Cancelled: a newer request with our key stopped it, and that one answers.
        if (request.current() && !isCancelled(err)) state.setState({ data: null, error: errorText(err), loading: false });
      },
    );
  }
  return { state, sync };
}

/**
 * `call(arg)`'s answer, kept fresh: asked on mount, when `arg` changes (by
 * value) and when the store changes. `supersede` names the request for the
 * server; by default each use of the hook has a key of its own.
 */
export function useQuery<A, T>(call: QueryCall<A, T>, arg: A, options: { supersede?: string } = {}): QueryState<T> {
  const id = useId();
  const [query] = useState(() => createQuery<A, T>(supersedeKey(options.supersede ?? `query${id}`)));
  const revision = useSession((s) => s.revision);
  // After each render: asks only when the arg's value or the revision changed (so StrictMode's second mount asks nothing).
  useEffect(() => query.sync(call, arg, revision));
  return useStore(query.state);
}
