/**
 * Equality of JSON values as JSON.parse gives them, and of an op's prev with
 * a record without resolving a delta-encoded prev first: the comparisons the
 * build, the live tail, conflicts and diffs make on every op they touch.
 */
import type { ScannedOp } from "./walscan.js";
import type { Doc } from "./types.js";

/** Deep equality of JSON values (what JSON.parse gives), much cheaper than util.isDeepStrictEqual. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!Object.hasOwn(b, k) || !jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

/** Whether op's prev (full or a reverse patch over its data) is exactly `record`, without building it. */
export function prevIs(op: Pick<ScannedOp, "data" | "rawPrev" | "encoding">, record: Doc | null): boolean {
  if (op.rawPrev === null || record === null) return op.rawPrev === record;
  if (op.encoding !== "delta") return jsonEqual(op.rawPrev, record);
  const patch = op.rawPrev as { $set?: Doc; $unset?: string[] };
  const data = op.data ?? {};
  const set = patch.$set ?? {};
  const unset = patch.$unset ?? [];
  let count = 0;
  for (const key in data) if (!Object.hasOwn(set, key) && !unset.includes(key)) count++;
  for (const key in set) if (Object.hasOwn(set, key)) count++;
  let seen = 0;
  for (const key in record) {
    seen++;
    const value = record[key];
    if (Object.hasOwn(set, key)) {
      if (!jsonEqual(set[key], value)) return false;
    } else if (unset.includes(key) || !Object.hasOwn(data, key) || !jsonEqual(data[key], value)) return false;
  }
  return seen === count;
}
