/**
 * Delta-encoded `prev` (opslog 0.4+): a reverse patch over top-level keys,
 * `{ $set: {key: oldValue}, $unset: [key] }`. Applying it to an op's `data`
 * gives the full previous record. This engine reads deltas; it never writes
 * them, because opslog 0.3.0 would take the patch for the record.
 */
import type { Operation } from "./types.js";

export interface ReversePatch {
  $set?: Record<string, unknown>;
  $unset?: string[];
}

export function applyReversePatch(data: Record<string, unknown>, patch: ReversePatch): Record<string, unknown> {
  const result: Record<string, unknown> = { ...data };
  if (patch.$set) Object.assign(result, patch.$set);
  if (patch.$unset) for (const key of patch.$unset) delete result[key];
  return result;
}

/** op.prev as the full previous record, whatever the encoding; null for a create. */
export function fullPrev(op: Operation): Record<string, unknown> | null {
  if (op.prev === null || op.prev === undefined) return null;
  if (op.encoding !== "delta") return op.prev as Record<string, unknown>;
  return applyReversePatch((op.data ?? {}) as Record<string, unknown>, op.prev as ReversePatch);
}
