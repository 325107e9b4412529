/**
 * opslog's replay order of ops, shared by the store (which replays in it) and
 * the inspector (which indexes in it): Lamport clock, then agent id.
 */

type OrderKey = { clock?: number | null; agent?: string | null };

/** opslog's replay order: Lamport clock, then agent id (with opslog's own comparison, localeCompare). */
export function compareOps(a: OrderKey, b: OrderKey): number {
  const clockDiff = (a.clock ?? 0) - (b.clock ?? 0);
  return clockDiff !== 0 ? clockDiff : (a.agent ?? "").localeCompare(b.agent ?? "");
}
