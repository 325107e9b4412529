/** History: the chain snapshot -> WALs -> next snapshot, back to creation, with its gaps and checks. */
import { useEffect } from "react";
import { useReplay } from "../state/replay";
import { selectSummary, useSession } from "../state/session";
import { useUi } from "../state/ui";

const VERDICT: Record<string, string> = {
  ok: "verified: replaying the WALs over the snapshot gives the next snapshot",
  mismatch: "MISMATCH: replaying the WALs does not give the next snapshot",
  unverifiable: "cannot be verified: files are missing",
  live: "live: the current state, still being written",
};

export function HistoryView() {
  const revision = useSession((s) => s.revision);
  const summary = useSession(selectSummary);
  const info = useReplay((s) => s.info);
  useEffect(() => {
    void useReplay.getState().loadInfo();
  }, [revision]);
  if (!info || !summary) return <div className="muted pad">Loading…</div>;
  const sizes = new Map(summary.snapshots.map((s) => [s.path, s]));
  return (
    <div className="scroll-pane">
      <p className="muted pad">opslog never deletes old snapshots and WALs: each compaction leaves them behind. Together they are the store's history, replayed here link by link. {info.total.toLocaleString()} ops in all.</p>
      <div className="chain">
        {info.links.map((link) => {
          const snap = link.snapshot ? sizes.get(link.snapshot) : null;
          return (
            <div key={link.epoch} className={`chain-link ${link.verified}`} data-testid="chain-link">
              <div className="chain-node">
                <div className="mono"><b>{link.snapshot ? link.snapshot.replace("snapshots/", "") : "(creation: empty)"}</b></div>
                {snap ? <div className="small muted">{snap.format} · {snap.records ?? "?"} records · {(snap.bytes / 1024).toFixed(1)} KB{snap.current ? " · current" : ""}</div> : null}
              </div>
              <div className="chain-wals">
                {link.wals.map((w) => <div key={w} className="mono small">↳ {w.replace("ops/", "")}</div>)}
                {link.missing.map((m) => <div key={m} className="small bad-text">missing: {m}</div>)}
                <div className="small">ops #{link.startPos}–#{Math.max(link.startPos, link.endPos - 1)} ({link.endPos - link.startPos})</div>
                <div className={`small verdict ${link.verified}`}>{VERDICT[link.verified]}{link.mismatchCount ? ` (${link.mismatchCount} record(s): ${link.mismatchIds.slice(0, 5).join(", ")})` : ""}</div>
                <button className="link" onClick={() => { useReplay.getState().seek(link.startPos); useUi.getState().show("timeline"); }}>replay from here</button>
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}
