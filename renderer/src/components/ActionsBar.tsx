/**
 * The write actions: Undo, Compact, Archive by filter, Refresh. Each asks
 * first (Undo shows the op it removes), reports its result, and the views
 * update from the change event. Read-only disables them and says why.
 */
import { api, errorText } from "../api/client";
import type { ActionResult } from "../../../electron/contract";
import { selectInfo, useSession } from "../state/session";
import { useRecordsQuery } from "../state/records";
import { useUi } from "../state/ui";

export async function runAction(label: string, call: () => Promise<ActionResult>): Promise<void> {
  const { toast } = useUi.getState();
  try {
    const result = await call();
    toast("ok", result.message);
  } catch (err) {
    const e = errorText(err);
    toast("error", `${label} failed: ${e.message}`, e.detail);
  }
}

export function ActionsBar() {
  const info = useSession(selectInfo);
  const ask = useUi((s) => s.ask);
  const toast = useUi((s) => s.toast);
  const filter = useRecordsQuery((s) => s.filter);
  if (!info) return null;
  const writable = info.mode !== "read-only";
  const reason = writable ? undefined : info.modeReason;

  async function undo() {
    try {
      const preview = await api.call("actions.undoPreview", {});
      if (!preview.op) return toast("error", preview.message);
      ask({ title: "Undo the last op?", body: preview.message, confirmLabel: "Undo", danger: true, onConfirm: () => runAction("Undo", () => api.call("actions.undo", {})) });
    } catch (err) {
      toast("error", errorText(err).message);
    }
  }

  function compact() {
    ask({ title: "Compact the store?", body: "Writes the current state as a new snapshot and starts a new WAL. The old snapshot and WAL stay on disk, so the history chain keeps them.", confirmLabel: "Compact", onConfirm: () => runAction("Compact", () => api.call("actions.compact", {})) });
  }

  function archive() {
    if (!filter) return toast("error", "Archive moves the records that match the Records view's filter. Set a filter there first, e.g. {\"status\": \"done\"}.");
    ask({ title: "Archive matching records?", body: <>Moves every record matching <code>{JSON.stringify(filter)}</code> into an archive segment, then compacts. They leave the live state but stay readable in the Archive view.</>, confirmLabel: "Archive", danger: true, onConfirm: () => runAction("Archive", () => api.call("actions.archive", { filter })) });
  }

  return (
    <div className="actions">
      <button data-testid="action-undo" disabled={!writable} title={reason ?? "Undo this writer's last op"} onClick={() => void undo()}>Undo</button>
      <button data-testid="action-compact" disabled={!writable} title={reason ?? "Compact: snapshot the state, start a new WAL"} onClick={compact}>Compact</button>
      <button data-testid="action-archive" disabled={!writable} title={reason ?? "Archive the records matching the Records filter"} onClick={archive}>Archive…</button>
      <button data-testid="action-refresh" title="Look for other processes' writes now" onClick={() => void runAction("Refresh", () => api.call("actions.refresh", {}))}>Refresh</button>
    </div>
  );
}
