/**
 * JSON values for the reference model: equality (key order aside; a key
 * named "__proto__" is a key like any other), and an op's full previous
 * record, its reverse patch applied over its data as FORMAT.md says.
 */
import type { Doc, RefOp } from "./files.js";

export function jsonEq(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEq(x, bb[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && jsonEq((a as Doc)[k], (b as Doc)[k]));
}

/** An own property, even for "__proto__" (plain assignment would set the prototype instead). */
export function put(doc: Doc, key: string, value: unknown): void {
  Object.defineProperty(doc, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The record as it was before the op: its prev, with a delta's reverse patch applied over its data. */
export function resolvePrev(op: Pick<RefOp, "rawPrev" | "encoding" | "data">): Doc | null {
  if (op.rawPrev === null) return null;
  if (op.encoding !== "delta") return op.rawPrev;
  const out: Doc = {};
  for (const key of Object.keys(op.data ?? {})) put(out, key, op.data![key]);
  const patch = op.rawPrev as { $set?: Doc; $unset?: string[] };
  for (const key of Object.keys(patch.$set ?? {})) put(out, key, patch.$set![key]);
  for (const key of patch.$unset ?? []) delete out[key];
  return out;
}
