/**
 * The open screen: a folder by path (with folder-name completion), a folder
 * dialog (desktop), a drop, the recent stores, or a store on S3, in the mode
 * chosen (read-only, writer, agent with its id). The page when no store is
 * open; a dialog over the open store otherwise (OpenScreenDialog).
 */
import { useEffect, useState } from "react";
import type { RecentStore, SessionMode } from "../../../electron/contract";
import { api } from "../api/client";
import { useSession } from "../state/session";
import { checkAgentId, openAsking } from "../state/openFlow";
import { shortTime } from "../lib/format";
import { S3OpenForm } from "../components/S3OpenForm";
import { FolderPathInput } from "../components/FolderPathInput";
import { LoadProgressBar } from "../components/LoadProgressBar";
import { useStoreLoad } from "../state/storeLoad";
import { useS3Load } from "../state/s3Load";

export const LOCKED = "The explorer was started with --read-only: stores open read-only, and writer and agent modes are unavailable. To write, restart it without --read-only.";

const MODES: { mode: SessionMode; label: string; hint: string }[] = [
  { mode: "read-only", label: "read-only", hint: "never writes a byte, never locks" },
  { mode: "writer", label: "writer", hint: "single-writer stores: takes the store's .lock" },
  { mode: "agent", label: "agent", hint: "multi-writer stores and S3: writes as an agent of its own" },
];

export function OpenStoreView({ inDialog = false }: { inDialog?: boolean }) {
  const error = useSession((s) => s.openError);
  const locked = useSession((s) => s.lockedReadOnly);
  const [dir, setDir] = useState("");
  const [chosenMode, setMode] = useState<SessionMode>("read-only");
  const mode = locked ? "read-only" : chosenMode;
  const [agentId, setAgentId] = useState("explorer");
  const agentProblem = mode === "agent" ? checkAgentId(agentId) : null;
  const [recent, setRecent] = useState<RecentStore[]>([]);
  useEffect(() => {
    void api.call("store.recent", {}).then(setRecent, () => setRecent([]));
  }, []);
  const open = (target: string) => !agentProblem && openAsking(target, mode, agentId.trim());
  async function pick() {
    const { dir: picked } = await api.call("store.pickDirectory", {});
    if (picked) open(picked);
  }
  return (
    <div className={`open-store${inDialog ? " in-dialog" : ""}`}>
      {inDialog ? null : <PendingOpenNotice />}
      <h1>{inDialog ? "Open a store" : "Open an opslog store"}</h1>
      <p className="muted">Choose the folder that holds manifest.json, snapshots/ and ops/{inDialog ? ". Esc goes back to the store that is open, unchanged." : "."}</p>
      <div className="toolbar">
        <FolderPathInput value={dir} onChange={setDir} onOpen={(path) => { setDir(path); open(path); }} />
        <button className="primary" disabled={!dir.trim() || agentProblem !== null} onClick={() => open(dir.trim())} data-testid="open-button">Open</button>
        {window.opslogBridge ? <button onClick={() => void pick()} data-testid="pick-folder">Choose folder…</button> : null}
      </div>
      <fieldset className="mode-picker" data-testid="open-mode">
        <legend className="small muted">Mode</legend>
        {MODES.map((m) => {
          const off = locked && m.mode !== "read-only";
          return (
            <label key={m.mode} className={`mode-choice${off ? " off" : ""}`} title={off ? LOCKED : m.hint}>
              <input type="radio" name="open-mode" value={m.mode} checked={mode === m.mode} disabled={off} onChange={() => setMode(m.mode)} data-testid={`open-mode-${m.mode}`} />
              <b>{m.label}</b> <span className="muted small">{m.hint}</span>
            </label>
          );
        })}
        {mode === "agent" ? (
          <label className="mode-agent">
            <span className="small muted">Agent id</span>
            <input className="mono" value={agentId} onChange={(e) => setAgentId(e.target.value)} aria-label="Agent id" data-testid="open-agent-id" spellCheck={false} />
            {agentProblem ? <span className="filter-error small" role="alert">{agentProblem}</span> : null}
          </label>
        ) : null}
        {locked ? <p className="muted small" data-testid="open-locked">{LOCKED}</p> : null}
      </fieldset>
      <OpeningProgress />
      {error && error.code !== "confirm-required" ? (
        <div className="pane-error" role="alert" data-testid="open-error">
          {error.message}
          {error.detail ? <div className="detail">{error.detail}</div> : null}
        </div>
      ) : null}
      <S3OpenForm mode={mode} agentId={agentId.trim()} blocked={agentProblem !== null} />
      <h2>Recent</h2>
      {recent.length === 0 ? <div className="muted">No recent stores yet.</div> : null}
      {recent.map((r) => (
        <button key={r.dir} className="recent-item" data-testid="recent-store" onClick={() => { setDir(r.dir); open(r.dir); }}>
          <span className="mono">{r.dir}</span> <span className="muted small">opened {shortTime(r.openedAt)}</span>
        </button>
      ))}
      {window.opslogBridge ? <p className="muted small">You can also drop a store folder anywhere on this window, or use File › Open Store… (Ctrl/Cmd-O).</p> : null}
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
