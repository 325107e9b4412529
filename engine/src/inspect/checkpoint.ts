/**
 * How a long query stays cancellable: it works in chunks of CHECK_EVERY rows
 * and, between two, gives other messages a turn (a cancel may wait behind
 * it) and stops if its call was cancelled, with the one error that says so.
 */
import { OpslogError } from "../errors.js";

/** Rows a long query handles between two looks at whether its call was cancelled. */
export const CHECK_EVERY = 4096;

/** A call's cancellation, said the same way wherever it is noticed. */
export function cancelled(): OpslogError {
  return new OpslogError("cancelled", "This request was superseded by a newer one, so it was stopped.");
}

/**
 * Between two chunks of a long query: give other messages a turn (a cancel
 * may be waiting behind this query), then stop if the call was cancelled.
 * Without a signal nothing can cancel the call, and nothing is awaited.
 */
export async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return;
  await new Promise((resolve) => setImmediate(resolve));
  if (signal.aborted) throw cancelled();
}

/** The items `keep` accepts, a chunk at a time, stopping if the call is cancelled. */
export async function filterInChunks<T>(items: T[], keep: (item: T) => boolean, signal: AbortSignal | undefined): Promise<T[]> {
  if (!signal) return items.filter(keep);
  const out: T[] = [];
  for (let i = 0; i < items.length; i += CHECK_EVERY) {
    if (i > 0) await checkpoint(signal);
    const end = Math.min(items.length, i + CHECK_EVERY);
    for (let j = i; j < end; j++) if (keep(items[j])) out.push(items[j]);
  }
  return out;
}
