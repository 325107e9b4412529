/**
 * Re-applying lost writes, shown before anything is written: per record, the
 * lost write(s) that decide it, what re-applying does, the later ops it
 * overrides, and the record now against the record after.
 */
import { useEffect } from "react";
import type { LaterOp, LostWrite, ReapplyRecord } from "../../../electron/contract";
import { useReapply } from "../state/reapply";
import { DiffView } from "./DiffView";
import { PaneError } from "./PaneError";
import { opLabel, shortTime } from "../lib/format";

const LATER_SHOWN = 5;
const REASONS: Record<string, string> = { "retired-wal": "appended to a retired WAL", "unseen-by-compaction": "left out by a compaction", "torn-by-undo": "torn by opslog's undo" };

export function ReapplyDialog() {
  const { refs, preview, error, busy, apply, close } = useReapply();
  useEffect(() => {
    if (!refs) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && close();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [refs, close]);
  if (!refs) return null;
  const writing = preview?.records.filter((r) => !r.unchanged).length ?? 0;
  return (
    <div className="modal-backdrop" onClick={close}>
      <div className="modal reapply-dialog" role="dialog" aria-modal="true" aria-label="Re-apply lost writes" data-testid="reapply-dialog" onClick={(e) => e.stopPropagation()}>
        <h2>Re-apply {refs.length} lost write{refs.length === 1 ? "" : "s"}?</h2>
        {error ? <PaneError error={error} /> : null}
        {!preview && !error ? <div className="muted">Looking at what re-applying would change…</div> : null}
        {preview ? (
          <div className="modal-body">
            <p className="small muted">Each record gets the value its lost write had, as a new op of this explorer (the lost line stays where it is, as history). If a record changes before you confirm, nothing is written.</p>
            {preview.records.map((r) => <RecordChange key={r.id} record={r} />)}
          </div>
        ) : null}
        <div className="modal-actions">
          <button onClick={close} disabled={busy}>Cancel</button>
          <button className="danger" data-testid="reapply-apply" onClick={() => void apply()} disabled={busy || !preview || writing === 0} autoFocus>
            {busy ? "Working…" : writing === 0 ? "Nothing to write" : `Re-apply (${writing} record${writing === 1 ? "" : "s"})`}
          </button>
        </div>
      </div>
    </div>
  );
}

function RecordChange({ record: r }: { record: ReapplyRecord }) {
  return (
    <section className="reapply-record" data-testid="reapply-record" data-id={r.id}>
      <h3 className="mono">{r.id}</h3>
      {r.writes.map((w) => <WriteLine key={`${w.file}:${w.line}`} write={w} />)}
      <p className="small" data-testid="reapply-explanation">{r.explanation}</p>
      {r.laterOpsTotal > 0 ? (
        <>
          <p className="small" data-testid="reapply-later-count"><b>{r.laterOpsTotal} later op{r.laterOpsTotal === 1 ? "" : "s"}</b> changed <span className="mono">{r.id}</span> after the lost write; re-applying overrides {r.laterOpsTotal === 1 ? "it" : "them"}:</p>
          <ul className="revert-later-list" data-testid="reapply-later-list">
            {r.laterOps.slice(0, LATER_SHOWN).map((o) => <LaterOpRow key={o.pos} op={o} />)}
            {r.laterOpsTotal > LATER_SHOWN ? <li className="muted">and {r.laterOpsTotal - LATER_SHOWN} more (Operations view, id {r.id})</li> : null}
          </ul>
        </>
      ) : null}
      {r.unchanged ? null : <div data-testid="reapply-diff"><div className="small muted">now → after</div><DiffView before={r.now} after={r.after} /></div>}
    </section>
  );
}

function WriteLine({ write: w }: { write: LostWrite }) {
  return <div className="mono small muted">lost {w.op} by {w.agent ?? "writer"} at {shortTime(w.ts)} · {REASONS[w.reason] ?? w.reason} · {w.file}:{w.line}</div>;
}

function LaterOpRow({ op }: { op: LaterOp }) {
  return <li className="mono small">{opLabel(op.pos)} · {op.agent ?? "writer"} · {shortTime(op.ts)} · <span className={`op-badge ${op.op}`}>{op.op}</span> {op.fields.length ? op.fields.join(", ") : <span className="muted">(no field changed)</span>}</li>;
}
