/** Records: the current state as a table, filterable like Compass, with each record's JSON and history. */
import { useMemo, useState } from "react";
import { useStore } from "zustand";
import type { RecordRow } from "../../../electron/contract";
import { records, useRecordsQuery } from "../state/records";
import { useSession } from "../state/session";
import { useUi } from "../state/ui";
import { VirtualTable } from "../components/VirtualTable";
import type { TableColumn } from "../components/VirtualTable";
import { RecordDetail, RecordEditor } from "./RecordDetail";
import { selectInfo } from "../state/session";
import { cellText } from "../lib/format";
import { ExportMenu } from "../components/ExportMenu";
import { ResultCount } from "../components/ResultCount";
import { recordsSource } from "../state/export";
import { useQuery } from "../state/query";
import type { QueryRequest } from "../state/request";

/** The rows and the columns, again whenever the store changes. */
async function reloadRecords(_: null, request: QueryRequest): Promise<void> {
  await Promise.all([records.getState().refresh(), useRecordsQuery.getState().loadColumns(request)]);
}
import { useSchema } from "../state/schema";
import { SchemaPane } from "./SchemaPane";
import { QueriesMenu, QueryInput } from "../components/QueryInput";
import { DetailPane } from "../components/DetailPane";

export function RecordsView() {
  const q = useRecordsQuery();
  const selected = useUi((s) => s.selectedRecordId);
  const selectRecord = useUi((s) => s.selectRecord);
  const total = useStore(records, (s) => s.total);
  const error = useStore(records, (s) => s.error);
  const info = useSession(selectInfo);
  const [adding, setAdding] = useState(false);
  const writable = info !== null && info.mode !== "read-only";
  const tab = useSchema((s) => s.tab);

  useQuery(reloadRecords, null);

  const columns = useMemo<TableColumn<RecordRow>[]>(() => [
    { key: "id", label: "_id", width: 170, sortable: true, render: (r) => <span className="mono">{r.id}</span> },
    ...q.columns.filter((c) => !q.hidden.has(c.field)).slice(0, 12).map((c) => ({ key: c.field, label: c.field, width: c.types.includes("string") ? 200 : 110, sortable: true, render: (r: RecordRow) => cellText(r.data[c.field]) })),
  ], [q.columns, q.hidden]);

  const serverFilterError = error?.code === "bad-filter" ? [error.message, error.detail].filter(Boolean).join(": ") : null;
  return (
    <div className="split">
      <section className="main-pane">
        <div className="toolbar">
          <RecordsTabs />
          <QueryInput box="records" className="filter-input mono" testId="filter-input" placeholder='Filter: {status: "open", estimate: {$gt: 3}}' value={q.filterText} onChange={q.setFilterText} onApply={() => void q.applyFilter()} invalid={Boolean(q.filterError || serverFilterError)} />
          <button className="primary" data-testid="filter-apply" onClick={() => void q.applyFilter()}>Find</button>
          <QueriesMenu box="records" current={q.filterText} onPick={(text) => { q.setFilterText(text); void q.applyFilter(); }} />
          {tab === "documents" ? <>
            <input className="id-search mono" data-testid="id-search" placeholder="id contains…" value={q.idContains} onChange={(e) => q.setIdContains(e.target.value)} />
            <ColumnPicker />
            <ExportMenu name="records" source={recordsSource} title="The records as filtered and sorted here" />
            <button data-testid="record-add" disabled={!writable} title={writable ? "Add a record (a set op)" : info?.modeReason} onClick={() => { setAdding(true); selectRecord(null); }}>+ Add</button>
          </> : null}
          <ResultCount testId="records-total" text={error?.code === "missing-file" ? "unknown records" : total === null ? null : `${total.toLocaleString()} record${total === 1 ? "" : "s"}`} stale={Boolean(q.filterError || serverFilterError)} />
        </div>
        {q.filterError || serverFilterError ? <div className="filter-error" data-testid="filter-error" role="alert">{q.filterError ?? serverFilterError}</div> : null}
        {tab === "schema" ? <SchemaPane /> : <VirtualTable source={records} columns={columns} rowKey={(r) => r.id} selectedKey={selected} onSelect={(r) => { setAdding(false); selectRecord(r.id); }} sort={q.sort} onSort={q.setSort} testId="records-table" rowTestId="record-row" errorShownAbove="bad-filter" empty={q.filter || q.idContains ? "No record matches." : "This store has no records."} />}
      </section>
      {tab === "schema" ? null : adding ? (
        <DetailPane testId="record-new">
          <div className="panel-title">New record</div>
          <RecordEditor id="" initial={null} onDone={() => setAdding(false)} />
        </DetailPane>
      ) : selected ? <RecordDetail id={selected} /> : <DetailPane className="empty-detail">Select a record to see its JSON and its history.</DetailPane>}
    </div>
  );
}

/** Documents (the table) or Schema (Compass's Schema tab): one filter for both. */
function RecordsTabs() {
  const tab = useSchema((s) => s.tab);
  const setTab = useSchema((s) => s.setTab);
  return (
    <div className="tabs" role="tablist">
      <button role="tab" aria-selected={tab === "documents"} className={tab === "documents" ? "active" : ""} data-testid="records-tab-documents" onClick={() => setTab("documents")}>Documents</button>
      <button role="tab" aria-selected={tab === "schema"} className={tab === "schema" ? "active" : ""} data-testid="records-tab-schema" onClick={() => setTab("schema")}>Schema</button>
    </div>
  );
}

function ColumnPicker() {
  const columns = useRecordsQuery((s) => s.columns);
  const hidden = useRecordsQuery((s) => s.hidden);
  const toggle = useRecordsQuery((s) => s.toggleColumn);
  const open = useUi((s) => s.openMenu === "columns");
  return (
    <div className="menu column-picker">
      <button onClick={() => useUi.getState().setMenu(open ? null : "columns")} aria-expanded={open} data-testid="columns-menu">Columns ▾</button>
      {open ? <div className="menu-list" data-testid="columns-list">
        {columns.map((c) => (
          <label key={c.field} className="menu-item">
            <input type="checkbox" checked={!hidden.has(c.field)} onChange={() => toggle(c.field)} /> {c.field} <span className="muted">{c.types.join("|")}</span>
          </label>
        ))}
      </div> : null}
    </div>
  );
}
