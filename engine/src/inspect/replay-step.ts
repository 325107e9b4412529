/**
 * One step of the Timeline's replay, answered at once: the op that led to
 * the position, the diff it made, the diff from there to the end, and the
 * state table's pages (through the watched query). Each part is its own
 * query's answer (timeline.ts, diff.ts, records.ts), so the panes read the
 * same as when asked one by one; asked together, a step costs the UI one
 * round trip and the engine one message, and a newer step stops it whole.
 */
import { checkpoint } from "./checkpoint.js";
import type { QueryContext } from "./context.js";
import { diffQueries } from "./diff.js";
import { recordQueries } from "./records.js";
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
  const state = [];
  for (const page of req.statePages) {
    await checkpoint(signal);
    state.push(await recordQueries.records(ctx, { at: pos, offset: page.offset, limit: page.limit, ...(req.filter ? { filter: req.filter } : {}) }, signal));
  }
  return { pos, op, opDiff, laterDiff, state };
}

export const replayStepQueries = { replayStep };
