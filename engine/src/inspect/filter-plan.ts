/**
 * How a records filter is run without whole documents: a MongoDB-style query
 * that looks only at some top-level fields (through dot paths, $and, $or and
 * $nor) gives the same answer on a document and on the document cut down to
 * those fields, so the fields are all that needs reading (columns.ts) and the
 * same mingo predicate (filter.ts) runs on the cut-down values, or the
 * query compiled for scalar values (scalar-filter.ts). Its conditions on
 * one field each are also kept apart (`byField`): the query holds exactly
 * when all of them and the rest do, so a filter tests one field's values at
 * a time, each on the records the last one let through. A query with
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
  /** The query's conditions on one top-level field each, as a test of that field's value (undefined: absent) */
  byField: FieldTest[];
  /** Whether byField is the whole query (no condition looks at two fields or none) */
  whole: boolean;
}

export interface FieldTest {
  field: string;
  test: (value: unknown) => boolean;
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
  const { byField, whole } = filter && test ? splitByField(filter) : { byField: [], whole: true };
  return { fields: sorted, test, scalar: filter && test ? compileScalarFilter(filter, sorted) : null, byField, whole };
}

/**
 * The top-level conditions of a query (whose fields rootFields found),
 * grouped by the one field each looks at, in the query's order; a $and,
 * $or or $nor whose queries look at one field joins that field's group. The
 * query is the conjunction of its top-level conditions (mingo's and
 * MongoDB's rule), so it holds exactly when every group and the rest do.
 */
function splitByField(query: Filter): { byField: FieldTest[]; whole: boolean } {
  const groups = new Map<string, Filter>();
  let whole = true;
  for (const [key, value] of Object.entries(query)) {
    if (key === "$comment") continue;
    const fields = COMBINERS.has(key) ? [...rootFields({ [key]: value } as Filter)!] : [key.split(".")[0]];
    if (fields.length !== 1) {
      whole = false;
      continue;
    }
    let group = groups.get(fields[0]);
    if (!group) groups.set(fields[0], (group = {}));
    group[key] = value;
  }
  return { byField: [...groups].map(([field, group]) => ({ field, test: fieldTest(field, group) })), whole };
}

/** A test of one field's value for a query that looks at that field only: compiled for a scalar, mingo's on the value as a document otherwise. */
function fieldTest(field: string, query: Filter): (value: unknown) => boolean {
  const scalar = compileScalarFilter(query, [field]);
  const test = compileFilter(query)!;
  const column: unknown[] = [undefined];
  const values = [column];
  return (value) => {
    if (scalar && (value === null || typeof value !== "object")) {
      column[0] = value;
      return scalar(values, 0);
    }
    return test(value === undefined ? {} : { [field]: value });
  };
}

/** doc cut down to `fields`: the ones it has, as its own properties. */
export function project(doc: Doc, fields: readonly string[]): Doc {
  const out: Doc = {};
  for (const field of fields) if (Object.hasOwn(doc, field)) out[field] = doc[field];
  return out;
}
