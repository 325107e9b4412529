/**
 * Compacting (or archiving) in agent mode, asked before anything is written:
 * the other agents whose WALs the manifest names, when each last wrote (its
 * last op, its WAL's modified time), and, said plainly, that each one still
 * running loses its next writes until it refreshes. The button waits for an
 * explicit tick when there is anyone to lose writes.
 */
import { useEffect } from "react";
import type { AgentActivity } from "../../../electron/contract";
import { useCompact } from "../state/compact";
import { PaneError } from "./PaneError";
import { shortTime } from "../lib/format";

/** "3 min ago", "2 h ago", "5 days ago": how long since, for a time shown beside it. */
function ago(iso: string | null): string {
  if (!iso) return "";
  const minutes = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60_000));
  if (minutes < 1) return "just now";
  if (minutes < 120) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

export function CompactDialog() {
  const { action, preview, error, acknowledged, busy, acknowledge, apply, close } = useCompact();
  useEffect(() => {
    if (!action) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && close();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [action, close]);
  if (!action) return null;
  const verb = action.kind === "compact" ? "Compact" : "Archive";
  const agents = preview?.otherAgents ?? [];
  const needsTick = agents.length > 0;
  const names = agents.map((a) => a.agent).join(", ");
  return (
    <div className="modal-backdrop" onClick={close}>
      <div className="modal compact-dialog" role="dialog" aria-modal="true" aria-label={`${verb} beside other agents`} data-testid="compact-dialog" onClick={(e) => e.stopPropagation()}>
        <h2>{action.kind === "compact" ? "Compact the store beside other agents?" : "Archive, then compact, beside other agents?"}</h2>
        {error ? <PaneError error={error} /> : null}
        {!preview && !error ? <div className="muted">Looking at which agents write to this store…</div> : null}
        {preview ? (
          <div className="modal-body">
            <p data-testid="compact-message">{preview.message}</p>
            {agents.length > 0 ? (
              <>
                <table className="compact-agents" data-testid="compact-agents">
                  <thead><tr><th>agent</th><th>last op</th><th>WAL modified</th><th>ops</th></tr></thead>
                  <tbody>{agents.map((a) => <AgentRow key={a.agent} agent={a} recentMinutes={preview.recentMinutes} />)}</tbody>
                </table>
                <p className="lost-text" data-testid="compact-warning"><b>Their next writes will be lost until they refresh.</b> Each of {names} that is still running keeps appending to a WAL the new manifest does not name; no reader replays those writes, and its agent is not told.</p>
                <label className="compact-ack">
                  <input type="checkbox" checked={acknowledged} onChange={(e) => acknowledge(e.target.checked)} data-testid="compact-acknowledge" />
                  <span>I understand: the next writes of {names} are lost until {agents.length === 1 ? "it refreshes" : "they refresh"} (or they are stopped).</span>
                </label>
              </>
            ) : null}
          </div>
        ) : null}
        <div className="modal-actions">
          <button onClick={close} disabled={busy}>Cancel</button>
          <button className="danger" data-testid="compact-apply" onClick={() => void apply()} disabled={busy || !preview || (needsTick && !acknowledged)} title={needsTick && !acknowledged ? "Tick the box above first" : undefined}>
            {busy ? "Working…" : needsTick ? `${verb} anyway` : verb}
          </button>
        </div>
      </div>
    </div>
  );
}

function AgentRow({ agent: a, recentMinutes }: { agent: AgentActivity; recentMinutes: number }) {
  return (
    <tr data-testid="compact-agent" data-agent={a.agent}>
      <td><b className="mono">{a.agent}</b> {a.recent ? <span className="flag bad" title={`Wrote within the last ${recentMinutes} minutes: probably still running`}>recent</span> : null}<div className="small muted mono">{a.wal.replace("ops/", "")}</div></td>
      <td>{a.lastOpAt ? <>{shortTime(a.lastOpAt)} <span className="muted small">({ago(a.lastOpAt)})</span></> : <span className="muted">no op yet</span>}</td>
      <td>{a.walModifiedAt ? <>{shortTime(a.walModifiedAt)} <span className="muted small">({ago(a.walModifiedAt)})</span></> : <span className="muted">unknown (S3)</span>}</td>
      <td className="num">{a.ops.toLocaleString()}</td>
    </tr>
  );
}
