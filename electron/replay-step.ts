/**
 * The Timeline's step: every pane at one position in one answer (the
 * engine's replayStep: the op, its diff, the diff to the end and the state's
 * pages through the watched query, in one message to the inspector's thread).
 * A state query that fails at this position fails the state pane alone: the
 * engine says why (stateError). One that runs past the thread's deadline
 * takes the whole call down with the thread, which is restarted: then the
 * step is asked again without its state, so the op and the diffs still
 * show, and the state pane says the watched query ran too long there.
 */
import type { z } from "zod";
import { OpslogError } from "../engine/src/errors.js";
import type { InspectorApi, StepStateError } from "../engine/src/inspect/index.js";
import type { calls } from "./calls.js";
import { toContractError } from "./contract-error.js";
import type { ContractError, ReplayStepAnswer } from "./contract.js";

/** The call's argument as its schema parses it */
type ReplayStepArg = z.output<(typeof calls)["timeline.step"]["schema"]>;

export async function replayStepCall(inspector: InspectorApi, arg: ReplayStepArg, signal?: AbortSignal): Promise<ReplayStepAnswer> {
  const watched = arg.filter !== undefined;
  try {
    const step = await inspector.replayStep(arg, { signal });
    return { ...step, stateError: step.stateError ? stateFailure(fromEngine(step.stateError), arg.pos, watched) : null };
  } catch (err) {
    const error = toContractError(err);
    if (error.code !== "timeout" || arg.statePages.length === 0) throw err;
    // Past the deadline (the thread restarted): the step again without its state; if that fails too, the step fails whole.
    const step = await inspector.replayStep({ ...arg, statePages: [], filter: undefined }, { signal });
    return { ...step, state: [], stateError: stateFailure(error, arg.pos, watched) };
  }
}

function fromEngine(error: StepStateError): ContractError {
  if (error.code === "internal") return toContractError(new Error(error.message));
  return toContractError(new OpslogError(error.code, error.message, { file: error.file, line: error.line }));
}

/** The state pane's sentence: where and what failed; a refused filter says so as it is (it fails at every position). */
function stateFailure(error: ContractError, pos: number, watched: boolean): ContractError {
  if (error.code === "bad-filter") return error;
  const what = watched ? "The watched query failed" : "The state could not be read";
  const why = error.message.charAt(0).toLowerCase() + error.message.slice(1);
  return { ...error, message: `${what} at position ${pos.toLocaleString("en-US")} (the op and its diffs still show): ${why}` };
}
