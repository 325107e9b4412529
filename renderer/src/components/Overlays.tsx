/** The confirmation dialog and the toasts: every action asks first and reports after. */
import { useEffect, useState } from "react";
import { useUi } from "../state/ui";

export function ConfirmDialog() {
  const confirmation = useUi((s) => s.confirmation);
  const close = useUi((s) => s.closeConfirmation);
  const [busy, setBusy] = useState(false);
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setText(confirmation?.input?.initial ?? "");
    setProblem(null);
  }, [confirmation]);
  useEffect(() => {
    if (!confirmation) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && close();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [confirmation, close]);
  if (!confirmation) return null;
  async function confirm() {
    const issue = confirmation!.input?.check(text) ?? null;
    if (issue) return setProblem(issue);
    setBusy(true);
    try {
      await confirmation!.onConfirm(text);
    } finally {
      setBusy(false);
      close();
    }
  }
  return (
    <div className="modal-backdrop" onClick={close}>
      <div className="modal" role="dialog" aria-modal="true" aria-label={confirmation.title} onClick={(e) => e.stopPropagation()}>
        <h2>{confirmation.title}</h2>
        <div className="modal-body">{confirmation.body}</div>
        {confirmation.input ? (
          <label className="modal-input">
            <span className="muted small">{confirmation.input.label}</span>
            <input className="mono" value={text} placeholder={confirmation.input.placeholder} onChange={(e) => { setText(e.target.value); setProblem(null); }} onKeyDown={(e) => e.key === "Enter" && void confirm()} data-testid="confirm-input" spellCheck={false} />
          </label>
        ) : null}
        {problem ? <div className="filter-error" role="alert" data-testid="confirm-problem">{problem}</div> : null}
        <div className="modal-actions">
          <button onClick={close} disabled={busy}>Cancel</button>
          <button className={confirmation.danger ? "danger" : "primary"} data-testid="confirm-ok" onClick={() => void confirm()} disabled={busy} autoFocus>
            {busy ? "Working…" : confirmation.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}

export function Toasts() {
  const toasts = useUi((s) => s.toasts);
  const dismiss = useUi((s) => s.dismissToast);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.kind}`} data-testid="toast" onClick={() => dismiss(t.id)}>
          {t.message}
          {t.detail ? <div className="detail">{t.detail}</div> : null}
        </div>
      ))}
    </div>
  );
}
