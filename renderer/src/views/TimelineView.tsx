/**
 * Timeline replay: scrub through every position, step, play at speed, or
 * jump to a time; the state table, the current op and both diffs follow the
 * one replay cursor. The chart and the slider under it (TimelineChart) share
 * one position axis; archives and compactions are marked on both.
 */
import { memo, useEffect, useMemo } from "react";
import type { ReactNode } from "react";
import { useStore } from "zustand";
import type { DiffPage, DiffRow, RecordRow } from "../../../electron/contract";
import { useReplay } from "../state/replay";
import { OPS_PER_SECOND, TIME_FACTORS } from "../state/replay";
import type { Pace } from "../state/replay";
import { followCursor, MAX_LATER_ROWS, MORE_LATER_ROWS, stateRecords, useReplayPanes } from "../state/replayPanes";
import { useUi } from "../state/ui";
import { VirtualTable } from "../components/VirtualTable";
import type { TableColumn } from "../components/VirtualTable";
import { useRecordsQuery } from "../state/records";
import { DiffView } from "../components/DiffView";
import { cellText, numberText, opLabel, shortTime, plural } from "../lib/format";
import { PaneError } from "../components/PaneError";
import { ArchiveLink } from "../components/ArchiveLink";
import { useTimelineEvents } from "../state/events";
import { describeEvent, segmentName } from "../state/eventRows";
import { showOp } from "../commands";
import { useQuery } from "../state/query";
import { part } from "../state/request";
import type { QueryRequest } from "../state/request";
import { ExportMenu } from "../components/ExportMenu";
import { exportStoreAt, stateSource } from "../state/export";
import { QueriesMenu, QueryInput } from "../components/QueryInput";
import { showSchemaAt } from "../state/schema";
import { TimelineChart } from "../components/TimelineChart";
import { CompareButtons, ComparePanel } from "../components/ComparePanel";
import { DetailPane } from "../components/DetailPane";
import { CommandButton } from "../components/CommandButton";
import { PartialTag } from "../components/PartialTag";

const ID_COLUMN: TableColumn<RecordRow> = { key: "id", label: "_id", width: 150, render: (r) => <span className="mono">{r.id}</span> };
const RAW_COLUMN: TableColumn<RecordRow> = { key: "data", label: "record at this position", width: 640, render: (r) => <span className="mono muted">{cellText(r.data)}</span> };

/** The timeline's length and chain, and its events (the scrubber's markers), again whenever the store changes. */
async function reloadTimeline(_: null, request: QueryRequest): Promise<void> {
  await Promise.all([useReplay.getState().loadInfo(part(request, "info")), useTimelineEvents.getState().load(part(request, "events"))]);
}

/** Not the cursor: a step re-renders only what shows it (the scrubber, the op line, the counts), not the whole view. */
export function TimelineView() {
  const loaded = useReplay((s) => s.info !== null);
  useQuery(reloadTimeline, null);
  useEffect(followCursor, []);
  if (!loaded) return <div className="muted pad">Loading the timeline…</div>;
  return (
    <div className="timeline">
      <TimelineChart />
      <Scrubber />
      <div className="timeline-body">
        <section className="main-pane">
          <CurrentOp />
          <StateTable />
        </section>
        <DetailPane>
          <ComparePanel />
          <DiffList title="Changed by this op" pane="diffPrev" testId="diff-prev" />
          <DiffList title={<OpsLater />} pane="diffNow" testId="diff-now" />
        </DetailPane>
      </div>
    </div>
  );
}

/** The scrubber's buttons run the replay commands (commands.ts), as their keys do; the cursor, the play state and the events decide which are on. */
function Scrubber() {
  const { cursor, info, playing, jumpToTime, error, stopAt } = useReplay();
  useTimelineEvents((s) => s.events); // the next-event button is on while an event lies ahead
  const total = info?.total ?? 0;
  const toEvent = playing && stopAt !== null;
  const shownAt = useReplayPanes((s) => s.shownAt);
  return (
    <div className="scrubber-bar">
      <CommandButton name="replay-start" testId="replay-start" title="The oldest state on disk">⇤</CommandButton>
      <CommandButton name="step-back" testId="step-back">◂ Step</CommandButton>
      <CommandButton name="play" testId="play" ariaLabel={playing ? "Pause" : "Play"} className="play-button">{playing ? "❚❚ Pause" : "▶ Play"}</CommandButton>
      <CommandButton name="step-forward" testId="step-forward">Step ▸</CommandButton>
      <CommandButton name="replay-now" testId="replay-now" title="The current state">Now ⇥</CommandButton>
      <CommandButton name="play-next-event" testId="play-next-event" title={toEvent ? "Pause the play to the next event" : "Play at this pace to the next archive or compaction marked on the scrubber, and stop there"}>{toEvent ? "❚❚" : "▶"} to next event</CommandButton>
      <PacePicker />
      <span className="muted small">position</span>
      <span className="replay-pos mono" data-testid="replay-pos" title="Position N is the state after op #N; position 0 is the oldest state on disk" aria-busy={shownAt !== cursor} data-panes-at={shownAt ?? ""}>{numberText(cursor)} / {numberText(total)}</span>
      <PartialTag />
      <CompareButtons />
      <input type="datetime-local" step="1" aria-label="Jump to time" data-testid="jump-time" onChange={(e) => e.target.value && void jumpToTime(e.target.value)} title="Jump to the state at this time (UTC)" />
      {error ? <span className="bad-text small">{error.message}</span> : null}
    </div>
  );
}

