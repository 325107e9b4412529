/**
 * Export: what a view lists (records at a position, an archive segment, the
 * ops as filtered, one record's history) as JSONL, JSON or CSV text, streamed.
 * Rows are fetched from the inspector a page at a time and each page is
 * turned into text before the next is asked for, so an export of a million
 * records never holds more than one page. Works over any InspectorApi, the
 * one in a thread of its own included (a page is one call).
 * CSV: the table's columns, nested values as JSON text (quoting by csv-stringify).
 */
import { stringify } from "csv-stringify/sync";
import type { InspectorApi } from "./api.js";
import type { Doc, HistoryEntry, OpsRequest, Query, RecordRow, TimelineOp } from "./types.js";

export type ExportFormat = "jsonl" | "json" | "csv";

/** What to export: the same arguments the view's own page call takes, without offset and limit. */
export type ExportSource =
  | { kind: "records"; at?: number; filter?: Query; sort?: { field: string; dir: 1 | -1 }; idContains?: string; columns?: string[] }
  | { kind: "archive"; path: string; filter?: Query; idContains?: string; columns?: string[] }
  | ({ kind: "ops" } & Omit<OpsRequest, "offset" | "limit">)
  | { kind: "history"; id: string };

/** Rows fetched per inspector call: big enough to be quick, small enough to never matter in memory. */
export const EXPORT_PAGE = 2000;

type Row = RecordRow | TimelineOp | HistoryEntry;

/** A page at a time, in the view's order, until the source's rows are all out. */
export async function* exportPages(inspector: InspectorApi, source: ExportSource, pageSize = EXPORT_PAGE): AsyncGenerator<Row[]> {
  if (source.kind === "history") {
    yield await inspector.recordHistory({ id: source.id });
    return;
  }
  // The position is pinned at the start: ops tailed meanwhile do not shift the pages.
  const total = (await inspector.timelineInfo()).total;
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

/** A cell as the table shows it: absent is empty, strings as they are, anything else (null, numbers, objects) as JSON text. */
export function csvCell(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
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
  return [column<RecordRow>("_id", (r) => r.id), ...fields.map((field) => column<RecordRow>(field, (r) => (r.data as Doc)[field]))];
}

/**
 * The record columns when the view named none: for a state, the fields the
 * table would offer (columns(), sampled), all of them; for an archive
 * segment, every top-level field of its first page, in first-seen order.
 */
async function recordFields(inspector: InspectorApi, source: Extract<ExportSource, { kind: "records" | "archive" }>, firstPage: Row[]): Promise<string[]> {
  if (source.columns) return source.columns;
  if (source.kind === "records") return (await inspector.columns({ at: source.at })).map((c) => c.field);
  const fields = new Set<string>();
  for (const row of firstPage) for (const field of Object.keys((row as RecordRow).data)) fields.add(field);
  return [...fields];
}

async function csvColumns(inspector: InspectorApi, source: ExportSource, firstPage: Row[]): Promise<CsvColumn[]> {
  if (source.kind === "ops") return OP_COLUMNS;
  if (source.kind === "history") return HISTORY_COLUMNS;
  return recordColumns(await recordFields(inspector, source, firstPage));
}

/** The export as text chunks (one or a few per page): write each out before asking for the next. */
export async function* exportText(inspector: InspectorApi, source: ExportSource, format: ExportFormat, options: { pageSize?: number; onRows?: (count: number) => void } = {}): AsyncGenerator<string> {
  let first = true;
  let columns: CsvColumn[] | null = null;
  for await (const rows of exportPages(inspector, source, options.pageSize)) {
    options.onRows?.(rows.length);
    if (format === "jsonl") yield rows.map((r) => JSON.stringify(r) + "\n").join("");
    else if (format === "json") {
      // "[" goes out with the first page, so that a source that fails (a bad filter) fails before any byte is out.
      yield (first ? "[" : "") + rows.map((r, i) => (first && i === 0 ? "\n" : ",\n") + JSON.stringify(r)).join("");
    } else {
      const header = columns === null;
      columns ??= await csvColumns(inspector, source, rows);
      const cols = columns;
      yield stringify(rows.map((r) => cols.map((c) => csvCell(c.cell(r)))), { header, columns: cols.map((c) => c.header) });
    }
    first = false;
  }
  if (format === "json") yield first ? "[]\n" : "\n]\n";
  // An empty CSV still says what its columns are.
  if (format === "csv" && columns === null) yield stringify([], { header: true, columns: (await csvColumns(inspector, source, [])).map((c) => c.header) });
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
