/**
 * Says plainly, while an S3 store's history is still being fetched, that
 * what is on screen is its current state (what opslog-s3's own open reads)
 * and that counts, the timeline, lost writes and events cover only that
 * period until the rest is in; with a bar of the history fetched so far.
 */
import { historyShare, useHistoryLoad } from "../state/historyLoad";

export function HistoryLoadingBanner() {
  const progress = useHistoryLoad((s) => s.progress);
  if (!progress) return null;
  const percent = Math.floor(historyShare(progress) * 100);
  return (
    <div className="history-banner" role="status" data-testid="history-loading">
      <div>
        <b data-testid="history-loading-title">History loading ({progress.listed ? `${progress.objects.toLocaleString()} of ${progress.totalObjects.toLocaleString()} objects` : "listing the bucket…"})</b>
        {" · "}
        <span>The current state is shown: the manifest, its current snapshot and active WALs, as opslog-s3 reads them. Counts, the timeline, lost writes and events cover only this period until the history is in; the views then update by themselves.</span>
      </div>
      {progress.failed ? <div className="small bad-text" data-testid="history-failed">{progress.failed}</div> : null}
      <div className="load-progress-track" aria-hidden="true">
        <div className="load-progress-fill" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
