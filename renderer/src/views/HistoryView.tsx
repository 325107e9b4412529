/** History: the chain snapshot -> WALs -> next snapshot, back to creation, with its gaps and checks. */
import type { ChainLink } from "../../../electron/contract";
import { useReplay } from "../state/replay";
import { selectSummary, useSession } from "../state/session";
import { PaneError } from "../components/PaneError";
import { formatBytes, shortTime, plural } from "../lib/format";
import { replayAt } from "../commands";
import { useQuery } from "../state/query";
import type { QueryRequest } from "../state/request";

const reloadChain = (_: null, request: QueryRequest) => useReplay.getState().loadInfo(request);

const VERDICT: Record<ChainLink["verified"], string> = {
  ok: "verified: replaying these WALs over the snapshot gives the next snapshot",
  mismatch: "mismatch: replaying these WALs does not give the next snapshot",
  unverifiable: "cannot be verified: a file it needs is missing",
  live: "live: the current state, still being written",
};

const fileName = (path: string) => path.replace(/^(snapshots|ops)\//, "");

export function HistoryView() {
  const summary = useSession(selectSummary);
  const info = useReplay((s) => s.info);
  const error = useReplay((s) => s.error);
  useQuery(reloadChain, null);
  if (error && !info) return <PaneError error={error} />;
  if (!info || !summary) return <div className="muted pad">Loading the history chain…</div>;
  const snapshots = new Map(summary.snapshots.map((s) => [s.path, s]));
  const gaps = info.links.filter((l) => l.missing.length).length;
  const mismatches = info.links.filter((l) => l.verified === "mismatch").length;
  return (
    <div className="scroll-pane">
      <div className="history-summary">
        <h2>History chain</h2>
        <p className="muted">
          opslog never deletes old snapshots and WALs: each compaction leaves them behind. Together they are the store's history, replayed here link by link:
          a snapshot, the WALs written after it, and the snapshot the next compaction made from them.
        </p>
        <div className="stat-row">
          <span><b>{info.links.length}</b> {info.links.length === 1 ? "link" : "links"}</span>
          <span><b>{info.total.toLocaleString()}</b> {info.total === 1 ? "op" : "ops"}</span>
          <span className={gaps ? "bad-text" : ""}><b>{gaps}</b> with missing files</span>
          <span className={mismatches ? "bad-text" : ""}><b>{mismatches}</b> mismatched</span>
        </div>
      </div>
      <div className="chain">
        {info.links.map((link) => {
          const snap = link.snapshot ? snapshots.get(link.snapshot) : null;
          return (
            <div key={link.epoch} className={`chain-link ${link.verified}`} data-testid="chain-link" data-verified={link.verified}>
              <div className="chain-node">
                <div className="small muted" data-testid="chain-link-name">{link.snapshot ? `snapshot${snap?.timestamp ? ` written ${shortTime(snap.timestamp)}` : ""}` : "the store's creation"}</div>
                <div className="mono"><b>{link.snapshot ? fileName(link.snapshot) : "(creation: empty state)"}</b></div>
                {snap ? <div className="small muted">{snap.format} · {snap.records === null ? "? records" : plural(snap.records, "record")} · {formatBytes(snap.bytes)}{snap.current ? " · current" : ""}</div> : null}
              </div>
              <div className="chain-wals">
                {link.wals.map((w) => <div key={w} className="mono small">↳ {fileName(w)}</div>)}
                {link.wals.length === 0 ? <div className="small muted">no WAL</div> : null}
                {link.missing.map((m) => <div key={m} className="small bad-text" data-testid="chain-gap">missing: <span className="mono">{m}</span>: the timeline jumps over this gap</div>)}
                {link.next ? <div className="mono small muted">→ {fileName(link.next)}</div> : null}
              </div>
              <div className="chain-verdict">
                <div className="small" data-testid="chain-link-ops">{link.endPos > link.startPos ? `ops #${(link.startPos + 1).toLocaleString()}–#${link.endPos.toLocaleString()}` : "no ops"} <span className="muted">({(link.endPos - link.startPos).toLocaleString()}) · positions {link.startPos.toLocaleString()}–{link.endPos.toLocaleString()}</span></div>
                <div className={`small verdict ${link.verified}`}>{link.verified === "ok" && link.droppedWrites ? "verified: replaying these WALs, less the writes below, gives the next snapshot" : VERDICT[link.verified]}</div>
                {link.mismatchCount ? (
                  <div className="small bad-text" data-testid="chain-mismatch">
                    {link.mismatchCount} record(s) differ: <span className="mono">{link.mismatchIds.slice(0, 8).join(", ")}{link.mismatchCount > 8 ? ", …" : ""}</span>
                  </div>
                ) : null}
                {link.droppedWrites ? (
                  <div className="small bad-text" data-testid="chain-dropped">
                    {link.droppedWrites} write(s) here were lost: the compaction that wrote {fileName(link.next ?? "")} had not seen them (see Agents, lost writes)
                  </div>
                ) : null}
                <button className="link" title={`The Timeline at position ${link.startPos.toLocaleString()}: this link's snapshot, before its first op`} onClick={() => replayAt(link.startPos)}>replay from position {link.startPos.toLocaleString()}</button>
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}
