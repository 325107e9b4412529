/** Blobs: the binary files opslog keeps beside the records (backend.writeBlob), listed with their sizes; select one to preview it. */
import { useStore } from "zustand";
import type { BlobInfo } from "../../../electron/contract";
import { blobList, useBlobs } from "../state/blobs";
import { useQuery } from "../state/query";
import { VirtualTable } from "../components/VirtualTable";
import type { TableColumn } from "../components/VirtualTable";
import { BlobPreview } from "../components/BlobPreview";
import { PaneError } from "../components/PaneError";
import { formatBytes, shortTime } from "../lib/format";
import { DetailPane } from "../components/DetailPane";

const COLUMNS: TableColumn<BlobInfo>[] = [
  { key: "path", label: "path", width: 360, render: (b) => <span className="mono">{b.path}</span> },
  { key: "bytes", label: "size", width: 100, render: (b) => <span title={`${b.bytes.toLocaleString()} bytes`}>{formatBytes(b.bytes)}</span> },
  { key: "modified", label: "modified", width: 170, render: (b) => <span className="mono muted">{shortTime(b.modified)}</span> },
];

const reloadBlobs = () => blobList.getState().refresh();

export function BlobsView() {
  const b = useBlobs();
  const total = useStore(blobList, (s) => s.total);
  useQuery(reloadBlobs, null);
  return (
    <div className="split">
      <section className="main-pane">
        <div className="toolbar">
          <input className="id-search mono" placeholder="path contains…" value={b.pathContains} onChange={(e) => b.setPathContains(e.target.value)} data-testid="blob-search" />
          <span className="result-count" data-testid="blobs-total">{total === null ? "…" : `${total.toLocaleString()} blob${total === 1 ? "" : "s"}`}</span>
        </div>
        <VirtualTable source={blobList} columns={COLUMNS} rowKey={(r) => r.path} selectedKey={b.selected} onSelect={(r) => void b.select(r.path)} testId="blobs-table" rowTestId="blob-row" empty="This store keeps no blobs: no files beside its snapshots, WALs and archive (opslog writes them with backend.writeBlob)." />
      </section>
      <DetailPane kind="blob" className={`blob-pane${b.selected ? "" : " empty-detail"}`} testId="blob-detail">
        {b.selected ? <div className="panel-title mono">{b.selected}</div> : <div className="muted">Select a blob to preview it: images drawn, JSON and text shown, anything else as hex; big ones a range at a time.</div>}
        {b.error ? <PaneError error={b.error} /> : null}
        {b.chunk && b.chunk.path === b.selected ? <BlobPreview chunk={b.chunk} onRead={(offset) => void b.readAt(offset)} /> : null}
      </DetailPane>
    </div>
  );
}
