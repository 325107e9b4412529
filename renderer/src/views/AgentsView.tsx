/**
 * Agents: one swimlane per WAL on a shared time axis, each op a mark.
 * Retired WALs are flagged; conflicts and lost writes are highlighted and explained.
 */
import { useEffect, useMemo } from "react";
import type { AgentLane, LaneOp } from "../../../electron/contract";
import { MARK_LIMIT, useAgents } from "../state/agents";
import { useSession } from "../state/session";
import { useUi } from "../state/ui";
import { shortTime } from "../components/format";
import { PaneError } from "../components/PaneError";

export function AgentsView() {
  const revision = useSession((s) => s.revision);
  const { lanes, laneOps, conflicts, conflictTotal, lost, lostTotal, error, load } = useAgents();
  useEffect(() => {
    void load();
  }, [revision, load]);
  const range = useMemo(() => timeRange(lanes), [lanes]);
  const conflictPos = useMemo(() => new Set(conflicts.flatMap((c) => [c.winner.pos, ...c.losers.map((l) => l.pos)])), [conflicts]);
  if (error) return <PaneError error={error} />;
  return (
    <div className="scroll-pane">
      <section className="lanes">
        <div className="lane-axis"><span>{range ? shortTime(new Date(range[0]).toISOString()) : ""}</span><span>{range ? shortTime(new Date(range[1]).toISOString()) : ""}</span></div>
        {lanes.map((lane) => <Lane key={lane.path} lane={lane} ops={laneOps[lane.path] ?? []} range={range} conflictPos={conflictPos} />)}
        {lanes.length === 0 ? <div className="empty">This store has no WAL files.</div> : null}
        <div className="legend"><span className="mark set" /> set <span className="mark delete" /> delete <span className="mark conflict" /> in a conflict <span className="mark lost" /> lost write</div>
      </section>
      <section className="explain">
        <h2>Conflicts <span className="muted">({conflictTotal})</span></h2>
        <p className="muted">Two agents wrote the same record, and the later one had not seen the earlier write. opslog resolves this by last-writer-wins on (Lamport clock, agent id): the loser's write disappears without a trace in the current state. Both are still in the WALs, listed here.</p>
        {conflicts.length === 0 ? <div className="muted">No conflicts: every overriding write had seen the one it replaced.</div> : null}
        {conflicts.map((c, i) => (
          <div key={i} className="conflict-item" data-testid="conflict-item">
            <div><b className="mono">{c.id}</b>: {c.explanation}</div>
            <div className="mono small">kept: #{c.winner.pos} {c.winner.agent} (clock {c.winner.clock}) {c.winner.file}:{c.winner.line}</div>
            {c.losers.map((l, j) => <div key={j} className="mono small lost-text">overridden: #{l.pos} {l.agent} (clock {l.clock}) {l.file}:{l.line} wrote {JSON.stringify(l.data)}</div>)}
            <button className="link" onClick={() => { useUi.getState().selectOp(c.winner.pos); useUi.getState().show("operations"); }}>show op</button>
          </div>
        ))}
      </section>
      <section className="explain">
        <h2>Lost writes <span className="muted">({lostTotal})</span></h2>
        <p className="muted">An agent kept appending to its old WAL after another agent compacted the store. The manifest no longer names that file, so no reader replays it: the writes are on disk but not in the store, though the agent that wrote them believes they were saved.</p>
        {lost.length === 0 ? <div className="muted">No lost writes.</div> : null}
        {lost.map((l, i) => (
          <div key={i} className="lost-write-item" data-testid="lost-write-item">
            <div><b className="mono">{l.id}</b> <span className={`op-badge ${l.op}`}>{l.op}</span> by {l.agent ?? "writer"} at {shortTime(l.ts)}</div>
            <div className="small">{l.explanation}</div>
            <div className="mono small">{l.file}:{l.line} {JSON.stringify(l.data)}</div>
          </div>
        ))}
      </section>
    </div>
  );
}

function timeRange(lanes: AgentLane[]): [number, number] | null {
  const times = lanes.flatMap((l) => (l.tsRange ? [Date.parse(l.tsRange[0]), Date.parse(l.tsRange[1])] : []));
  return times.length ? [Math.min(...times), Math.max(...times)] : null;
}

function Lane({ lane, ops, range, conflictPos }: { lane: AgentLane; ops: LaneOp[]; range: [number, number] | null; conflictPos: Set<number | null> }) {
  const span = range ? Math.max(1, range[1] - range[0]) : 1;
  return (
    <div className={`lane ${lane.named ? "" : "retired"}`} data-testid="lane">
      <div className="lane-label">
        <div><b>{lane.agent ?? "single writer"}</b> {lane.named ? null : <span className="flag quiet" title="The manifest no longer names this WAL: a compaction retired it. Its ops are history (see the History view), unless marked lost">retired</span>}{lane.lostOps ? <span className="flag bad">{lane.lostOps} lost</span> : null}</div>
        <div className="mono small muted" title={lane.path}>{lane.path.replace("ops/", "")}</div>
        <div className="small muted">{lane.ops} ops · {(lane.bytes / 1024).toFixed(1)} KB{lane.clockRange ? ` · clock ${lane.clockRange[0]}–${lane.clockRange[1]}` : ""}{lane.malformedLines ? ` · ${lane.malformedLines} bad lines` : ""}</div>
      </div>
      <div className="lane-track">
        {ops.map((op, i) => {
          const left = range ? ((Date.parse(op.ts) - range[0]) / span) * 100 : 0;
          const cls = op.lost ? "lost" : conflictPos.has(op.pos) ? "conflict" : op.op;
          return <span key={i} className={`mark ${cls}`} style={{ left: `${left}%` }} title={`#${op.pos ?? "lost"} ${op.op} ${op.id} · ${shortTime(op.ts)}${op.clock !== null ? ` · clock ${op.clock}` : ""}`} onClick={() => { if (op.pos !== null) { useUi.getState().selectOp(op.pos); useUi.getState().show("operations"); } }} />;
        })}
        {lane.ops > MARK_LIMIT ? <span className="lane-more" title="Too many ops to draw each: evenly spaced runs across the file are shown">{ops.length.toLocaleString()} of {lane.ops.toLocaleString()} ops sampled</span> : null}
      </div>
    </div>
  );
}
