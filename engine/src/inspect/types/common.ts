// Plain JSON data and pages: what every answer of the inspector is made of.
// Part of the inspector's answer types, re-exported by ../types.ts.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type Doc = Record<string, unknown>;

/** A MongoDB-style filter ({status: "open", n: {$gt: 3}}), evaluated by mingo. */
export type Filter = Record<string, unknown>;

export interface PageRequest {
  offset: number;
  limit: number;
}

export interface Page<T> {
  rows: T[];
  total: number;
  offset: number;
  limit: number;
}
