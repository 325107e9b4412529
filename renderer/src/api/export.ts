/**
 * Export, the way each transport can: in the desktop app the main process
 * asks where (a save dialog) and writes the file; in browser mode the browser
 * downloads it from GET /api/export, streamed by the server. Either way the
 * export is written a page at a time, never held whole in the page.
 */
import type { ExportFormat, ExportSource } from "../../../electron/contract";
import { api, errorText } from "./client";
import { useExportPrefs } from "../state/exportPrefs";
import { useUi } from "../state/ui";
import { plural } from "../lib/format";

export const EXPORT_FORMATS: { format: ExportFormat; label: string }[] = [
  { format: "csv", label: "CSV (every field a column)" },
  { format: "jsonl", label: "JSONL (one row a line)" },
  { format: "json", label: "JSON (one array)" },
];

/** In browser mode there is no main process to ask for a file: the export is a download. */
export const exportIsDownload = (): boolean => !window.opslogBridge;

/** The same source with every field a column: a records or archive source without its named columns. */
export function everyField(source: ExportSource): ExportSource {
  if (source.kind !== "records" && source.kind !== "archive") return source;
  const { columns: _columns, ...rest } = source;
  return rest;
}

/** The download's address: the same token the page was opened with, the source as JSON, the formula guard only when off. */
export function downloadUrl(source: ExportSource, format: ExportFormat, csvFormulaGuard: boolean): string {
  const token = new URLSearchParams(window.location.search).get("token") ?? "";
  const query = new URLSearchParams({ token, format, source: JSON.stringify(source), ...(csvFormulaGuard ? {} : { csvFormulaGuard: "false" }) });
  return `/api/export?${query.toString()}`;
}

const leftOutNote = (n: number) => (n > 0 ? ` ${n.toLocaleString()} field${n === 1 ? " is" : "s are"} in no visible column and ${n === 1 ? "was" : "were"} left out: choose "CSV (every field a column)" to include ${n === 1 ? "it" : "them"}.` : "");

export async function exportTo(source: ExportSource, format: ExportFormat): Promise<void> {
  const { toast } = useUi.getState();
  const { csvFormulaGuard } = useExportPrefs.getState();
  if (exportIsDownload()) {
    const link = document.createElement("a");
    link.href = downloadUrl(source, format, csvFormulaGuard);
    link.download = "";
    link.click();
    return;
  }
  try {
    const saved = await api.call("export.save", { source, format, csvFormulaGuard });
    if (saved.path) toast("ok", `Exported ${saved.rows.toLocaleString()} row${saved.rows === 1 ? "" : "s"} to ${saved.path}.${leftOutNote(saved.fieldsLeftOut)}`);
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