/** A pace for play: ops per second (up to thousands, for big stores), or real time × N by the ops' timestamps (memo: not drawn again at each step with the Scrubber). */
const PacePicker = memo(function PacePicker() {
  const pace = useReplay((s) => s.pace);
  const setPace = useReplay((s) => s.setPace);
  const value = pace.kind === "ops" ? String(pace.perSecond) : `x${pace.factor}`;
  const choose = (v: string): Pace => (v.startsWith("x") ? { kind: "time", factor: Number(v.slice(1)) } : { kind: "ops", perSecond: Number(v) });
  return (
    <select value={value} onChange={(e) => { setPace(choose(e.target.value)); e.target.blur(); }} aria-label="Pace" data-testid="speed" title="How fast play goes: ops per second, or real time × N by the ops' own timestamps">
      <optgroup label="ops per second">
        {OPS_PER_SECOND.map((n) => <option key={n} value={String(n)}>{n.toLocaleString()} ops/s</option>)}
      </optgroup>
      <optgroup label="real time, by the ops' timestamps">
        {TIME_FACTORS.map((n) => <option key={n} value={`x${n}`}>real time ×{n.toLocaleString()}</option>)}
      </optgroup>
    </select>
  );
});

/** The events that took effect right after the cursor's op: they are in this position's state and in its diff. */
function EventsAtCursor() {
  const cursor = useReplay((s) => s.cursor);
  const here = useTimelineEvents((s) => s.events).filter((e) => e.position === cursor);
  if (here.length === 0) return null;
  return <div className="cursor-events small" data-testid="cursor-events">then, before the next op: {here.map(describeEvent).join(" · ")}</div>;
}

function CurrentOp() {
  const cursor = useReplay((s) => s.cursor);
  const total = useReplay((s) => s.info?.total ?? 0);
  const op = useReplayPanes((s) => s.currentOp);
  const error = useReplayPanes((s) => s.error);
  if (error) return <PaneError error={error} />;
  if (cursor === 0) return <div className="current-op muted" data-testid="current-op">Position 0 of {numberText(total)}: the oldest state on disk, before op #1.<EventsAtCursor /></div>;
  if (!op || op.pos !== cursor - 1) return <div className="current-op muted">Position {numberText(cursor)} of {numberText(total)}: …</div>; // the op of this position is on its way
  return (
    <div className="current-op" data-testid="current-op">
      <b data-testid="current-position">Position {numberText(cursor)} of {numberText(total)}: after op {opLabel(op.pos)}</b>{" "}
      <span className={`op-badge ${op.op}`}>{op.op}</span> <b className="mono">{op.id}</b> by {op.agent ?? "the writer"}
      {op.clock !== null ? <span className="muted"> (clock {op.clock})</span> : null} <span className="muted">at {shortTime(op.ts)} · {op.file}:{op.line}</span>
      <button className="link" onClick={() => showOp(op.pos)}>details</button>
      <EventsAtCursor />
    </div>
  );
}

/** The state at the cursor, in the Records view's columns (fields the record had then but not now show in no column: see the diff pane). */
function StateTable() {
  const op = useReplayPanes((s) => s.currentOp);
  const fields = useRecordsQuery((s) => s.columns);
  useEffect(() => {
    if (useRecordsQuery.getState().columns.length === 0) void useRecordsQuery.getState().loadColumns();
  }, []);
  const columns = useMemo<TableColumn<RecordRow>[]>(
    () => (fields.length ? [ID_COLUMN, ...fields.slice(0, 10).map((c) => ({ key: c.field, label: c.field, width: c.types.includes("string") ? 180 : 100, render: (r: RecordRow) => cellText(r.data[c.field]) }))] : [ID_COLUMN, RAW_COLUMN]),
    [fields],
  );
  // Each field on its own: a pane's answer (the op, a diff) re-renders only what shows it.
  const filterText = useReplayPanes((s) => s.filterText);
  const filter = useReplayPanes((s) => s.filter);
  const filterError = useReplayPanes((s) => s.filterError);
  const panes = useReplayPanes.getState(); // its actions
  const error = useStore(stateRecords, (s) => s.error);
  const serverFilterError = error?.code === "bad-filter" ? [error.message, error.detail].filter(Boolean).join(": ") : null;
  return (
    <>
      <div className="toolbar">
        <QueryInput box="watch" className="filter-input mono" testId="state-filter" placeholder='Watch a query as you replay: {status: "in-progress"}' value={filterText} onChange={panes.setFilterText} onApply={() => void panes.applyFilter()} invalid={Boolean(filterError)} />
        <button className="primary" data-testid="state-filter-apply" onClick={() => void panes.applyFilter()}>Find</button>
        <ExportMenu name="state" source={stateSource} title="The records at this position, through the watched query">
          <button className="menu-item" data-testid="export-state-store" title="A snapshot of this state and an empty WAL in a new folder: a store of its own, to recover this state without touching the original" onClick={() => { useUi.getState().setMenu(null); void exportStoreAt(useReplay.getState().cursor); }}>As a new opslog store… (all records at this position)</button>
        </ExportMenu>
        <QueriesMenu box="watch" current={filterText} onPick={(text) => { panes.setFilterText(text); void panes.applyFilter(); }} />
        <button data-testid="schema-here" title="The fields of the records at this position: the Records view's Schema tab (with the Records filter)" onClick={() => showSchemaAt(useReplay.getState().cursor)}>Schema here</button>
        <StateTotal filtered={Boolean(filter)} />
      </div>
      {filterError || serverFilterError ? <div className="filter-error" role="alert">{filterError ?? serverFilterError}</div> : null}
      <VirtualTable source={stateRecords} columns={columns} rowKey={(r) => r.id} selectedKey={null} highlightKey={op?.id ?? null} onSelect={(r) => useUi.getState().selectRecord(r.id)} testId="state-table" rowTestId="state-row" errorShownAbove="bad-filter" empty={filter ? "No record matches at this position." : "No records at this position."} />
    </>
  );
}

