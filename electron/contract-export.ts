// The results of the export and blob calls, joined into CallResults in
// contract.ts. Types only, like contract.ts: the renderer imports them freely.
import type { BlobChunk, BlobInfo } from "../engine/src/inspect/index.js";
import type { Page } from "../engine/src/inspect/index.js";

export type { BlobChunk, BlobInfo, BlobKind } from "../engine/src/inspect/index.js";
export type { ExportFormat, ExportSource } from "../engine/src/inspect/index.js";

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

export interface ExportCallResults {
  "export.save": ExportSaved;
  "export.store": StoreExported;
  "blobs.list": Page<BlobInfo>;
  "blobs.read": BlobChunk;
  "blobs.refs": string[];
}
