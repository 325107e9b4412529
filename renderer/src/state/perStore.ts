/**
 * What belongs to the open store, and so must be forgotten when another one
 * opens: each such zustand store registers here as it is created (the whole
 * store, or the fields of it that are the store's), and opening a store puts
 * every one back to its initial state (zustand's getInitialState), after
 * stopping what it runs (a replay's timer). A newest-request ticket
 * registers too, so an answer the last store asked for never lands in the
 * next. No hand-kept list of fields to miss (the Operations filters once
 * carried over; a jump asked for in one store once landed in the next).
 */
import type { StoreApi } from "zustand";

interface Registered {
  store: StoreApi<object>;
  /** The fields that belong to the open store; all of them when absent */
  fields?: string[];
  /** Stop what the store runs (timers), before its state goes */
  stop?: () => void;
}

const registered: Registered[] = [];
const tickets: NewestRequest[] = [];

/**
 * Register a store whose state belongs to the open store; returns it, so
 * creation sites read `forgetOnOpen(create(...))`. `fields`: only these
 * belong to the store (the rest is the app's); `stop`: run before the reset.
 */
export function forgetOnOpen<S extends StoreApi<object>>(store: S, options: { fields?: (keyof ReturnType<S["getState"]>)[]; stop?: (state: ReturnType<S["getState"]>) => void } = {}): S {
  const stop = options.stop;
  registered.push({ store, fields: options.fields as string[] | undefined, stop: stop ? () => stop(store.getState() as ReturnType<S["getState"]>) : undefined });
  return store;
}

/** Put every registered store back to its initial state, and forget every request asked so far. */
export function forgetEveryStore(): void {
  for (const { stop } of registered) stop?.();
  for (const { store, fields } of registered) {
    const initial = store.getInitialState() as Record<string, unknown>;
    if (fields) store.setState(Object.fromEntries(fields.map((f) => [f, initial[f]])));
    else store.setState(initial, true);
  }
  for (const ticket of tickets) ticket.forget();
}

/** Which answer a store still wants: the newest request's, and none asked before another store opened. */
export class NewestRequest {
  private asked = 0;
  constructor() {
    tickets.push(this);
  }
  /** A new request; the function says whether it is still the newest. */
  ask(): () => boolean {
    const mine = ++this.asked;
    return () => mine === this.asked;
  }
  forget(): void {
    this.asked++;
  }
}
