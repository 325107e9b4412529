/**
 * What belongs to the open store, and so must be forgotten when another one
 * opens: each such zustand store registers here as it is created, and opening
 * a store puts every one back to its initial state (zustand's
 * getInitialState). A new store of this kind registers itself: no hand-kept
 * list of fields to miss (the Operations filters once carried over).
 */
import type { StoreApi } from "zustand";

const registered: StoreApi<object>[] = [];

/** Register a store whose whole state belongs to the open store; returns it, so creation sites read `forgetOnOpen(create(...))`. */
export function forgetOnOpen<S extends StoreApi<object>>(store: S): S {
  registered.push(store);
  return store;
}

/** Put every registered store back to its initial state. */
export function forgetEveryStore(): void {
  for (const store of registered) store.setState(store.getInitialState(), true);
}
