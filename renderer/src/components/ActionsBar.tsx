/**
 * The write actions: Undo, Compact, Archive by filter, Refresh. Each asks
 * first (Undo shows the op it removes), reports its result, and the views
 * update from the change event. Read-only disables them and says why.
 */
import { api, errorText } from "../api/client";
import type { ActionResult } from "../../../electron/contract";
import { selectInfo, useSession } from "../state/session";
import { useRecordsQuery } from "../state/records";
import { parseFilter } from "../lib/filter";
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
    const initial = useRecordsQuery.getState().filterText;
    ask({
      title: "Archive records by filter?",
      body: "Moves every record matching the filter into an archive segment, then compacts. They leave the live state but stay readable in the Archive view.",
      input: { label: "Filter (MongoDB-style, as in the Records view)", initial, placeholder: '{status: "done"}', check: (text) => { const parsed = parseFilter(text); return !parsed.ok ? parsed.error : parsed.value ? null : "Give a filter: archiving everything is rarely what you want. E.g. {status: \"done\"}."; } },
      confirmLabel: "Archive",
      danger: true,
      onConfirm: (text) => {
        const parsed = parseFilter(text);
        if (parsed.ok && parsed.value) return runAction("Archive", () => api.call("actions.archive", { filter: parsed.value! }));
      },
    });
  }

  return (
    <div className="actions">
      <button data-testid="action-undo" disabled={!writable} title={reason ?? "Undo this writer's last op"} onClick={() => void undo()}>Undo</button>
      <button data-testid="action-compact" disabled={!writable} title={reason ?? "Compact: snapshot the state, start a new WAL"} onClick={compact}>Compact</button>
      <button data-testid="action-archive" disabled={!writable} title={reason ?? "Archive the records matching a filter"} onClick={archive}>Archive…</button>
      <button data-testid="action-refresh" title="Look for other processes' writes now" onClick={() => void runAction("Refresh", () => api.call("actions.refresh", {}))}>Refresh</button>
    </div>
  );
}
