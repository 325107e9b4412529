/**
 * Export: what a view lists (records at a position, an archive segment, the
 * ops as filtered, one record's history) as JSONL, JSON or CSV text, streamed.
 * Rows are fetched from the inspector a page at a time and each page is
 * turned into text before the next is asked for, so an export of a million
 * records never holds more than one page. Works over any InspectorApi, the
 * one in a thread of its own included (a page is one call).
 * CSV: `_id` and every top-level field of any exported row (a first pass
 * over the pages finds them), or the columns the caller named (then the
 * count of fields left out is reported); cells by csv.ts's one rule
 * (quoting by csv-stringify).
 */
import { stringify } from "csv-stringify/sync";
import type { InspectorApi } from "./api.js";
import { csvCell, recordHeaders } from "./csv.js";
import type { HistoryEntry, OpsRequest, Filter, RecordRow, TimelineOp } from "./types.js";

export type ExportFormat = "jsonl" | "json" | "csv";

/** What to export: the same arguments the view's own page call takes, without offset and limit. */
export type ExportSource =
  | { kind: "records"; at?: number; filter?: Filter; sort?: { field: string; dir: 1 | -1 }; idContains?: string; columns?: string[] }
  | { kind: "archive"; path: string; filter?: Filter; idContains?: string; columns?: string[] }
  | ({ kind: "ops" } & Omit<OpsRequest, "offset" | "limit">)
  | { kind: "history"; id: string };

/** Rows fetched per inspector call: big enough to be quick, small enough to never matter in memory. */
export const EXPORT_PAGE = 2000;

type Row = RecordRow | TimelineOp | HistoryEntry;

/** A page at a time, in the view's order, until the source's rows are all out. */
export async function* exportPages(inspector: InspectorApi, source: ExportSource, pageSize = EXPORT_PAGE, pinned?: number): AsyncGenerator<Row[]> {
  if (source.kind === "history") {
    yield await inspector.recordHistory({ id: source.id });
    return;
  }
  // The position is pinned at the start: ops tailed meanwhile do not shift the pages.
  const total = pinned ?? (await inspector.timelineInfo()).total;
  const fetch = pageFetcher(inspector, source, total);
  let end = Infinity;
  for (let offset = 0; offset < end; offset += pageSize) {
    const page = await fetch(offset, pageSize);
    end = Math.min(end, page.total);
    if (page.rows.length === 0) break;
    yield page.rows;
  }
}

function pageFetcher(inspector: InspectorApi, source: Exclude<ExportSource, { kind: "history" }>, total: number) {
  if (source.kind === "records") {
    const { kind: _kind, columns: _columns, at, ...query } = source;
    return (offset: number, limit: number) => inspector.records({ ...query, at: at ?? total, offset, limit });
  }
  if (source.kind === "archive") {
    const { kind: _kind, columns: _columns, path, ...query } = source;
    return (offset: number, limit: number) => inspector.archivePage({ ...query, path, offset, limit });
  }
  const { kind: _kind, ...filters } = source;
  // Ops are appended, never inserted: the list as it was at the start is its first `total` positions.
  return async (offset: number, limit: number) => {
    const page = await inspector.ops({ ...filters, offset, limit });
    const rows = page.rows.filter((op) => op.pos < total);
    return { rows, total: rows.length < page.rows.length ? offset + rows.length : page.total };
  };
}

/** One CSV column: its header and how a row gives its cell. */
interface CsvColumn {
  header: string;
  cell: (row: Row) => unknown;
}

/** A column over rows of one kind (the source decides the kind of every row). */
function column<T extends Row>(header: string, cell: (row: T) => unknown): CsvColumn {
  return { header, cell: (row) => cell(row as T) };
}

const OP_COLUMNS: CsvColumn[] = [
  column<TimelineOp>("op #", (o) => o.pos + 1),
  column<TimelineOp>("time", (o) => o.ts),
  column<TimelineOp>("agent", (o) => o.agent ?? undefined),
  column<TimelineOp>("clock", (o) => o.clock ?? undefined),
  column<TimelineOp>("op", (o) => o.op),
  column<TimelineOp>("id", (o) => o.id),
  column<TimelineOp>("file:line", (o) => `${o.file}:${o.line}`),
  column<TimelineOp>("data", (o) => o.data ?? undefined),
  column<TimelineOp>("prev", (o) => o.prev ?? undefined),
];

