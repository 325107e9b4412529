// Records at a position of the timeline, and the columns they have.
// Part of the inspector's answer types, re-exported by ../types.ts.
import type { Doc, PageRequest, Filter } from "./common.js";

export interface RecordRow {
  id: string;
  data: Doc;
}

export interface RecordsRequest extends PageRequest {
  /** State after this many timeline ops; default: now (total) */
  at?: number;
  filter?: Filter;
  /** Field path to sort by ("id" sorts by record id); default: id ascending */
  sort?: { field: string; dir: 1 | -1 };
  /** Substring match on record id */
  idContains?: string;
}

export interface Column {
  /** Top-level field name */
  field: string;
  /** How many of the sampled records have it */
  count: number;
  /** The JSON types seen: "string", "number", "boolean", "object", "array", "null" */
  types: string[];
}

/** One record at a position; default now. */
export interface RecordRequest {
  id: string;
  at?: number;
}

/** One record's every op across the chain. */
export interface RecordHistoryRequest {
  id: string;
}

/** The columns of the records at a position; default now. */
export interface ColumnsRequest {
  at?: number;
}

/** The records of one archive segment, filtered, by page. */
export interface ArchivePageRequest extends PageRequest {
  path: string;
  filter?: Filter;
  idContains?: string;
}
