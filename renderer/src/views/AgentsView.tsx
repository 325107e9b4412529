/**
 * Agents: one swimlane per WAL on a shared axis (time, or position in replay
 * order), each op a mark; the axis zooms and pans (see LaneAxis).
 * Retired WALs are flagged; conflicts and lost writes are listed beside the
 * lanes, explained, and picking one makes its record's marks stand out.
 */
import { useEffect, useMemo } from "react";
import type { AgentLane, Conflict, LaneOp } from "../../../electron/contract";
import { MARK_LIMIT, useAgents } from "../state/agents";
import type { MarkRun } from "../state/agents";
import { selectSummary, useSession } from "../state/session";
import { useAgentsAxis } from "../state/agentsAxis";
import type { AxisKind } from "../lib/axisTicks";
import { AxisBar, LaneArea } from "../components/LaneAxis";
import { formatBytes, opLabel, shortTime, plural } from "../lib/format";
import { PaneError } from "../components/PaneError";
import { DiffView } from "../components/DiffView";
import { showOp } from "../commands";
import { useQuery } from "../state/query";
import type { QueryRequest } from "../state/request";

const reloadAgents = (_: null, request: QueryRequest) => useAgents.getState().load(request);
import { AgentsChart } from "../components/AgentsChart";
import { LostWriteList } from "../components/LostWriteList";
import { PartialTag } from "../components/PartialTag";
import { useHistoryLoading } from "../state/historyLoad";
import { DetailPane } from "../components/DetailPane";

/** An op in the Operations view; a lost write has no position to show. */
function showKnownOp(pos: number | null): void {
  if (pos !== null) showOp(pos);
}

export function AgentsView() {
  const lanes = useAgents((s) => s.lanes);
  const loaded = useAgents((s) => s.loaded);
  const laneRuns = useAgents((s) => s.laneRuns);
  const windowRuns = useAgents((s) => s.windowRuns);
  const conflicts = useAgents((s) => s.conflicts);
  const error = useAgents((s) => s.error);
  const focusId = useAgents((s) => s.focusId);
  const kind = useAgentsAxis((s) => s.kind);
  const view = useAgentsAxis((s) => s.window);
  const timelineOps = useSession((s) => selectSummary(s)?.counts.timelineOps ?? 0);
  useQuery(reloadAgents, null);
  const extent = useMemo(() => axisExtent(kind, lanes, timelineOps), [kind, lanes, timelineOps]);
  const place = useMemo(() => placer(kind, laneRuns), [kind, laneRuns]);
  const laneOps = useMemo(() => drawnOps(laneRuns, windowRuns), [laneRuns, windowRuns]);
  useEffect(() => useAgents.getState().loadWindow(view, place), [view, place]);
  const conflictPos = useMemo(() => new Set(conflicts.flatMap((c) => [c.winner.pos, ...c.losers.map((l) => l.pos)])), [conflicts]);
  if (error) return <PaneError error={error} />;
  return (
    <div className="split">
      <section className="main-pane scroll-pane">
        <AgentsChart extent={extent} />
        <div className="lanes">
          <AxisBar extent={extent} />
          <LaneArea extent={extent}>
            {lanes.map((lane) => <Lane key={lane.path} lane={lane} ops={laneOps[lane.path] ?? []} extent={extent} place={place} conflictPos={conflictPos} focusId={focusId} />)}
          </LaneArea>
          {lanes.length === 0 ? <div className="empty" data-testid="lanes-empty">{loaded ? "This store has no WAL files." : "Reading the WALs…"}</div> : null}
          <div className="legend">
            <span className="mark set" /> set <span className="mark delete" /> delete <span className="mark conflict" /> in a conflict <span className="mark lost" /> lost write
            <span className="flag quiet">retired</span> a WAL an earlier compaction replaced: its ops are history
          </div>
        </div>
      </section>
      <DetailPane>
        <LostWriteList />
        <ConflictList />
      </DetailPane>
    </div>
  );
}

