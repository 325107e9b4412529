/** Operations: the merged timeline in replay order, filterable, each op with its data, prev and their diff; archives and compactions as rows in their places. */
import { useEffect, useMemo } from "react";
import { useStore } from "zustand";
import type { Conflict, TimelineEvent, TimelineOp } from "../../../electron/contract";
import { ops, refreshOps, useOpsFilters } from "../state/ops";
import { useDetail } from "../state/detail";
import { useReplay } from "../state/replay";
import { selectInfo, selectSummary, useSession } from "../state/session";
import { useUi } from "../state/ui";
import { useRevert } from "../state/revert";
import { VirtualTable } from "../components/VirtualTable";
import type { TableColumn } from "../components/VirtualTable";
import { DiffView } from "../components/DiffView";
import { JsonView } from "../components/JsonView";
import { eventPlace, linkName, opLabel, opNumber, positionAfter, shortTime, plural } from "../lib/format";
import { PaneError } from "../components/PaneError";
import { useTimelineEvents } from "../state/events";
import { describeEvent, eventKey, isEvent } from "../state/eventRows";
import type { OpsRow } from "../state/eventRows";
import { EventDetail } from "./EventDetail";
import { replayAt, showRecord } from "../commands";
import { useQuery } from "../state/query";
import { part } from "../state/request";
import type { QueryRequest } from "../state/request";
import { ExportMenu } from "../components/ExportMenu";
import { ResultCount } from "../components/ResultCount";
import { opsSource } from "../state/export";
import { QueriesMenu, QueryInput } from "../components/QueryInput";
import { CompareOpButtons } from "../components/ComparePanel";
import { DetailPane } from "../components/DetailPane";

export const OP_COLUMNS: TableColumn<TimelineOp>[] = [
  { key: "pos", label: "op #", width: 70, render: (o) => <span className="mono">{opNumber(o.pos)}</span> },
  { key: "ts", label: "time", width: 160, render: (o) => <span className="mono">{shortTime(o.ts)}</span> },
  { key: "agent", label: "agent", width: 110, render: (o) => o.agent ?? <span className="muted">writer</span> },
  { key: "clock", label: "clock", width: 60, render: (o) => (o.clock === null ? "" : o.clock) },
  { key: "op", label: "op", width: 70, render: (o) => <span className={`op-badge ${o.op}`}>{o.op}</span> },
  { key: "id", label: "id", width: 150, render: (o) => <span className="mono">{o.id}{o.lost ? <span className="flag bad" title="A compaction that had not seen this write dropped it: the store lacks it from that snapshot on (see Agents, lost writes)">lost</span> : null}</span> },
  { key: "file", label: "file:line", width: 300, render: (o) => <span className="mono muted">{o.file}:{o.line}</span> },
];

/** The list and the events among its rows, again whenever the store changes. */
async function reloadOperations(_: null, request: QueryRequest): Promise<void> {
  await Promise.all([refreshOps(), useTimelineEvents.getState().load(part(request, "events"))]);
}

