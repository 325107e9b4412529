/** Archive: segments with their periods and counts; open one to browse its records. */
import { useMemo } from "react";
import { useStore } from "zustand";
import type { RecordRow } from "../../../electron/contract";
import { archiveRecords, useArchive } from "../state/archive";
import { useQuery } from "../state/query";
import type { QueryRequest } from "../state/request";
import { VirtualTable } from "../components/VirtualTable";
import { JsonView } from "../components/JsonView";
import { cellText, formatBytes, shortTime, plural } from "../lib/format";
import { PaneError } from "../components/PaneError";
import { ExportMenu } from "../components/ExportMenu";
import { ResultCount } from "../components/ResultCount";
import { archiveSource } from "../state/export";

const reloadArchive = (_: null, request: QueryRequest) => useArchive.getState().load(request);
import { QueriesMenu, QueryInput } from "../components/QueryInput";
import { DetailPane } from "../components/DetailPane";

const ID_COLUMN = { key: "id", label: "_id", width: 170, render: (r: RecordRow) => <span className="mono">{r.id}</span> };

export function ArchiveView() {
  const a = useArchive();
  const selected = useArchive((s) => s.selected);
  // The segment's own fields as columns, as the Records view shows the live ones.
  const columns = useMemo(() => [ID_COLUMN, ...a.fields.map((field) => ({ key: field, label: field, width: 160, render: (r: RecordRow) => cellText(r.data[field]) }))], [a.fields]);
  useQuery(reloadArchive, null);
  if (a.error) return <PaneError error={a.error} />;
  return (
    <div className="split">
      <aside className="side-list">
        <div className="panel-title">Segments</div>
        {a.segments.length === 0 ? <div className="empty">Nothing archived yet. Archiving moves records out of the live state into a segment like archive-2026-Q1.json.</div> : null}
        {a.segments.map((s) => (
          <button key={s.path} className={`segment ${s.path === a.open ? "active" : ""}`} data-testid="archive-segment" onClick={() => a.openSegment(s.path)}>
            <div><b>{s.period}</b> {s.named ? null : <span className="flag" title="manifest.json does not list this segment">not in manifest</span>}</div>
            <div className="small muted">{plural(s.records, "record")} · {formatBytes(s.bytes)}{s.timestamp ? ` · ${shortTime(s.timestamp)}` : ""}</div>
          </button>
        ))}
      </aside>
      <section className="main-pane">
        <div className="toolbar">
          <QueryInput box="archive" className="filter-input mono" placeholder="Filter archived records" value={a.filterText} onChange={a.setFilterText} onApply={() => void a.applyFilter()} testId="archive-filter" invalid={Boolean(a.filterError)} />
          <button className="primary" onClick={() => void a.applyFilter()}>Find</button>
          <QueriesMenu box="archive" current={a.filterText} onPick={(text) => { a.setFilterText(text); void a.applyFilter(); }} />
          <input className="id-search mono" placeholder="id contains…" value={a.idContains} onChange={(e) => a.setIdContains(e.target.value)} data-testid="archive-id-search" />
          {a.open ? <ExportMenu name="archive" source={archiveSource} title="This segment's records as filtered here" /> : null}
          <ArchiveCount filtered={Boolean(a.filter || a.idContains)} stale={Boolean(a.filterError)} />
        </div>
        {a.filterError ? <div className="filter-error" role="alert">{a.filterError}</div> : null}
        <VirtualTable source={archiveRecords} columns={columns} rowKey={(r: RecordRow) => r.id} selectedKey={selected?.id ?? null} onSelect={(r: RecordRow) => a.select(r)} testId="archive-table" rowTestId="archive-row" empty="No archived record matches." />
      </section>
      <DetailPane className={selected ? "" : "empty-detail"} testId="archive-detail">{selected ? <><div className="panel-title mono">{selected.id}</div><JsonView value={selected.data} /></> : <div className="muted">Select an archived record.</div>}</DetailPane>
    </div>
  );
}

/** How many of the open segment's records the filter keeps. */
function ArchiveCount({ filtered, stale }: { filtered: boolean; stale: boolean }) {
  const total = useStore(archiveRecords, (s) => s.total);
  const noun = total === 1 ? "record" : "records";
  return <ResultCount testId="archive-total" text={total === null ? null : `${total.toLocaleString()} ${filtered ? `archived ${noun} match` : `archived ${noun}`}`} stale={stale} />;
}
