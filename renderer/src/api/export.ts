/**
 * Export, the way each transport can: in the desktop app the main process
 * asks where (a save dialog) and writes the file; in browser mode the browser
 * downloads it from GET /api/export, streamed by the server. Either way the
 * export is written a page at a time, never held whole in the page.
 */
import type { ExportFormat, ExportSource } from "../../../electron/contract";
import { api, errorText } from "./client";
import { useUi } from "../state/ui";
import { plural } from "../lib/format";

export const EXPORT_FORMATS: { format: ExportFormat; label: string }[] = [
  { format: "csv", label: "CSV (the table's columns)" },
  { format: "jsonl", label: "JSONL (one row a line)" },
  { format: "json", label: "JSON (one array)" },
];

/** In browser mode there is no main process to ask for a file: the export is a download. */
export const exportIsDownload = (): boolean => !window.opslogBridge;

/** The download's address: the same token the page was opened with, the source as JSON. */
export function downloadUrl(source: ExportSource, format: ExportFormat): string {
  const token = new URLSearchParams(window.location.search).get("token") ?? "";
  const query = new URLSearchParams({ token, format, source: JSON.stringify(source) });
  return `/api/export?${query.toString()}`;
}

export async function exportTo(source: ExportSource, format: ExportFormat): Promise<void> {
  const { toast } = useUi.getState();
  if (exportIsDownload()) {
    const link = document.createElement("a");
    link.href = downloadUrl(source, format);
    link.download = "";
    link.click();
    return;
  }
  try {
    const saved = await api.call("export.save", { source, format });
    if (saved.path) toast("ok", `Exported ${saved.rows.toLocaleString()} row${saved.rows === 1 ? "" : "s"} to ${saved.path}.`);
  } catch (err) {
    const e = errorText(err);
    toast("error", `Export failed: ${e.message}`, e.detail);
  }
}

/** The state at `at` as a new store: the desktop app asks for a folder; browser mode asks for its path. */
export async function exportStoreAt(at: number): Promise<void> {
  const { toast, ask } = useUi.getState();
  const run = async (dir?: string) => {
    try {
      const written = await api.call("export.store", { at, ...(dir ? { dir } : {}) });
      if (written.dir) toast("ok", `Wrote the state at position ${at.toLocaleString()} (${plural(written.records, "record")}) as a new store in ${written.dir}. Open it to check it; the original is untouched.`);
    } catch (err) {
      const e = errorText(err);
      toast("error", `Export as a store failed: ${e.message}`, e.detail);
    }
  };
  if (!exportIsDownload()) return run();
  ask({
    title: `Export the state at position ${at.toLocaleString()} as a new store?`,
    body: "Writes a snapshot of this state and an empty WAL into a new folder on the machine running the explorer, which opslog opens as a store of its own. The store you are looking at is not touched.",
    input: { label: "New or empty folder (a path on the server's machine)", initial: "", placeholder: "/home/me/recovered-store", check: (text) => (text.trim() ? null : "Give a folder path.") },
    confirmLabel: "Export",
    onConfirm: (text) => run(text.trim()),
  });
}
