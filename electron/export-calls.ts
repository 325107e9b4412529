// The export slice's calls, declared once: each argument's schema (spread
// into the registry, calls.ts) and each result's type (joined into
// CallResults by contract.ts). An export's source takes the same arguments
// as the page call of the view it comes from, without offset and limit.
// Handlers: export.ts; the renderer's side: renderer/src/state/export.ts.
// The renderer imports the types only, so zod stays out of its bundle.
import { z } from "zod";
import { download, mongoFilter, opFilters, own, position } from "./schema-parts.js";

export type { ExportFormat, ExportSource } from "../engine/src/inspect/index.js";

const filePath = z.string().min(1).max(4096);
const columns = z.array(z.string().min(1).max(500)).max(1000);

export const exportSource = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("records"),
    at: position.optional(),
    filter: mongoFilter.optional(),
    sort: z.strictObject({ field: z.string().min(1).max(500), dir: z.union([z.literal(1), z.literal(-1)]) }).optional(),
    idContains: z.string().max(4096).optional(),
    columns: columns.optional(),
  }),
  z.strictObject({ kind: z.literal("archive"), path: filePath, filter: mongoFilter.optional(), idContains: z.string().max(4096).optional(), columns: columns.optional() }),
  z.strictObject({ kind: z.literal("ops"), ...opFilters }),
  z.strictObject({ kind: z.literal("history"), id: z.string().min(1).max(4096) }),
]);

export const exportFormat = z.enum(["jsonl", "json", "csv"]);

/** CSV: prefix a cell a spreadsheet would run as a formula with `'` (OWASP CSV injection); on unless false */
const csvFormulaGuard = z.boolean().optional();

export const EXPORT_CALLS = {
  /** Write an export to a file: `path` (which must not exist yet), else the save dialog's choice (Electron); { path: null } if cancelled */
  "export.save": own(z.strictObject({ source: exportSource, format: exportFormat, path: filePath.optional(), csvFormulaGuard })),
  /** The same export as a download (browser mode, where there is no save dialog): streamed a page at a time */
  "export.download": download(z.strictObject({ source: exportSource, format: exportFormat, csvFormulaGuard })),
  /** The state after `at` ops (default now) as a new store in `dir` (new or empty), else in the folder the dialog picks (Electron) */
  "export.store": own(z.strictObject({ at: position.optional(), dir: filePath.optional() })),
} as const;

export interface ExportSaved {
  /** Where the export was written; null when the user cancelled the dialog */
  path: string | null;
  rows: number;
  bytes: number;
  /** CSV of records with named columns: how many fields of the exported rows are not among them (0 otherwise) */
  fieldsLeftOut: number;
}

export interface StoreExported {
  /** The new store's folder; null when the user cancelled the dialog */
  dir: string | null;
  records: number;
}

/** A download call's answer, on the server: the file's name and type, headers of its own, and its text a chunk at a time (its first chunk already made, so a failure before it is an ordinary error answer). */
export interface Download {
  fileName: string;
  contentType: string;
  headers: Record<string, string>;
  chunks: AsyncIterable<string>;
}

export interface ExportCallResults {
  "export.save": ExportSaved;
  "export.download": Download;
  "export.store": StoreExported;
}
