/**
 * The Timeline's step: every pane at one position in one answer. The op, its
 * diff and the diff to the end are the engine's replayStep; the state table's
 * pages (through the watched query) are records calls asked once it has
 * answered, so a query that fails at this position, or runs past the
 * inspector's deadline there (the thread is then restarted), fails the state
 * pane alone: the answer says why in `stateError`, and the op and the diffs
 * still show.
 */
import type { InspectorApi, Page, RecordRow } from "../engine/src/inspect/index.js";
import { toContractError } from "./contract-error.js";
import type { ContractError, ReplayStepAnswer } from "./contract.js";
import type { z } from "zod";
import type { calls } from "./calls.js";

/** The call's argument as its schema parses it */
type ReplayStepArg = z.output<(typeof calls)["replayStep"]["schema"]>;

export async function replayStepCall(inspector: InspectorApi, arg: ReplayStepArg, signal?: AbortSignal): Promise<ReplayStepAnswer> {
  const { pos, end, opDiffLimit, laterDiffLimit, statePages, filter } = arg;
  // The op and the diffs first: a state query that holds the thread till its deadline must not take them down with it.
  const step = await inspector.replayStep({ pos, end, opDiffLimit, laterDiffLimit }, { signal });
  // One page failing stops the others: none is left holding the thread for an answer no one reads.
  const pages = new AbortController();
  const stop = () => pages.abort();
  signal?.addEventListener("abort", stop, { once: true });
  try {
    const state = await Promise.all(statePages.map((page) => inspector.records({ at: pos, ...page, ...(filter ? { filter } : {}) }, { signal: pages.signal })));
    return { ...step, state, stateError: null };
  } catch (err) {
    pages.abort();
    const error = toContractError(err);
    if (error.code === "cancelled") throw err; // the cursor moved on: the whole step is stopped
    return { ...step, state: [] as Page<RecordRow>[], stateError: stateFailure(error, pos, filter !== undefined) };
  } finally {
    signal?.removeEventListener("abort", stop);
  }
}

/** The state pane's sentence: where and what failed; a refused filter says so as it is (it fails at every position). */
function stateFailure(error: ContractError, pos: number, watched: boolean): ContractError {
  if (error.code === "bad-filter") return error;
  const what = watched ? "The watched query failed" : "The state could not be read";
  const why = error.message.charAt(0).toLowerCase() + error.message.slice(1);
  return { ...error, message: `${what} at position ${pos.toLocaleString("en-US")} (the op and its diffs still show): ${why}` };
}
