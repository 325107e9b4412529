/** The frame's top bar: which store, in which mode, how big, what is wrong, what is new. */
import { useEffect, useState } from "react";
import { api } from "../api/client";
import type { RecentStore, StoreWarning } from "../../../electron/contract";
import type { ViewName } from "../state/ui";
import { useHistoryLoad } from "../state/historyLoad";
import { lostCount, opsCount, warningsCount, writersCount } from "../lib/counts";
import { selectInfo, selectSummary, useSession } from "../state/session";
import { useUi, VIEWS } from "../state/ui";
import { showOpenScreen } from "../state/openScreen";
import { ActionsBar } from "./ActionsBar";
import { FitOneLine } from "./FitOneLine";

export function Header() {
  const info = useSession(selectInfo);
  const summary = useSession(selectSummary);
  const newOps = useSession((s) => s.newOps);
  const acknowledge = useSession((s) => s.acknowledge);
  const toggleWarnings = useUi((s) => s.toggleWarnings);
  const historyLoading = useHistoryLoad((s) => s.progress !== null);
  if (!info || !summary) return null;
  const problems = summary.warnings.filter((w) => w.severity !== "info").length;
  const modeLabel = info.mode === "agent" ? `agent: ${info.agentId}` : info.lockedReadOnly ? "read-only (locked)" : info.mode;
  const ops = opsCount(summary.counts);
  const lost = lostCount(summary.counts);
  const writers = writersCount(summary);
  return (
    <header className="header">
      <div className="brand">opslog explorer</div>
      <div className="store-path" title={info.dir}>{info.demo ? <span className="demo-tag">demo</span> : null}{info.dir}</div>
      <span className={`mode-badge ${info.mode}`} data-testid="mode-badge" title={info.modeReason}>{modeLabel}</span>
      <span className="kind-badge" title="What kind of store this is">{summary.kind}</span>
      <FitOneLine className="counts">
        {historyLoading ? <span className="partial-tag" data-testid="header-partial" title="The history behind the current state is still being fetched: these counts cover the current period only">current period only</span> : null}
        {summary.counts.records === null ? <span title="The current snapshot is missing: see the warnings" data-testid="records-unknown"><b>unknown</b> records</span> : <span title="Records in the current state"><b>{summary.counts.records.toLocaleString()}</b> records</span>}
        <span><span title={ops.title} data-testid="header-ops">{ops.text}</span>{lost ? <> · <span title={lost.title} data-testid="header-lost" className="lost-count">{lost.text}</span></> : null}</span>
        <span title={writers.title} data-testid="header-writers">{writers.text}</span>
        <span title="Archived records"><b>{summary.counts.archivedRecords.toLocaleString()}</b> archived</span>
      </FitOneLine>
      <button className={`warnings-badge ${problems ? "bad" : summary.warnings.length ? "info" : "ok"}`} data-testid="warnings-badge" onClick={() => toggleWarnings()} title="What looks wrong with this store: errors, warnings, and notices (information only)">
        {warningsCount(summary.warnings)}
      </button>
      {newOps > 0 ? <button className="live-indicator" data-testid="live-indicator" onClick={acknowledge} title="Ops other processes wrote while you watched">+{newOps} new</button> : <span className="live-dot" data-testid="live-indicator" title="Watching for other processes' writes">live</span>}
      <span className="spacer" />
      <button onClick={() => showOpenScreen()} title="Open another store: a folder, a recent store, S3, in the mode you choose (Ctrl/Cmd-O)" data-testid="open-screen-button">Open…</button>
      <RecentMenu />
    </header>
  );
}

/** The agents that have written an op; an agent whose WAL is still empty (the explorer's own, in agent mode, before it writes) is named in the title, not counted. */
function RecentMenu() {
  const open = useUi((s) => s.openMenu === "recent");
  const setOpen = (next: boolean) => useUi.getState().setMenu(next ? "recent" : null);
  const [recent, setRecent] = useState<RecentStore[]>([]);
  const openStore = useSession((s) => s.openStore);
  const toast = useUi((s) => s.toast);
  useEffect(() => {
    if (open) void api.call("store.recent", {}).then(setRecent, () => setRecent([]));
  }, [open]);
  return (
    <div className="menu">
      <button onClick={() => setOpen(!open)} title="Open a recent store" aria-expanded={open} data-testid="recent-menu">Recent ▾</button>
      {open ? (
        <div className="menu-list" data-testid="recent-list">
          {recent.length === 0 ? <div className="muted">No recent stores</div> : null}
          {recent.map((r) => (
            <button key={r.dir} className="menu-item" onClick={async () => { setOpen(false); if (!(await openStore(r.dir))) toast("error", useSession.getState().openError?.message ?? "Could not open"); }}>{r.dir}</button>
          ))}
        </div>
      ) : null}
    </div>
  );
}

export function Nav() {
  const view = useUi((s) => s.view);
  const show = useUi((s) => s.show);
  return (
    <nav className="nav" aria-label="Views">
      {VIEWS.map((v, i) => (
        <button key={v.name} data-testid={`nav-${v.name}`} className={v.name === view ? "active" : ""} onClick={() => show(v.name)} title={`${v.label} (${i + 1})`}>
          <span className="nav-key">{i + 1}</span> {v.label}
        </button>
      ))}
      <span className="spacer" />
      <ActionsBar />
    </nav>
  );
}

/** Where the user can see more about a warning */
const WARNING_VIEW: Partial<Record<StoreWarning["code"], ViewName>> = {
  "lost-writes": "agents",
  "chain-gap": "history",
  "chain-mismatch": "history",
  "missing-file": "history",
  "malformed-line": "agents",
  "torn-line": "agents",
};

/** A link to where the warning's subject shows; a single writer's WAL lines are the Operations view's, as the store has no agents. */
function WarningLink({ code, singleWriter, onShow }: { code: StoreWarning["code"]; singleWriter: boolean; onShow(): void }) {
  const wal = code === "torn-line" || code === "malformed-line" || code === "lost-writes";
  const view = wal && singleWriter ? "operations" : WARNING_VIEW[code];
  if (!view) return null;
  const label = VIEWS.find((v) => v.name === view)?.label ?? view;
  return <button className="link" data-testid="warning-link" onClick={() => { useUi.getState().show(view); onShow(); }}>show in {label}{wal && singleWriter ? " (the WAL's ops)" : ""}</button>;
}

export function WarningsPanel() {
  const open = useUi((s) => s.warningsOpen);
  const toggle = useUi((s) => s.toggleWarnings);
  const summary = useSession(selectSummary);
  if (!open || !summary) return null;
  return (
    <aside className="warnings-panel" data-testid="warnings-panel">
      <div className="panel-title">Warnings <span className="spacer" /><button onClick={() => toggle(false)} aria-label="Close warnings" title="Close (Esc)">✕</button></div>
      {summary.warnings.length === 0 ? <div className="muted">Nothing looks wrong with this store.</div> : null}
      {summary.warnings.map((w, i) => (
        <div key={i} className={`warning ${w.severity}`} data-testid="warning-item">
          <div className="warning-code"><span className={`severity ${w.severity}`}>{w.severity}</span> {w.code}{w.file ? <span className="mono"> {w.file}{w.line ? `:${w.line}` : ""}</span> : null}</div>
          <div>{w.message}</div>
          <WarningLink code={w.code} singleWriter={summary.kind === "single-writer"} onShow={() => toggle(false)} />
        </div>
      ))}
    </aside>
  );
}