function ConflictList() {
  const conflicts = useAgents((s) => s.conflicts);
  const total = useAgents((s) => s.conflictTotal);
  const loaded = useAgents((s) => s.loaded);
  const focusId = useAgents((s) => s.focusId);
  const partial = useHistoryLoading();
  return (
    <section className="explain">
      <h2>Conflicts <span className="muted" data-testid="conflicts-count">({loaded ? total : "…"})</span> <PartialTag /></h2>
      <p className="muted small">Two agents wrote the same record without one having seen the other's write. opslog keeps the write with the higher (Lamport clock, agent id) and the other silently disappears from the current state. Both are still in the WALs.</p>
      {!loaded ? <div className="muted">Reading the conflicts…</div> : conflicts.length === 0 ? <div className="muted">{partial ? "None in the current period; the history behind it is still loading." : "No conflicts: every overriding write had seen the one it replaced."}</div> : null}
      {conflicts.map((c, i) => <ConflictItem key={i} conflict={c} focused={focusId === c.id} />)}
      {total > conflicts.length ? <div className="muted small">…and {total - conflicts.length} more</div> : null}
    </section>
  );
}

function ConflictItem({ conflict: c, focused }: { conflict: Conflict; focused: boolean }) {
  return (
    <div className={`conflict-item${focused ? " focused" : ""}`} data-testid="conflict-item" onClick={() => useAgents.getState().focus(focused ? null : c.id)}>
      <div><b className="mono">{c.id}</b></div>
      <div className="small">{c.explanation}</div>
      <div className="mono small ok-text">kept: op {c.winner.pos === null ? "(lost)" : opLabel(c.winner.pos)} {c.winner.agent} (clock {c.winner.clock}) {c.winner.file.replace("ops/", "")}:{c.winner.line}</div>
      {c.losers.map((l, j) => (
        <div key={j}>
          <div className="mono small lost-text">overridden: op {l.pos === null ? "(lost)" : opLabel(l.pos)} {l.agent} (clock {l.clock}) {l.file.replace("ops/", "")}:{l.line}</div>
          <div className="small muted">what the overridden write had, against what was kept:</div>
          <DiffView before={l.data} after={c.winner.data} />
        </div>
      ))}
      <button className="link" onClick={(e) => { e.stopPropagation(); showKnownOp(c.winner.pos); }}>show kept op</button>
      {c.losers[0] ? <button className="link" onClick={(e) => { e.stopPropagation(); showKnownOp(c.losers[0].pos); }}>show overridden op</button> : null}
    </div>
  );
}

/** The whole axis: first to last op time (ms), or positions 0 to the timeline's length. */
function axisExtent(kind: AxisKind, lanes: AgentLane[], timelineOps: number): [number, number] | null {
  if (kind === "position") return timelineOps > 0 ? [0, timelineOps] : null;
  const times = lanes.flatMap((l) => (l.tsRange ? [Date.parse(l.tsRange[0]), Date.parse(l.tsRange[1])] : []));
  if (!times.length) return null;
  const [a, b] = [Math.min(...times), Math.max(...times)];
  return a === b ? [a - 1, b + 1] : [a, b];
}

/**
 * Where an op sits on the axis: its time, or the middle of its slot (op #N
 * fills positions N-1..N). A lost write has no slot: it goes where its time
 * falls among the drawn ops.
 */
