/**
 * The store while its index builds: the frame (its folder, the views' tabs),
 * the load's progress, and in Records the current snapshot's first records,
 * labelled for what they are (which snapshot, its time, the WAL ops not yet
 * applied). Every other view says it appears when the index is complete.
 * The real views replace this once the store is open (state/session.ts).
 */
import type { SnapshotPreview } from "../../../electron/contract";
import { Nav } from "../components/Header";
import { LoadProgressBar } from "../components/LoadProgressBar";
import { cellText, formatBytes, shortTime } from "../lib/format";
import { loadShare, useStoreLoad } from "../state/storeLoad";
import { useUi, VIEWS } from "../state/ui";

const MAX_COLUMNS = 8;

export function LoadingStoreView() {
  const progress = useStoreLoad((s) => s.progress);
  const view = useUi((s) => s.view);
  const label = VIEWS.find((v) => v.name === view)?.label ?? view;
  return (
    <>
      <header className="header">
        <div className="brand">opslog explorer</div>
        <div className="store-path" title={progress?.url}>{progress?.url ?? ""}</div>
        <span className="loading-badge" data-testid="store-loading-badge">loading</span>
        <div className="counts muted">counts appear when indexing completes</div>
      </header>
      <Nav />
      <main className="content">
        <div className="main-pane loading-pane" data-testid="loading-view">
          <LoadProgressBar progress={progress} />
          {view === "records" ? <SnapshotPreviewTable /> : <p className="empty" data-testid="view-loading">The {label} view appears when indexing completes.</p>}
        </div>
      </main>
    </>
  );
}

function SnapshotPreviewTable() {
  const preview = useStoreLoad((s) => s.preview);
  const share = loadShare(useStoreLoad((s) => s.progress));
  if (!preview) return <p className="empty">Reading the first records of the snapshot…</p>;
  const indexing = share === null ? "indexing" : `indexing ${Math.floor(share * 100)}%`;
  if (preview.rows.length === 0) {
    return <p className="empty" data-testid="preview-label">{preview.unavailable ?? `The snapshot ${name(preview)} holds no records; the WALs' ${formatBytes(preview.walBytes)} are not applied yet (${indexing}).`}</p>;
  }
  const columns = columnsOf(preview);
  return (
    <div className="preview">
      <p className="preview-label" data-testid="preview-label">{labelText(preview, indexing)}</p>
      <div className="preview-scroll">
        <table className="preview-table">
          <thead><tr><th>id</th>{columns.map((c) => <th key={c}>{c}</th>)}</tr></thead>
          <tbody>
            {preview.rows.map((row) => (
              <tr key={row.id} data-testid="preview-row" data-key={row.id}>
                <td className="mono">{row.id}</td>
                {columns.map((c) => <td key={c}>{cellText(row.value[c])}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

const name = (preview: SnapshotPreview) => preview.snapshot.replace(/^snapshots\//, "");

/** What the rows are and what they lack: which snapshot, its time, the WAL ops not applied, how far indexing is. */
function labelText(preview: SnapshotPreview, indexing: string): string {
  const count = preview.rows.length.toLocaleString();
  const rows = `${preview.complete ? `All ${count} records` : `The first ${count} records`} of the snapshot ${name(preview)}${preview.timestamp ? `, taken ${shortTime(preview.timestamp)}` : ""}, in file order.`;
  const wals = preview.walFiles === 1 ? "WAL's" : `${preview.walFiles} WALs'`;
  const pending = preview.walBytes > 0 ? ` The ${wals} ${formatBytes(preview.walBytes)} of ops written since are not applied yet (${indexing}).` : ` No WAL ops follow it (${indexing}).`;
  return `${rows}${pending} The full table appears when indexing completes.`;
}

/** The fields of the first rows, in the order they first appear. */
function columnsOf(preview: SnapshotPreview): string[] {
  const seen = new Set<string>();
  for (const row of preview.rows.slice(0, 50)) for (const key of Object.keys(row.value)) if (seen.size < MAX_COLUMNS) seen.add(key);
  return [...seen];
}
