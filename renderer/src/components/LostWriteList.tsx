/**
 * The Agents view's list of lost writes: each explained, and, in writer or
 * agent mode, ticked and re-applied (one or several: ReapplyDialog previews
 * them first). A write re-applied in this session says by which op.
 */
import type { LostWrite, LostWriteRow } from "../../../electron/contract";
import { useAgents } from "../state/agents";
import { refKey, useReapply } from "../state/reapply";
import { selectInfo, useSession } from "../state/session";
import { opLabel, shortTime } from "../lib/format";
import { showOp } from "../commands";
import { useHistoryLoading } from "../state/historyLoad";
import { PartialTag } from "./PartialTag";

/** Why a write is lost, in a few words (the explanation says it in full). */
const LOST_REASON: Record<LostWrite["reason"], string> = {
  "retired-wal": "appended to a retired WAL",
  "unseen-by-compaction": "unseen by a compaction",
  "torn-by-undo": "torn by opslog's undo",
};

export function LostWriteList() {
  const lost = useAgents((s) => s.lost);
  const total = useAgents((s) => s.lostTotal);
  const loaded = useAgents((s) => s.loaded);
  const focusId = useAgents((s) => s.focusId);
  const writable = useSession((s) => (selectInfo(s)?.mode ?? "read-only") !== "read-only");
  const selected = useReapply((s) => s.selected);
  const chosen = Object.values(selected);
  const partial = useHistoryLoading();
  return (
    <section className="explain">
      <h2>Lost writes <span className="muted" data-testid="lost-writes-count">({loaded ? total : "…"})</span> <PartialTag /></h2>
      <p className="muted small">Writes that are on disk but not in the store, though the agent that wrote them believes they were saved: appended to a WAL after a compaction had read the store (the manifest no longer names that file, so no reader replays it), written before a compaction whose agent had not seen them (its snapshot lacks them), or appended onto a line torn by opslog's undo (opslog skips that whole line). Each is listed, even when the store holds the same value anyway.</p>
      {writable && lost.length > 0 ? (
        <div className="lost-write-tools">
          <button data-testid="reapply-selected" disabled={chosen.length === 0} onClick={() => void useReapply.getState().open(chosen)} title="Write the ticked lost writes' values again, as new ops (a preview first)">Re-apply selected ({chosen.length})…</button>
        </div>
      ) : null}
      {!loaded ? <div className="muted">Reading the lost writes…</div> : lost.length === 0 ? <div className="muted">{partial ? "None in the current period; the history behind it is still loading." : "No lost writes."}</div> : null}
      {lost.map((l) => <LostWriteItem key={refKey(l)} lost={l} focused={focusId === l.id} writable={writable} ticked={refKey(l) in selected} />)}
      {total > lost.length ? <div className="muted small">…and {total - lost.length} more</div> : null}
    </section>
  );
}

function LostWriteItem({ lost: l, focused, writable, ticked }: { lost: LostWriteRow; focused: boolean; writable: boolean; ticked: boolean }) {
  const again = l.reappliedAs;
  return (
    <div className={`lost-write-item${focused ? " focused" : ""}`} data-testid="lost-write-item" data-id={l.id} onClick={() => useAgents.getState().focus(focused ? null : l.id)}>
      <div>
        {writable && !again ? <input type="checkbox" checked={ticked} data-testid="lost-write-select" aria-label={`Select the lost ${l.op} of ${l.id}`} onClick={(e) => e.stopPropagation()} onChange={(e) => useReapply.getState().toggle(l, e.target.checked)} /> : null}
        <b className="mono">{l.id}</b> <span className={`op-badge ${l.op}`}>{l.op}</span> by {l.agent ?? "writer"} at {shortTime(l.ts)} <span className="flag bad" data-testid="lost-write-reason">{LOST_REASON[l.reason]}</span>
      </div>
      <div className="small">{l.explanation}</div>
      <div className="mono small muted">{l.file}:{l.line}{l.reason === "torn-by-undo" ? ` (byte ${l.offset})` : ""} {JSON.stringify(l.data)}</div>
      {again ? (
        <div className="small ok-text" data-testid="lost-write-reapplied">
          re-applied as {again.pos === null ? `${again.file}:${again.line} (not in the timeline: see the warnings)` : <button className="link" onClick={(e) => { e.stopPropagation(); showOp(again.pos!); }}>op {opLabel(again.pos)}</button>}
        </div>
      ) : writable ? (
        <button className="link" data-testid="lost-write-reapply" onClick={(e) => { e.stopPropagation(); void useReapply.getState().open([l]); }}>Re-apply…</button>
      ) : null}
    </div>
  );
}
