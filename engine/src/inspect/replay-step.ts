/**
 * One step of the Timeline's replay, answered at once: the op that led to
 * the position, the diff it made, the diff from there to the end, and the
 * state table's pages (through the watched query). Each part is its own
 * query's answer (timeline.ts, diff.ts, records.ts), so the panes read the
 * same as when asked one by one; asked together, a step costs the UI one
 * round trip and the engine one message, and a newer step stops it whole.
 * A state query that fails at this position fails the state alone: the
 * answer says why (stateError), and the op and the diffs still show.
 */
import { OpslogError } from "../errors.js";
import { checkpoint } from "./checkpoint.js";
import type { QueryContext } from "./context.js";
import { diffQueries } from "./diff.js";
import { recordQueries } from "./records.js";
import { timelineQueries } from "./timeline.js";
import type { Page, RecordRow, ReplayStep, ReplayStepRequest, StepStateError } from "./types.js";

async function replayStep(ctx: QueryContext, req: ReplayStepRequest, signal?: AbortSignal): Promise<ReplayStep> {
  const { pos, end } = req;
  ctx.checkAt(pos);
  ctx.checkAt(end);
  const op = pos > 0 ? await timelineQueries.op(ctx, { pos: pos - 1 }) : null;
  const opDiff = pos > 0 ? await diffQueries.diff(ctx, { a: pos - 1, b: pos, offset: 0, limit: req.opDiffLimit }, signal) : null;
  await checkpoint(signal);
  const laterDiff = await diffQueries.diff(ctx, { a: pos, b: end, offset: 0, limit: req.laterDiffLimit }, signal);
  const state: Page<RecordRow>[] = [];
  try {
    for (const page of req.statePages) {
      await checkpoint(signal);
      state.push(await recordQueries.records(ctx, { at: pos, offset: page.offset, limit: page.limit, ...(req.filter ? { filter: req.filter } : {}) }, signal));
    }
  } catch (err) {
    if (signal?.aborted) throw err; // superseded: the whole step stops
    return { pos, op, opDiff, laterDiff, state: [], stateError: stateError(err) };
  }
  return { pos, op, opDiff, laterDiff, state, stateError: null };
}

function stateError(err: unknown): StepStateError {
  if (err instanceof OpslogError) return { code: err.code, message: err.message, ...(err.file ? { file: err.file } : {}), ...(err.line ? { line: err.line } : {}) };
  return { code: "internal", message: (err as Error)?.message ?? String(err) };
}

export const replayStepQueries = { replayStep };
