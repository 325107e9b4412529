/**
 * The commonest filters compiled to plain comparisons over columns: a field
 * equal to, different from, above or below a string, number or boolean, or
 * in a list of them, combined with $and, $or and $nor. Each is mingo's rule
 * for a scalar value (its operators/_predicates.js: $eq, $in, and compare(),
 * which only compares values of the same type), so the answer is mingo's;
 * a record whose value for a named field is an object or an array is asked
 * of mingo itself (see filtered-records.ts). Any other operator: not
 * compiled, and mingo answers for every record.
 */
import type { Filter } from "./types.js";

/** values[f][i]: the value of field f (by its index in the plan's fields) for record i; undefined when absent. */
export type ScalarTest = (values: unknown[][], i: number) => boolean;

type Scalar = string | number | boolean | null;

const isScalar = (v: unknown): v is Scalar => v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean";

/** The query compiled for scalar values, or null when it uses anything else. */
export function compileScalarFilter(query: Filter, fields: readonly string[]): ScalarTest | null {
  const parts: ScalarTest[] = [];
  for (const [key, value] of Object.entries(query)) {
    let part: ScalarTest | null;
    if (key === "$and" || key === "$or" || key === "$nor") part = combine(key, value, fields);
    else if (key.startsWith("$") || key.includes(".")) return null;
    else part = condition(fields.indexOf(key), value);
    if (!part) return null;
    parts.push(part);
  }
  return all(parts);
}

function all(parts: ScalarTest[]): ScalarTest {
  if (parts.length === 1) return parts[0];
  return (values, i) => {
    for (const part of parts) if (!part(values, i)) return false;
    return true;
  };
}

function combine(op: string, list: unknown, fields: readonly string[]): ScalarTest | null {
  if (!Array.isArray(list) || list.length === 0) return null;
  const parts: ScalarTest[] = [];
  for (const q of list) {
    const part = q && typeof q === "object" && !Array.isArray(q) ? compileScalarFilter(q as Filter, fields) : null;
    if (!part) return null;
    parts.push(part);
  }
  if (op === "$and") return all(parts);
  const any: ScalarTest = (values, i) => parts.some((part) => part(values, i));
  return op === "$or" ? any : (values, i) => !any(values, i);
}

/** One field's condition: a scalar (equality) or an object of operators, all of which must hold. */
function condition(f: number, value: unknown): ScalarTest | null {
  if (f < 0) return null;
  if (isScalar(value)) return equals(f, value);
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const ops = Object.entries(value);
  if (ops.length === 0 || ops.some(([op]) => !op.startsWith("$"))) return null; // an object to match whole: mingo's
  const parts: ScalarTest[] = [];
  for (const [op, operand] of ops) {
    const part = operator(f, op, operand);
    if (!part) return null;
    parts.push(part);
  }
  return all(parts);
}

function operator(f: number, op: string, operand: unknown): ScalarTest | null {
  switch (op) {
    case "$eq":
      return isScalar(operand) ? equals(f, operand) : null;
    case "$ne": {
      const eq = isScalar(operand) ? equals(f, operand) : null;
      return eq && ((values, i) => !eq(values, i));
    }
    case "$in":
    case "$nin": {
      if (!Array.isArray(operand) || !operand.every(isScalar)) return null;
      const list = operand as Scalar[];
      const hasNull = list.includes(null);
      // $in: an absent or null value matches a null in the list; any other, a value equal to it.
      const isIn: ScalarTest = (values, i) => {
        const v = values[f][i];
        return v === null || v === undefined ? hasNull : list.includes(v as Scalar);
      };
      return op === "$in" ? isIn : (values, i) => !isIn(values, i);
    }
    case "$gt":
    case "$gte":
    case "$lt":
    case "$lte":
      return compares(f, op, operand);
    default:
      return null;
  }
}

/** mingo's $eq for a scalar value: the same value, or both absent-or-null. */
function equals(f: number, literal: Scalar): ScalarTest {
  if (literal === null) return (values, i) => values[f][i] === null || values[f][i] === undefined;
  return (values, i) => values[f][i] === literal;
}

/** mingo's compare(): values of the operand's type only, by < and >. */
function compares(f: number, op: string, literal: unknown): ScalarTest | null {
  // null is only equal to null (an absent value is not null here): $gte and $lte match it, $gt and $lt nothing.
  if (literal === null) return op === "$gte" || op === "$lte" ? (values, i) => values[f][i] === null : () => false;
  if (typeof literal !== "number" && typeof literal !== "string" && typeof literal !== "boolean") return null;
  const type = typeof literal;
  const test = op === "$gt" ? (v: Scalar) => v! > literal : op === "$gte" ? (v: Scalar) => v! >= literal : op === "$lt" ? (v: Scalar) => v! < literal : (v: Scalar) => v! <= literal;
  return (values, i) => {
    const v = values[f][i];
    return typeof v === type && test(v as Scalar);
  };
}
