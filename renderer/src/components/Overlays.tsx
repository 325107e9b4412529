/** The confirmation dialog and the toasts: every action asks first and reports after. */
import { useEffect, useState } from "react";
import { useUi } from "../state/ui";

export function ConfirmDialog() {
  const confirmation = useUi((s) => s.confirmation);
  const close = useUi((s) => s.closeConfirmation);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!confirmation) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && close();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [confirmation, close]);
  if (!confirmation) return null;
  async function confirm() {
    setBusy(true);
    try {
      await confirmation!.onConfirm();
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
