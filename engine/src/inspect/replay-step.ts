/**
 * One step of the Timeline's replay, answered at once: the op that led to
 * the position, the diff it made, and the diff from there to the end. Each
 * part is its own query's answer (timeline.ts, diff.ts), so the panes read
 * the same as when asked one by one; asked together, a step costs the engine
 * one message, and a newer step stops it whole. The state's pages (through
 * the watched query) are asked after it as records calls (the main
 * process's replay-step.ts), so a query that fails at a position, or runs
 * past the call's deadline, fails the state pane alone.
 */
import { checkpoint } from "./checkpoint.js";
import type { QueryContext } from "./context.js";
import { diffQueries } from "./diff.js";
import { timelineQueries } from "./timeline.js";
import type { ReplayStep, ReplayStepRequest } from "./types.js";

async function replayStep(ctx: QueryContext, req: ReplayStepRequest, signal?: AbortSignal): Promise<ReplayStep> {
  const { pos, end } = req;
  ctx.checkAt(pos);
  ctx.checkAt(end);
  const op = pos > 0 ? await timelineQueries.op(ctx, { pos: pos - 1 }) : null;
  const opDiff = pos > 0 ? await diffQueries.diff(ctx, { a: pos - 1, b: pos, offset: 0, limit: req.opDiffLimit }, signal) : null;
  await checkpoint(signal);
  const laterDiff = await diffQueries.diff(ctx, { a: pos, b: end, offset: 0, limit: req.laterDiffLimit }, signal);
  return { pos, op, opDiff, laterDiff };
}

export const replayStepQueries = { replayStep };