export function OperationsView() {
  const summary = useSession(selectSummary);
  const f = useOpsFilters();
  const selected = useUi((s) => s.selectedOpPos);
  const selectOp = useUi((s) => s.selectOp);
  const selectedEvent = useUi((s) => s.selectedEventKey);
  const shownEvent = useTimelineEvents((s) => s.events.find((e) => eventKey(e) === selectedEvent));
  const total = useStore(ops, (s) => s.total);
  const opsError = useStore(ops, (s) => s.error);
  useQuery(reloadOperations, null);
  const columns = useMemo(() => OP_COLUMNS, []);
  const onSelect = (row: OpsRow) => {
    if (!isEvent(row)) return selectOp(row.pos);
    useUi.getState().selectEvent(eventKey(row));
    useReplay.getState().seek(row.position);
  };
  return (
    <div className="split">
      <section className="main-pane">
        <div className="toolbar">
          <select value={f.agent} onChange={(e) => f.set({ agent: e.target.value })} data-testid="ops-agent" aria-label="Agent">
            <option value="">all agents</option>
            {summary?.agents.map((a) => <option key={a} value={a}>{a}</option>)}
            <option value="(none)">single writer</option>
          </select>
          <select value={f.op} onChange={(e) => f.set({ op: e.target.value as "" | "set" | "delete" })} data-testid="ops-type" aria-label="Op type">
            <option value="">set + delete</option>
            <option value="set">set</option>
            <option value="delete">delete</option>
          </select>
          <input className="mono" placeholder="record id" value={f.id} onChange={(e) => f.set({ id: e.target.value })} data-testid="ops-id" />
          <label className="muted" title="Times are UTC, as shown in the list">from <input type="datetime-local" step="1" value={f.from} onChange={(e) => f.set({ from: e.target.value })} /></label>
          <label className="muted" title="Times are UTC, as shown in the list">to <input type="datetime-local" step="1" value={f.to} onChange={(e) => f.set({ to: e.target.value })} /></label>
          <QueryInput box="operations" className="mono ops-query" placeholder='op query: {"data.status": "done"}' value={f.filterText} onChange={f.setFilterText} onApply={() => void f.applyFilter()} invalid={Boolean(f.filterError)} testId="ops-query" title="A MongoDB-style query over the op's fields (ts, agent, clock, op, id, data, prev); Enter applies, ↑/↓ walk the queries applied before" />
          <QueriesMenu box="operations" current={f.filterText} onPick={(text) => { f.setFilterText(text); void f.applyFilter(); }} />
          <ExportMenu name="ops" source={opsSource} title="The ops as filtered here, with their data and what they replaced" />
          <ResultCount testId="ops-total" text={total === null ? null : plural(total - f.eventCount, "op")} stale={Boolean(f.filterError || opsError?.code === "bad-filter")} />
          {total !== null && f.eventCount > 0 ? <span className="muted small" title="Archives and compactions, shown in their places among the ops">+ {f.eventCount.toLocaleString()} {f.eventCount === 1 ? "event" : "events"}</span> : null}
        </div>
        {f.filterError || opsError?.code === "bad-filter" ? <div className="filter-error" role="alert" data-testid="ops-query-error">{f.filterError ?? opsError?.message}</div> : null}
        <VirtualTable source={ops} columns={columns} rowKey={(r) => (isEvent(r) ? eventKey(r) : String(r.pos))} selectedKey={selectedEvent ?? (selected === null ? null : String(selected))} onSelect={onSelect} wholeRow={(r) => (isEvent(r) ? <EventRow event={r} /> : null)} rowClass={(r) => (isEvent(r) ? "event-row" : "")} testId="ops-table" rowTestId={(r) => (isEvent(r) ? "event-row" : "op-row")} errorShownAbove="bad-filter" empty="No op matches these filters." />
      </section>
      {shownEvent ? <EventDetail event={shownEvent} /> : selected !== null ? <OpDetail pos={selected} /> : <DetailPane className="empty-detail">Select an op to see its data, what it replaced, and who wrote it.</DetailPane>}
    </div>
  );
}

/** An archive or a compaction among the ops: not an op, so one line across the columns. */
function EventRow({ event }: { event: TimelineEvent }) {
  return (
    <span className="event-line">
      <span className={`op-badge ${event.kind}`}>{event.kind}</span> <b>{describeEvent(event)}</b>
      <span className="muted mono"> at {eventPlace(event.position)}{event.time ? ` · ${shortTime(event.time)}` : ""}</span>
    </span>
  );
}

const loadOp = (pos: number, request: QueryRequest) => useDetail.getState().loadOp(pos, request);

