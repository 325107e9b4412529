/** What each view's Export exports: its list as it shows it now (position, filters, sort, visible columns), read from the view's own state. */
import type { ExportSource } from "../../../electron/contract";
import { useArchive } from "./archive";
import { opsFilters } from "./ops";
import { useRecordsQuery } from "./records";
import { useReplay } from "./replay";
import { useReplayPanes } from "./replayPanes";

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