function placer(kind: AxisKind, laneRuns: Record<string, MarkRun[]>): (op: LaneOp) => number {
  if (kind === "time") return (op) => Date.parse(op.ts);
  const byTime = Object.values(laneRuns).flat().flatMap((r) => r.ops).filter((o) => o.pos !== null).map((o) => [Date.parse(o.ts), o.pos!] as const).sort((x, y) => x[0] - y[0]);
  return (op) => {
    if (op.pos !== null) return op.pos + 0.5;
    const t = Date.parse(op.ts);
    let lo = 0;
    for (let hi = byTime.length; lo < hi; ) {
      const mid = (lo + hi) >> 1;
      if (byTime[mid][0] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? byTime[lo - 1][1] + 1 : 0;
  };
}

/** Each lane's ops to draw: the sampled runs and those loaded for the window in view, each op once, in file order. */
function drawnOps(laneRuns: Record<string, MarkRun[]>, windowRuns: Record<string, MarkRun[]>): Record<string, LaneOp[]> {
  return Object.fromEntries(Object.entries(laneRuns).map(([path, runs]) => {
    const byIndex = new Map<number, LaneOp>();
    for (const run of [...runs, ...(windowRuns[path] ?? [])]) run.ops.forEach((op, i) => byIndex.set(run.offset + i, op));
    return [path, [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, op]) => op)];
  }));
}

function Lane({ lane, ops, extent, place, conflictPos, focusId }: { lane: AgentLane; ops: LaneOp[]; extent: [number, number] | null; place: (op: LaneOp) => number; conflictPos: Set<number | null>; focusId: string | null }) {
  const view = useAgentsAxis((s) => s.window) ?? extent;
  const span = view ? Math.max(1e-9, view[1] - view[0]) : 1;
  const zoomToLane = () => {
    const xs = ops.map(place);
    if (extent && xs.length) useAgentsAxis.getState().zoomTo(extent, Math.min(...xs) - span * 0.001, Math.max(...xs) + 0.5 + span * 0.001);
  };
  return (
    <div className={`lane ${lane.named ? "" : "retired"}`} data-testid="lane" data-agent={lane.agent ?? ""} data-named={lane.named}>
      <div className="lane-label" title={lane.path}>
        <div><b>{lane.agent ?? "single writer"}</b> {lane.named ? <span className="flag live-flag" title="The manifest names this WAL: it is being written">active</span> : <span className="flag quiet" title="The manifest no longer names this WAL: a compaction replaced it. Its ops are history (see the History view), unless marked lost">retired</span>}{lane.lostOps ? <span className="flag bad">{lane.lostOps} lost</span> : null}{lane.malformedLines ? <span className="flag bad">{lane.malformedLines} bad lines</span> : null}</div>
        <div className="small muted mono">{lane.path.replace("ops/", "")}</div>
        <div className="small muted lane-facts"><span data-testid="lane-size">{lane.ops === 0 && lane.bytes === 0 ? "empty WAL: nothing written yet" : `${plural(lane.ops, "op")}${lane.clockRange ? ` · clock ${lane.clockRange[0]}–${lane.clockRange[1]}` : ""} · ${formatBytes(lane.bytes)}`}</span> <button className="link" data-testid="lane-zoom" onClick={zoomToLane} title="Zoom the axis to this WAL's ops">zoom</button></div>
        {lane.ops > MARK_LIMIT ? <div className="small muted" data-testid="lane-sampled" title="Too many ops to draw each: evenly spaced runs across the file are shown">{ops.length.toLocaleString()} of {plural(lane.ops, "op")} drawn (sampled)</div> : null}
      </div>
      <div className="lane-track">
        {ops.map((op, i) => {
          const left = view ? ((place(op) - view[0]) / span) * 100 : 0;
          if (left < -0.5 || left > 100.5) return null;
          const cls = op.lost ? "lost" : conflictPos.has(op.pos) ? "conflict" : op.op;
          return <span key={i} className={`mark ${cls}${focusId !== null && op.id === focusId ? " focused" : ""}`} style={{ left: `${left}%` }} title={`${op.pos === null ? "lost" : `op ${opLabel(op.pos)}`} ${op.op} ${op.id} · ${shortTime(op.ts)}${op.clock !== null ? ` · clock ${op.clock}` : ""}`} onClick={() => showKnownOp(op.pos)} />;
        })}
      </div>
    </div>
  );
}