export function OpDetail({ pos }: { pos: number }) {
  const info = useSession(selectInfo);
  const op = useDetail((s) => s.op);
  const conflicts = useDetail((s) => s.opConflicts);
  const link = useOpLink(op);
  const error = useDetail((s) => s.opError);
  useQuery(loadOp, pos);
  const shown = op?.pos === pos ? op : null;
  if (error) return <DetailPane><PaneError error={error} /></DetailPane>;
  if (!shown) return <DetailPane className="muted">Loading…</DetailPane>;
  const canRevert = info?.mode === "agent" || info?.mode === "writer";
  return (
    <DetailPane testId="op-detail">
      <div className="panel-title">
        <span className={`op-badge ${shown.op}`}>{shown.op}</span> <span className="mono">{shown.id}</span>
        <span className="spacer" />
        <button onClick={() => showRecord(shown.id)} data-testid="jump-record">Record</button>
        <button onClick={() => replayAt(positionAfter(shown.pos))} data-testid="jump-timeline" title={`The Timeline at position ${positionAfter(shown.pos).toLocaleString()}: the state just after op ${opLabel(shown.pos)}`}>Replay here</button>
        <CompareOpButtons pos={shown.pos} />
        <button disabled={!canRevert} title={canRevert ? "Undo this op's change, or restore the value before it, with a new op; shows first what later ops it would override" : info?.modeReason} data-testid="action-revert" onClick={() => void useRevert.getState().open(shown.pos)}>Revert…</button>
      </div>
      <dl className="facts">
        <dt>op</dt><dd data-testid="op-number"><span className="mono">{opLabel(shown.pos)}</span> <span className="muted">of the timeline; after it: position {positionAfter(shown.pos).toLocaleString()}</span></dd>
        <dt>history</dt><dd className="small" title="The snapshot this op's part of the history chain starts from (see History)">{link ? <>replayed over {link}</> : "…"}</dd>
        <dt>time</dt><dd className="mono">{shown.ts}</dd>
        <dt>agent</dt><dd>{shown.agent ?? "single writer"}{shown.clock !== null ? <span className="muted"> · clock {shown.clock}</span> : null}</dd>
        <dt>where</dt><dd className="mono">{shown.file}:{shown.line} <span className="muted">(byte {shown.offset})</span></dd>
        <dt>encoding</dt><dd>{shown.encoding === "delta" ? "delta (prev stored as a reverse patch, shown resolved)" : "full"}</dd>
      </dl>
      {conflicts.map((c, i) => <ConflictNote key={i} conflict={c} pos={shown.pos} />)}
      <h3>Change</h3>
      <DiffView before={shown.prev} after={shown.data} />
      <h3>data</h3>
      <JsonView value={shown.data} />
      <h3>prev</h3>
      <JsonView value={shown.prev} />
    </DetailPane>
  );
}

/** The history link an op belongs to, named by its snapshot and that snapshot's time. */
function useOpLink(op: TimelineOp | null): string | null {
  const info = useReplay((s) => s.info);
  const summary = useSession(selectSummary);
  useEffect(() => {
    if (!useReplay.getState().info) void useReplay.getState().loadInfo();
  }, []);
  const link = op ? info?.links.find((l) => l.epoch === op.epoch) : undefined;
  if (!link) return null;
  return linkName(link.snapshot, summary?.snapshots.find((s) => s.path === link.snapshot)?.timestamp ?? null);
}

/** Select an op in this view (a lost write has no position to select). */
function selectKnownOp(pos: number | null): void {
  if (pos !== null) useUi.getState().selectOp(pos);
}

/** Says when this op lost a last-writer-wins conflict (the write that won, one click away), or won one. */
function ConflictNote({ conflict: c, pos }: { conflict: Conflict; pos: number }) {
  const won = c.winner.pos === pos;
  const others = won ? c.losers : [c.winner];
  return (
    <div className={`conflict-note ${won ? "won" : "overridden"}`} data-testid="op-conflict">
      <b>{won ? "This write overrode another agent's write" : "Overridden: another agent's write replaced this one without having seen it"}</b>
      <div className="small">{c.explanation}</div>
      {others.map((o, i) => (
        <div key={i} className="small">
          {won ? "It replaced " : "The write that won: "}
          <button className="link mono" data-testid="op-conflict-link" onClick={() => selectKnownOp(o.pos)} disabled={o.pos === null}>op {o.pos === null ? "(lost)" : opLabel(o.pos)}</button> by {o.agent ?? "the writer"}{o.clock !== null ? ` (clock ${o.clock})` : ""} at {shortTime(o.ts)}
        </div>
      ))}
    </div>
  );
}
