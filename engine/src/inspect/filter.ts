/**
 * MongoDB-style filters ({status: "open", n: {$gt: 3}}), evaluated by mingo.
 * Filters are data, never code: operators that run code are refused; every
 * regex runs in linear time (regex.ts); a filter's depth and size are capped
 * before anything walks it recursively.
 */
import { Context } from "mingo/core";
import * as queryOperators from "mingo/operators/query";
import { Query as MingoQuery } from "mingo/query";
import { ensureArray, flatten, resolve } from "mingo/util";
import { OpslogError } from "../errors.js";
import { FILTER_LIMITS, jsonBeyondLimits } from "../limits.js";
import { LinearRegExp } from "./regex.js";
import type { Filter } from "./types.js";

const CODE_OPERATORS = new Set(["$where", "$function", "$accumulator", "$expr"]);

function refuseCode(value: unknown): void {
  if (Array.isArray(value)) value.forEach(refuseCode);
  else if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if (CODE_OPERATORS.has(key)) throw new OpslogError("bad-filter", `The filter operator ${key} is not allowed: filters are data, and ${key} would run code or expressions.`);
      refuseCode(inner);
    }
  }
}

/** A regex operand (or regexes in a list, for $in, $nin and $all) as LinearRegExps. */
function linear(value: unknown): unknown {
  if (value instanceof RegExp) return new LinearRegExp(value);
  return Array.isArray(value) ? value.map((v: unknown) => (v instanceof RegExp ? new LinearRegExp(v) : v)) : value;
}

type RegexOperator = typeof queryOperators.$regex;

/** mingo's own operator, handed linear regexes: mingo has made RegExps of $regex strings by then. */
function withLinearRegex(operator: unknown): RegexOperator {
  return (selector, value, options) => (operator as RegexOperator)(selector, linear(value) as RegExp, options);
}

/**
 * mingo's $regex (its operators/_predicates.js) asking RE2's test, its
 * fastest path: mingo only asks whether exec found anything.
 */
const $regex: RegexOperator = (selector, value) => {
  const regex = linear(value) as RegExp;
  const match = (x: unknown) => typeof x === "string" && regex.test(x);
  return (doc) => {
    const values = ensureArray(resolve(doc, selector, { unwrapArray: true }));
    return values.some(match) || flatten(values, 1).some(match);
  };
};

/** mingo's query operators, with every one that runs a regex running it in RE2; nested queries ($not, $elemMatch, $or) inherit it. */
const LINEAR_REGEX = Context.init({
  query: {
    ...queryOperators,
    $regex,
    $in: withLinearRegex(queryOperators.$in),
    $nin: withLinearRegex(queryOperators.$nin),
    $all: withLinearRegex(queryOperators.$all),
  },
});

/** A predicate for the filter; an empty or missing filter matches everything. */
export function compileFilter(filter: Filter | undefined): ((doc: unknown) => boolean) | null {
  if (!filter || Object.keys(filter).length === 0) return null;
  const beyond = jsonBeyondLimits(filter, FILTER_LIMITS);
  if (beyond) throw new OpslogError("bad-filter", `The filter ${beyond}.`);
  refuseCode(filter);
  let query: MingoQuery;
  try {
    query = new MingoQuery(filter, { context: LINEAR_REGEX });
  } catch (err) {
    if (err instanceof OpslogError) throw err;
    throw new OpslogError("bad-filter", `The filter is not a valid query: ${(err as Error).message}.`);
  }
  return (doc) => {
    try {
      return query.test(doc as Record<string, unknown>);
    } catch (err) {
      throw new OpslogError("bad-filter", `The filter is not a valid query: ${(err as Error).message}.`);
    }
  };
}

/** Value at a dot path ("a.b.c") of a document. */
export function valueAtPath(doc: unknown, path: string): unknown {
  let current: unknown = doc;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const TYPE_ORDER: Record<string, number> = { undefined: 0, object: 1, boolean: 2, number: 3, string: 4 };

/** Total order for sorting by field: missing first, then by type, then by value. */
export function compareValues(a: unknown, b: unknown): number {
  const ta = a === null ? "object" : typeof a;
  const tb = b === null ? "object" : typeof b;
  if (ta !== tb) return (TYPE_ORDER[ta] ?? 5) - (TYPE_ORDER[tb] ?? 5);
  if (ta === "number" || ta === "string" || ta === "boolean") return a! < b! ? -1 : a! > b! ? 1 : 0;
  const sa = JSON.stringify(a);
  const sb = JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Whether a filter looks at any of these top-level fields (through $and, $or and $nor too). */
export function mentionsFields(filter: Filter, fields: string[]): boolean {
  for (const [key, value] of Object.entries(filter)) {
    if (key === "$and" || key === "$or" || key === "$nor") {
      if (Array.isArray(value) && value.some((q) => q && typeof q === "object" && mentionsFields(q as Filter, fields))) return true;
    } else if (key.startsWith("$") || fields.includes(key.split(".")[0])) return true;
  }
  return false;
}
