/**
 * Reverting an op, shown before anything is written: the later ops on the
 * record that a full revert would overwrite, the two choices ("undo only
 * this op's change", the default, and the full revert), and the record now
 * against the record after the chosen one.
 */
import { useEffect } from "react";
import type { LaterOp, RevertPreview } from "../../../electron/contract";
import { useRevert } from "../state/revert";
import type { RevertChoice } from "../state/revert";
import { DiffView } from "./DiffView";
import { PaneError } from "./PaneError";
import { opLabel, shortTime } from "../lib/format";

const LATER_SHOWN = 5;

export function RevertDialog() {
  const { pos, preview, error, choice, busy, choose, apply, close } = useRevert();
  useEffect(() => {
    if (pos === null) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && close();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [pos, close]);
  if (pos === null) return null;
  const after = preview ? (choice === "full" ? preview.afterFull : preview.afterOwnChange) : null;
  return (
    <div className="modal-backdrop" onClick={close}>
      <div className="modal revert-dialog" role="dialog" aria-modal="true" aria-label={`Revert op ${opLabel(pos)}`} data-testid="revert-dialog" onClick={(e) => e.stopPropagation()}>
        <h2>Revert op {opLabel(pos)}{preview ? <> · <span className={`op-badge ${preview.op.op}`}>{preview.op.op}</span> <span className="mono">{preview.op.id}</span></> : null}</h2>
        {error ? <PaneError error={error} /> : null}
        {!preview && !error ? <div className="muted">Looking at what a revert would change…</div> : null}
        {preview ? (
          <div className="modal-body">
            <LaterOps preview={preview} />
            <fieldset className="revert-choices">
              <Choice value="own-change" current={choice} onChoose={choose} disabled={!preview.ownChange.applicable} label="Undo only this op's change" hint={preview.ownChange.explanation} />
              <Choice value="full" current={choice} onChoose={choose} label={`Full revert: "${preview.op.id}" as it was before this op`} hint={preview.fullExplanation} />
            </fieldset>
            <h3>Now → after {choice === "full" ? "the full revert" : "undoing only this op's change"}</h3>
            <div data-testid="revert-diff"><DiffView before={preview.now} after={after} /></div>
          </div>
        ) : null}
        <div className="modal-actions">
          <button onClick={close} disabled={busy}>Cancel</button>
          <button className="danger" data-testid="revert-apply" onClick={() => void apply()} disabled={busy || !preview} autoFocus>
            {busy ? "Working…" : choice === "full" ? "Revert in full" : "Undo this op's change"}
          </button>
        </div>
      </div>
    </div>
  );
}

function LaterOps({ preview }: { preview: RevertPreview }) {
  const { laterOpsTotal: total, laterOps, op } = preview;
  if (total === 0) return <p data-testid="revert-later-count">No later op changed <span className="mono">{op.id}</span>: both choices give the same record.</p>;
  return (
    <div className="revert-later">
      <p data-testid="revert-later-count">
        <b>{total} later op{total === 1 ? "" : "s"}</b> changed <span className="mono">{op.id}</span> after this one; the full revert overwrites {total === 1 ? "it" : "all of them"}.
        {preview.fieldsChangedLater.length ? <> Fields this op changed that later ops changed again: <span className="mono">{preview.fieldsChangedLater.join(", ")}</span>.</> : null}
      </p>
      <ul className="revert-later-list" data-testid="revert-later-list">
        {laterOps.slice(0, LATER_SHOWN).map((o) => <LaterOpRow key={o.pos} op={o} />)}
        {total > LATER_SHOWN ? <li className="muted">and {total - LATER_SHOWN} more (Operations view, id {op.id})</li> : null}
      </ul>
    </div>
  );
}

function LaterOpRow({ op }: { op: LaterOp }) {
  return (
    <li className="mono small">
      {opLabel(op.pos)} · {op.agent ?? "writer"} · {shortTime(op.ts)} · <span className={`op-badge ${op.op}`}>{op.op}</span> {op.fields.length ? op.fields.join(", ") : <span className="muted">(no field changed)</span>}
    </li>
  );
}

function Choice({ value, current, onChoose, label, hint, disabled }: { value: RevertChoice; current: RevertChoice; onChoose(c: RevertChoice): void; label: string; hint: string; disabled?: boolean }) {
  return (
    <label className={`revert-choice${disabled ? " muted" : ""}`}>
      <input type="radio" name="revert-choice" value={value} checked={current === value} disabled={disabled} onChange={() => onChoose(value)} data-testid={`revert-choice-${value}`} />
      <span>
        <b>{label}</b>
        <span className="revert-hint">{hint}</span>
      </span>
    </label>
  );
}
