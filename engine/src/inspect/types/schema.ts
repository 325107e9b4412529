// The schema of the records at a position (the schema query, schema.ts).
// Part of the inspector's answer types, re-exported by ../types.ts.
import type { Filter } from "./common.js";

/** What the schema query describes: the records at `at` (default now) that `filter` keeps, from a sample of `sample` of them (0: every one). */
export interface SchemaRequest {
  at?: number;
  filter?: Filter;
  /** How many records to describe (default 1000, as Compass samples); 0 reads every record */
  sample?: number;
}

/** A JSON type as the schema names it: ISO 8601 strings are "date", other strings "string". */
export type SchemaTypeName = "string" | "number" | "boolean" | "date" | "null" | "object" | "array";

/** Top values of a string (or date) field among the records described, with counts. */
interface ValueCounts {
  top: { value: string; count: number }[];
  /** Distinct values seen; counting stops at 20,000 (distinctCapped) */
  distinct: number;
  distinctCapped: boolean;
}

type Lengths = { min: number; max: number; mean: number };

/** One type a field holds, with `count` values of it, and its summary. */
export type SchemaType =
  | { type: "number"; count: number; min: number; max: number; mean: number; histogram: { from: number; to: number; count: number }[] }
  | ({ type: "string"; count: number; lengths: Lengths } & ValueCounts)
  | { type: "boolean"; count: number; true: number; false: number }
  | ({ type: "date"; count: number; min: string; max: string } & ValueCounts)
  | { type: "array"; count: number; lengths: Lengths; items: SchemaType[] }
  | { type: "null" | "object"; count: number };

export interface SchemaField {
  /**
   * The path as shown: segments joined by dots ("owner.name", as a filter
   * names it), a literal key with a dot in it quoted (`["d.e"]`, `a["d.e"]`)
   */
  path: string;
  /** The exact key path: a literal key "d.e" is ["d.e"], nested d: {e} is ["d", "e"]; fields are told apart (and counted) by it */
  segments: string[];
  /** Present when no filter can name this path (a segment has a dot in it): why, and what to do instead */
  filterHint?: string;
  /** Records described that have this field (null included) */
  count: number;
  /** Commonest first */
  types: SchemaType[];
}

export interface StoreSchema {
  /** The position described (the state after `at` ops) */
  at: number;
  /** Records in the state at that position */
  records: number;
  /** Records read to find the ones described */
  scanned: number;
  /** Records read that the filter keeps (all of them without a filter) */
  matched: number;
  /** Records the fields are counted over: presence is count / described */
  described: number;
  /** The sample size asked for (0: all) */
  sample: number;
  /** Every record at the position was read: matched is the exact count, and the figures are exact, not estimates */
  exact: boolean;
  /** More field paths than the schema lists (1000) */
  fieldsCapped: boolean;
  fields: SchemaField[];
}
