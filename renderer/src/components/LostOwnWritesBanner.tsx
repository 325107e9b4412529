/**
 * Says at once, and keeps saying until dismissed, that writes the explorer
 * made (and was told were saved) are not in the store: which ones, why, and
 * what to do (re-apply them from the Agents view).
 */
import { useOwnLost } from "../state/ownLost";
import { useUi } from "../state/ui";

export function LostOwnWritesBanner() {
  const notices = useOwnLost((s) => s.notices);
  const dismiss = useOwnLost((s) => s.dismiss);
  if (notices.length === 0) return null;
  const total = notices.reduce((n, w) => n + w.total, 0);
  const writes = notices.flatMap((n) => n.writes);
  return (
    <div className="own-lost-banner" role="alert" data-testid="own-lost-banner">
      <b>{total} of the explorer&apos;s own writes {total === 1 ? "is" : "are"} not in the store, though {total === 1 ? "it was" : "they were"} acknowledged.</b>
      <ul>
        {writes.slice(0, 8).map((w) => <li key={`${w.file}:${w.line}`} className="mono small">{w.op} {w.id} · {w.file}:{w.line}</li>)}
        {writes.length > 8 ? <li className="muted small">and {writes.length - 8} more (Agents view, Lost writes)</li> : null}
      </ul>
      <div className="small">{notices[notices.length - 1].message}</div>
      <div className="banner-actions">
        <button className="link" data-testid="own-lost-show" onClick={() => useUi.getState().show("agents")}>Show lost writes (Agents)</button>
        <button className="link" data-testid="own-lost-dismiss" onClick={dismiss}>Dismiss</button>
      </div>
    </div>
  );
}
