/**
 * Per-agent WAL lanes and the writes the store lost: each WAL file with its
 * ops in file order (replayed or not), last-writer-wins conflicts (found as
 * the index is built, explained here from what the winner had read), and
 * lost writes (ops no reader sees; see lost-writes.ts).
 */
import { OpslogError } from "../errors.js";
import type { QueryContext } from "./context.js";
import { explainConflict } from "./conflicts.js";
import { ABSENT } from "./versions.js";
import { prevOf } from "./walscan.js";
import type { ScannedOp } from "./walscan.js";
import type { AgentLane, Conflict, ConflictsRequest, Doc, LaneOp, LaneOpsRequest, LostWrite, OpRef, Page, PageRequest } from "./types.js";

async function lanes(ctx: QueryContext): Promise<AgentLane[]> {
  const table = ctx.ops;
  const lost = new Set(ctx.lostWrites);
  return ctx.lanes.map((lane) => {
    let clockMin = Infinity;
    let clockMax = -Infinity;
    let first = -1;
    let last = -1;
    let lostOps = 0;
    let agent = 0;
    for (let i = 0; i < lane.entries.length; i++) {
      const e = lane.entries.get(i);
      const clock = table.clock(e);
      if (clock !== null) {
        if (clock < clockMin) clockMin = clock;
        if (clock > clockMax) clockMax = clock;
      }
      if (first === -1 || table.tsMs(e) < table.tsMs(first)) first = e;
      if (last === -1 || table.tsMs(e) > table.tsMs(last)) last = e;
      if (lost.has(e)) lostOps++;
      if (agent === 0) agent = table.agent(e);
    }
    return {
      path: lane.entry.path,
      agent: lane.entry.agent ?? ctx.agentName(agent),
      named: lane.named,
      ops: lane.entries.length,
      bytes: lane.end,
      clockRange: clockMin === Infinity ? null : [clockMin, clockMax],
      tsRange: first === -1 ? null : [table.ts(first), table.ts(last)],
      malformedLines: lane.skipped.length,
      lostOps,
    };
  });
}

async function laneOps(ctx: QueryContext, req: LaneOpsRequest): Promise<Page<LaneOp>> {
  const { path } = req;
  const lane = ctx.lanes.find((l) => l.entry.path === path);
  if (!lane) throw new OpslogError("not-found", `No WAL file ${path} in this store.`);
  const table = ctx.ops;
  const entries: number[] = [];
  for (let i = req.offset; i < Math.min(lane.entries.length, req.offset + req.limit); i++) entries.push(lane.entries.get(i));
  const ops = ctx.readOps(entries);
  // Replayed ops show the state before them; the others, what their writer thought it was.
  const prevSrcs = entries.map((e) => (table.pos(e) >= 0 ? ctx.stateAt(table.rec(e), table.pos(e)) : ABSENT));
  const prevs = ctx.values(prevSrcs);
  const rows = entries.map((e, i): LaneOp => {
    const op = ops.get(e)!;
    const pos = table.pos(e);
    const prev = pos >= 0 ? prevs[i] : prevOf(op);
    return { file: path, line: op.line, offset: op.offset, ts: op.ts, agent: op.agent, clock: op.clock, op: op.op, id: op.id, data: op.data, prev, encoding: op.encoding, pos: pos >= 0 ? pos : null, epoch: pos >= 0 ? table.epoch(e) : null, lost: ctx.isLost(e) };
  });
  return { rows, total: lane.entries.length, offset: req.offset, limit: req.limit };
}

function ref(ctx: QueryContext, op: ScannedOp): OpRef & { data: Doc | null; op: "set" | "delete" } {
  const pos = ctx.positionOf(op.entry);
  return { pos: pos >= 0 ? pos : null, file: ctx.file(op.entry), line: op.line, agent: op.agent, clock: op.clock, ts: op.ts, data: op.data, op: op.op };
}

async function conflicts(ctx: QueryContext, req: ConflictsRequest): Promise<Page<Conflict>> {
  const all = req.pos === undefined ? ctx.conflicts : ctx.conflicts.filter((c) => ctx.positionOf(c.winner) === req.pos || c.losers.some((l) => ctx.positionOf(l) === req.pos));
  const slice = all.slice(req.offset, req.offset + req.limit);
  const ops = ctx.readOps(slice.flatMap((c) => [c.winner, ...c.losers]));
  const rows = slice.map((c) => {
    const winner = ops.get(c.winner)!;
    const losers = c.losers.map((l) => ops.get(l)!);
    const read = ctx.winnerRead(c, winner);
    const explanation = explainConflict({ id: winner.id, winner: { agent: winner.agent, op: winner.op }, loser: { agent: losers[0].agent, pos: ref(ctx, losers[0]).pos }, read });
    return { id: winner.id, winner: ref(ctx, winner), losers: losers.map((l) => ref(ctx, l)), explanation };
  });
  return { rows, total: all.length, offset: req.offset, limit: req.limit };
}

async function lostWrites(ctx: QueryContext, req: PageRequest): Promise<Page<LostWrite>> {
  const slice = ctx.lostWrites.slice(req.offset, req.offset + req.limit);
  const ops = ctx.readOps(slice);
  const rows = slice.map((e): LostWrite => ctx.lostWrite(e, ops.get(e)!));
  return { rows, total: ctx.lostWrites.length, offset: req.offset, limit: req.limit };
}

/** The WAL lanes, one lane's ops, the conflicts (all, or those one op is in) and the lost writes. */
export const laneQueries = { lanes, laneOps, conflicts, lostWrites };
