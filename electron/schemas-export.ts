// The runtime schemas of the export and blob calls, spread into schemas.ts
// (server side only, like it). An export's source takes the same arguments
// as the page call of the view it comes from, without offset and limit.
import { z } from "zod";
import { limit, mongoFilter, offset, opFilters, position } from "./schema-parts.js";

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

/** The browser-mode download's query string: the same source and format, as JSON text in `source`; csvFormulaGuard as "true" or "false". */
export const exportDownload = z.strictObject({ source: exportSource, format: exportFormat, csvFormulaGuard: z.enum(["true", "false"]).transform((v) => v === "true").optional() });

export const exportSchemas = {
  /** Write an export to a file: `path` (which must not exist yet), else the save dialog's choice (Electron); { path: null } if cancelled */
  "export.save": z.strictObject({ source: exportSource, format: exportFormat, path: filePath.optional(), csvFormulaGuard }),
  /** The state after `at` ops (default now) as a new store in `dir` (new or empty), else in the folder the dialog picks (Electron) */
  "export.store": z.strictObject({ at: position.optional(), dir: filePath.optional() }),
  "blobs.list": z.strictObject({ offset, limit, pathContains: z.string().max(4096).optional() }),
  /** Up to `length` bytes of a blob from `offset` (at most 1 MB a read) */
  "blobs.read": z.strictObject({ path: filePath, offset, length: z.number().int().min(0).max(1024 * 1024) }),
  /** The blobs a record (at `at`, default now) refers to: its string values that name one */
  "blobs.refs": z.strictObject({ id: z.string().min(1).max(4096), at: position.optional() }),
} as const;
