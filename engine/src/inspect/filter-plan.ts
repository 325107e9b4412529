/**
 * How a records filter is run without whole documents: a MongoDB-style query
 * that looks only at some top-level fields (through dot paths, $and, $or and
 * $nor) gives the same answer on a document and on the document cut down to
 * those fields, so the fields are all that needs reading (columns.ts) and the
 * same mingo predicate (filter.ts) runs on the cut-down values, or the
 * query compiled for scalar values (scalar-filter.ts). A query with
 * any other top-level operator may look at the whole document: no plan, and
 * the caller evaluates whole documents as before.
 */
import { compileFilter } from "./filter.js";
import { compileScalarFilter } from "./scalar-filter.js";
import type { ScalarTest } from "./scalar-filter.js";
import type { Doc, Filter } from "./types.js";

/** Top-level operators that only combine queries on fields; $comment looks at nothing. */
const COMBINERS = new Set(["$and", "$or", "$nor"]);

export interface FilterPlan {
  /** The top-level fields the query and the sort look at, sorted */
  fields: string[];
  /** The query's predicate on a document cut down to `fields` (null: every record passes) */
  test: ((projected: Doc) => boolean) | null;
  /** The same, compiled for records whose values for `fields` are all scalars (null: not compiled) */
  scalar: ScalarTest | null;
}

/** The top-level fields `query` looks at, or null when it may look at more. */
export function rootFields(query: Filter, into = new Set<string>()): Set<string> | null {
  for (const [key, value] of Object.entries(query)) {
    if (COMBINERS.has(key)) {
      if (!Array.isArray(value)) return null;
      for (const inner of value) if (!inner || typeof inner !== "object" || Array.isArray(inner) || !rootFields(inner as Filter, into)) return null;
    } else if (key === "$comment") continue;
    else if (key.startsWith("$")) return null;
    else into.add(key.split(".")[0]);
  }
  return into;
}

/**
 * A plan for a records filter and sort field, or null when the filter may
 * look at more than named fields. Throws bad-filter as compileFilter does.
 */
export function planRecordFilter(filter: Filter | undefined, sortField: string | undefined): FilterPlan | null {
  const test = compileFilter(filter);
  const fields = filter ? rootFields(filter) : new Set<string>();
  if (!fields) return null;
  if (sortField !== undefined && sortField !== "id") fields.add(sortField.split(".")[0]);
  // A field named __proto__ cannot be copied onto a plain object as data: evaluate whole documents.
  if (fields.has("__proto__")) return null;
  const sorted = [...fields].sort();
  return { fields: sorted, test, scalar: filter && test ? compileScalarFilter(filter, sorted) : null };
}

/** doc cut down to `fields`: the ones it has, as its own properties. */
export function project(doc: Doc, fields: readonly string[]): Doc {
  const out: Doc = {};
  for (const field of fields) if (Object.hasOwn(doc, field)) out[field] = doc[field];
  return out;
}