const HISTORY_COLUMNS: CsvColumn[] = [
  column<HistoryEntry>("op #", (h) => (h.op === "archive" ? undefined : h.pos + 1)),
  column<HistoryEntry>("time", (h) => h.ts),
  column<HistoryEntry>("agent", (h) => h.agent ?? undefined),
  column<HistoryEntry>("clock", (h) => h.clock ?? undefined),
  column<HistoryEntry>("op", (h) => h.op),
  column<HistoryEntry>("file:line", (h) => `${h.file}:${h.line}`),
  column<HistoryEntry>("before", (h) => h.before ?? undefined),
  column<HistoryEntry>("after", (h) => h.after ?? undefined),
  column<HistoryEntry>("segment", (h) => h.segment),
];

function recordColumns(fields: string[]): CsvColumn[] {
  const own = (row: Row, field: string) => (Object.hasOwn((row as RecordRow).data, field) ? (row as RecordRow).data[field] : undefined);
  const headers = recordHeaders(fields);
  return [column<RecordRow>("_id", (r) => r.id), ...fields.map((field, i) => ({ header: headers[i + 1], cell: (r: Row) => own(r, field) }))];
}

/** Every top-level field of the exported records, in order of first appearance: a pass over the same pages the export then writes. */
async function everyField(inspector: InspectorApi, source: Extract<ExportSource, { kind: "records" | "archive" }>, pageSize: number | undefined, total: number): Promise<string[]> {
  const fields = new Set<string>();
  for await (const rows of exportPages(inspector, source, pageSize, total)) for (const row of rows) for (const field of Object.keys((row as RecordRow).data)) fields.add(field);
  return [...fields];
}

/** The columns, and how many fields of the exported rows they leave out (the caller named fewer than there are). */
async function csvColumns(inspector: InspectorApi, source: ExportSource, pageSize: number | undefined, total: number): Promise<{ columns: CsvColumn[]; leftOut: number }> {
  if (source.kind === "ops") return { columns: OP_COLUMNS, leftOut: 0 };
  if (source.kind === "history") return { columns: HISTORY_COLUMNS, leftOut: 0 };
  const fields = await everyField(inspector, source, pageSize, total);
  if (!source.columns) return { columns: recordColumns(fields), leftOut: 0 };
  const named = new Set(source.columns);
  return { columns: recordColumns(source.columns), leftOut: fields.filter((f) => !named.has(f)).length };
}

export interface ExportOptions {
  pageSize?: number;
  onRows?: (count: number) => void;
  /** CSV: prefix a cell a spreadsheet would run as a formula with `'` (OWASP); on unless false */
  csvFormulaGuard?: boolean;
  /** CSV of records with named columns: how many fields of the exported rows are not among them, told before the first row */
  onFieldsLeftOut?: (count: number) => void;
}

/** The export as text chunks (one or a few per page): write each out before asking for the next. */
export async function* exportText(inspector: InspectorApi, source: ExportSource, format: ExportFormat, options: ExportOptions = {}): AsyncGenerator<string> {
  const total = (await inspector.timelineInfo()).total;
  // Both passes of a CSV read the same state: the current position, pinned now.
  const pinned: ExportSource = source.kind === "records" && source.at === undefined ? { ...source, at: total } : source;
  const guard = options.csvFormulaGuard ?? true;
  let first = true;
  let columns: CsvColumn[] | null = null;
  if (format === "csv") {
    const found = await csvColumns(inspector, pinned, options.pageSize, total);
    columns = found.columns;
    options.onFieldsLeftOut?.(found.leftOut);
  }
  for await (const rows of exportPages(inspector, pinned, options.pageSize, total)) {
    options.onRows?.(rows.length);
    if (format === "jsonl") yield rows.map((r) => JSON.stringify(r) + "\n").join("");
    else if (format === "json") {
      // "[" goes out with the first page, so that a source that fails (a bad filter) fails before any byte is out.
      yield (first ? "[" : "") + rows.map((r, i) => (first && i === 0 ? "\n" : ",\n") + JSON.stringify(r)).join("");
    } else {
      const cols = columns!;
      yield stringify(rows.map((r) => cols.map((c) => csvCell(c.cell(r), guard))), { header: first, columns: cols.map((c) => c.header) });
    }
    first = false;
  }
  if (format === "json") yield first ? "[]\n" : "\n]\n";
  // An empty CSV still says what its columns are.
  if (format === "csv" && first) yield stringify([], { header: true, columns: columns!.map((c) => c.header) });
}

/** A file name that says what was exported: records-at-25.csv, ops.jsonl, history-t1.json. */
export function exportFileName(source: ExportSource, format: ExportFormat): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80);
  const base =
    source.kind === "records" ? (source.at === undefined ? "records" : `records-at-${source.at}`)
    : source.kind === "archive" ? safe(source.path.replace(/^archive\//, "").replace(/\.json$/, ""))
    : source.kind === "ops" ? "ops"
    : `history-${safe(source.id)}`;
  return `${base}.${format}`;
}