/** The diff-now pane's title: it names how far the cursor is from the end, so it follows the cursor. */
function OpsLater() {
  const later = useReplay((s) => (s.info?.total ?? 0) - s.cursor);
  return <>From here to now ({plural(later, "op")} later)</>;
}

/** How many records the state at the cursor has (or match the watched query). */
function StateTotal({ filtered }: { filtered: boolean }) {
  const cursor = useReplay((s) => s.cursor);
  const total = useStore(stateRecords, (s) => s.total);
  const failed = useStore(stateRecords, (s) => s.error !== null && s.error.code !== "bad-filter"); // a refused filter keeps the last good rows
  if (failed) return <span className="result-count" data-testid="state-total">no state shown at position {numberText(cursor)}</span>;
  return <span className="result-count" data-testid="state-total">{total === null ? "…" : `${numberText(total)} ${total === 1 ? "record" : "records"}${filtered ? (total === 1 ? " matches" : " match") : ""} at position ${numberText(cursor)}`}</span>;
}

/** A diff pane: it alone reads its page, so a step's new diffs draw only the panes, not the view around them. */
function DiffList({ title, pane, testId }: { title: ReactNode; pane: "diffPrev" | "diffNow"; testId: string }) {
  const page = useReplayPanes((s) => s[pane]);
  const moreRows = useReplayPanes((s) => (pane === "diffNow" ? Math.min(MORE_LATER_ROWS, MAX_LATER_ROWS - s.laterRows) : 0));
  return (
    <div className="diff-list" data-testid={testId}>
      <h3>{title}</h3>
      <DiffRows page={page} more={moreRows > 0 ? showMoreLater : undefined} moreRows={moreRows} />
    </div>
  );
}

const showMoreLater = () => void useReplayPanes.getState().showMoreLater();

/** A diff page's rows: drawn again only when a new page comes (a page of JSON diffs is the Timeline's largest render); `more` asks for more rows of it, kept at the next steps. */
const DiffRows = memo(function DiffRows({ page, more, moreRows }: { page: DiffPage | null; more?: () => void; moreRows: number }) {
  const left = page ? page.total - page.rows.length : 0;
  return (
    <>
      {page ? <div className="small muted">{page.counts.added} added · {page.counts.changed} changed · {page.counts.removed} removed{page.counts.archived ? ` · ${page.counts.archived} archived` : ""}</div> : null}
      {page?.rows.map((row) => <DiffItem key={row.id} row={row} />)}
      {left > 0 && more ? <button className="link small" data-testid="diff-more" onClick={more}>…and {numberText(left)} more: show {numberText(Math.min(left, moreRows))} more</button> : null}
      {left > 0 && !more ? <div className="muted small">…and {numberText(left)} more</div> : null}
    </>
  );
});

/** One record's diff: drawn again only when its row changed (a step keeps the rows that did not: replayPanes.ts). */
const DiffItem = memo(function DiffItem({ row }: { row: DiffRow }) {
  return (
    <div className="diff-item" data-testid="diff-row" data-kind={row.kind}>
      <div className="mono"><DiffKind row={row} /> {row.id}{row.kind === "archived" && row.segment ? <ArchiveLink segment={row.segment} id={row.id} label="open in Archive" /> : null}</div>
      <DiffView before={row.before} after={row.after} archivedTo={row.segment} />
    </div>
  );
});

/** "archived → segment" for a record an archive moved out (not a delete); else the kind. */
function DiffKind({ row }: { row: DiffRow }) {
  if (row.kind !== "archived") return <span className={`kind ${row.kind}`}>{row.kind}</span>;
  return <span className="kind archived" title={`An archive moved it to ${row.segment}: not a delete`}>archived → {segmentName(row.segment ?? "")}</span>;
}
