/** No store open: pick one by path, folder dialog, drop, or from recent stores. */
import { useEffect, useState } from "react";
import type { RecentStore, SessionMode } from "../../../electron/contract";
import { api } from "../api/client";
import { useSession } from "../state/session";
import { useUi } from "../state/ui";
import { shortTime } from "../lib/format";
import { S3OpenForm } from "../components/S3OpenForm";
import { LoadProgressBar } from "../components/LoadProgressBar";
import { useStoreLoad } from "../state/storeLoad";
import { useS3Load } from "../state/s3Load";

const LOCKED = "The explorer was started with --read-only: stores open read-only, and writer and agent modes are unavailable.";

export function OpenStoreView() {
  const openStore = useSession((s) => s.openStore);
  const error = useSession((s) => s.openError);
  const locked = useSession((s) => s.lockedReadOnly);
  const [dir, setDir] = useState("");
  const [chosenMode, setMode] = useState<SessionMode>("read-only");
  const mode = locked ? "read-only" : chosenMode;
  const [agentId, setAgentId] = useState("explorer");
  const [recent, setRecent] = useState<RecentStore[]>([]);
  useEffect(() => {
    void api.call("store.recent", {}).then(setRecent, () => setRecent([]));
  }, []);
  const ask = useUi((s) => s.ask);
  const openNow = (target: string, confirm = false) => void openStore(target, mode, mode === "agent" ? agentId : undefined, confirm);
  // A write mode is a choice the user makes knowingly: ask before opening in one.
  const open = (target: string) =>
    mode === "read-only"
      ? openNow(target)
      : ask({
          title: `Open in ${mode} mode?`,
          body: mode === "writer" ? "The explorer takes this store's .lock and may change its files (undo, compact, archive, edits). The app that owns the store cannot write until you close it." : `The explorer writes to this store as agent "${agentId}", in a WAL of its own, and may change its files (undo, revert, compact, edits).`,
          confirmLabel: `Open in ${mode} mode`,
          danger: true,
          onConfirm: () => openNow(target),
        });
  async function pick() {
    const { dir: picked } = await api.call("store.pickDirectory", {});
    if (picked) open(picked);
  }
  return (
    <div className="open-store">
      <PendingOpenNotice />
      <h1>Open an opslog store</h1>
      <p className="muted">Choose the folder that holds manifest.json, snapshots/ and ops/. Read-only never writes a byte.</p>
      <div className="toolbar">
        <input className="mono grow" placeholder="/path/to/store" value={dir} onChange={(e) => setDir(e.target.value)} onKeyDown={(e) => e.key === "Enter" && dir && open(dir)} data-testid="open-path" />
        <select value={mode} onChange={(e) => setMode(e.target.value as SessionMode)} aria-label="Mode" disabled={locked} title={locked ? LOCKED : "The mode to open the store in"} data-testid="open-mode">
          <option value="read-only">read-only</option>
          <option value="writer">writer</option>
          <option value="agent">agent</option>
        </select>
        {mode === "agent" ? <input className="mono" value={agentId} onChange={(e) => setAgentId(e.target.value)} aria-label="Agent id" /> : null}
        <button className="primary" disabled={!dir} onClick={() => open(dir)} data-testid="open-button">Open</button>
        {window.opslogBridge ? <button onClick={() => void pick()} data-testid="pick-folder">Choose folder…</button> : null}
      </div>
      {locked ? <p className="muted small" data-testid="open-locked">{LOCKED}</p> : null}
      <OpeningProgress />
      {error ? (
        <div className="pane-error" role="alert" data-testid="open-error">
          {error.message}
          {error.detail ? <div className="detail">{error.detail}</div> : null}
          {error.code === "confirm-required" ? <div><button className="danger" data-testid="confirm-agent" onClick={() => openNow(dir, true)}>I understand: open in agent mode anyway</button></div> : null}
        </div>
      ) : null}
      <S3OpenForm />
      <h2>Recent</h2>
      {recent.length === 0 ? <div className="muted">No recent stores yet.</div> : null}
      {recent.map((r) => (
        <button key={r.dir} className="recent-item" data-testid="recent-store" onClick={() => { setDir(r.dir); open(r.dir); }}>
          <span className="mono">{r.dir}</span> <span className="muted small">opened {shortTime(r.openedAt)}</span>
        </button>
      ))}
      {window.opslogBridge ? <p className="muted small">You can also drop a store folder anywhere on this window, or use File › Open.</p> : null}
    </div>
  );
}

/** How far the open in flight has come (the S3 form shows its own). */
function OpeningProgress() {
  const opening = useStoreLoad((s) => s.opening);
  const s3Opening = useS3Load((s) => s.opening);
  const progress = useStoreLoad((s) => s.progress);
  return opening && !s3Opening ? <LoadProgressBar progress={progress} /> : null;
}

/** The command line asked for agent mode on a single-writer store: say why that is risky, and let the user choose. */
function PendingOpenNotice() {
  const pending = useSession((s) => s.pendingOpen);
  const openStore = useSession((s) => s.openStore);
  if (!pending) return null;
  return (
    <div className="pane-error pending-open" role="alert" data-testid="pending-open">
      <b>The command line asked to open <span className="mono">{pending.dir}</span> in {pending.mode} mode{pending.agentId ? ` as agent "${pending.agentId}"` : ""}.</b>
      <p>{pending.reason}</p>
      <div className="modal-actions">
        <button data-testid="pending-read-only" onClick={() => void openStore(pending.dir)}>Open it read-only</button>
        <button className="danger" data-testid="pending-confirm" onClick={() => void openStore(pending.dir, pending.mode, pending.agentId ?? undefined, true)}>I understand: open in {pending.mode} mode anyway</button>
      </div>
    </div>
  );
}
