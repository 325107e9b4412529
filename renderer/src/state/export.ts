/**
 * Export, the renderer's side of the export slice (calls declared in
 * electron/export-calls.ts): what each view's list exports (its source, read
 * from the view's own state), the formats, the user's CSV formula guard, and
 * exporting, the way the transport can: in the desktop app the main process
 * asks where (a save dialog) and writes the file (export.save); in browser
 * mode the browser downloads it (export.download, at the client's
 * downloadUrl). Either way it is written a page at a time, never held whole
 * in the page. The commands (one per format, and the replay cursor's state
 * as a new store) are the registry's (commands.ts); the Export menus run the
 * same functions.
 */
import { create } from "zustand";
import type { ExportFormat, ExportSource } from "../../../electron/contract";
import { api, errorText } from "../api/client";
import type { Command } from "../lib/command";
import { plural } from "../lib/format";
import { useArchive } from "./archive";
import { opsFilters } from "./ops";
import { useRecordsQuery } from "./records";
import { useReplay } from "./replay";
import { useReplayPanes } from "./replayPanes";
import { useUi } from "./ui";

export const EXPORT_FORMATS: { format: ExportFormat; label: string }[] = [
  { format: "csv", label: "CSV (every field a column)" },
  { format: "jsonl", label: "JSONL (one row a line)" },
  { format: "json", label: "JSON (one array)" },
];

interface ExportPrefs {
  /** CSV cells a spreadsheet would run as a formula get a leading ' (OWASP CSV injection); on unless turned off */
  csvFormulaGuard: boolean;
  setCsvFormulaGuard(on: boolean): void;
}

/** How exports are written, as the user chose in an Export menu: kept while the app runs, across stores (a preference, not a store's state). */
export const useExportPrefs = create<ExportPrefs>((set) => ({
  csvFormulaGuard: true,
  setCsvFormulaGuard: (on) => set({ csvFormulaGuard: on }),
}));

// ------------------------------------------------------------ each view's source

/**
 * The Records view: the current state through its filter, id search and
 * sort; named columns (the visible ones) only when the user hid some, so
 * that by default every field of every exported record is a column.
 */
export function recordsSource(): ExportSource {
  const q = useRecordsQuery.getState();
  const hid = q.columns.some((c) => q.hidden.has(c.field));
  const columns = q.columns.filter((c) => !q.hidden.has(c.field)).map((c) => c.field);
  return { kind: "records", ...(q.filter ? { filter: q.filter } : {}), ...(q.sort ? { sort: q.sort } : {}), ...(q.idContains ? { idContains: q.idContains } : {}), ...(hid ? { columns } : {}) };
}

/** The Timeline's state table: the state at the cursor through the watched query, every field a column. */
export function stateSource(): ExportSource {
  const { filter } = useReplayPanes.getState();
  return { kind: "records", at: useReplay.getState().cursor, ...(filter ? { filter } : {}) };
}

/** The Operations list as filtered (archives and compactions are not ops: they are left out). */
export function opsSource(): ExportSource {
  return { kind: "ops", ...opsFilters() };
}

/** The open archive segment's records, as filtered, every field a column. */
export function archiveSource(): ExportSource | null {
  const a = useArchive.getState();
  if (!a.open) return null;
  return { kind: "archive", path: a.open, ...(a.filter ? { filter: a.filter } : {}), ...(a.idContains ? { idContains: a.idContains } : {}) };
}

export function historySource(id: string): ExportSource {
  return { kind: "history", id };
}

/** The same source with every field a column: a records or archive source without its named columns. */
export function everyField(source: ExportSource): ExportSource {
  if (source.kind !== "records" && source.kind !== "archive") return source;
  const { columns: _columns, ...rest } = source;
  return rest;
}

// ------------------------------------------------------------ exporting

/** In browser mode there is no main process to ask for a file: the export is a download. */
export const exportIsDownload = (): boolean => api.downloads;

const leftOutNote = (n: number) => (n > 0 ? ` ${n.toLocaleString()} field${n === 1 ? " is" : "s are"} in no visible column and ${n === 1 ? "was" : "were"} left out: choose "CSV (every field a column)" to include ${n === 1 ? "it" : "them"}.` : "");

export async function exportTo(source: ExportSource, format: ExportFormat): Promise<void> {
  const { toast } = useUi.getState();
  const { csvFormulaGuard } = useExportPrefs.getState();
  if (api.downloads) {
    const link = document.createElement("a");
    link.href = api.downloadUrl("export.download", { source, format, csvFormulaGuard });
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
  if (!api.downloads) return run();
  ask({
    title: `Export the state at position ${at.toLocaleString()} as a new store?`,
    body: "Writes a snapshot of this state and an empty WAL into a new folder on the machine running the explorer, which opslog opens as a store of its own. The store you are looking at is not touched.",
    input: { label: "New or empty folder (a path on the server's machine)", initial: "", placeholder: "/home/me/recovered-store", check: (text) => (text.trim() ? null : "Give a folder path.") },
    confirmLabel: "Export",
    onConfirm: (text) => run(text.trim()),
  });
}

// ------------------------------------------------------------ commands

/** What "export this view's list" means in the view showing; null where there is no list to export. */
function viewSource(): ExportSource | null {
  const view = useUi.getState().view;
  if (view === "records") return recordsSource();
  if (view === "operations") return opsSource();
  if (view === "archive") return archiveSource();
  if (view === "timeline") return stateSource();
  return null;
}

const listReason = () => (viewSource() ? null : "Only in Records, Operations, Archive (with a segment open) and the Timeline.");

export const EXPORT_COMMANDS: Command[] = [
  ...EXPORT_FORMATS.map((f): Command => ({
    name: `export-${f.format}`,
    label: `Export this view's list as ${f.label}`,
    disabledReason: listReason,
    run: () => {
      const source = viewSource();
      if (source) return exportTo(everyField(source), f.format);
    },
  })),
  {
    name: "export-store",
    label: "Export the state at the replay cursor as a new opslog store…",
    disabledReason: () => (useReplay.getState().info ? null : "Open the Timeline once, so that the replay cursor is set."),
    run: () => exportStoreAt(useReplay.getState().cursor),
  },
];
