/** Which fields a table of records shows, learnt from the rows as they arrive. */
import type { RecordRow } from "../../../electron/contract";

const MAX_FIELDS = 10;

/** The fields seen so far plus those of these rows, the most common first (at most MAX_FIELDS); the same array if nothing new. */
export function mergeFields(known: string[], rows: RecordRow[]): string[] {
  if (known.length >= MAX_FIELDS) return known;
  const counts = new Map<string, number>();
  for (const row of rows) for (const key of Object.keys(row.data)) counts.set(key, (counts.get(key) ?? 0) + 1);
  const fresh = [...counts].filter(([key]) => !known.includes(key)).sort((a, b) => b[1] - a[1]).map(([key]) => key);
  return fresh.length === 0 ? known : [...known, ...fresh].slice(0, MAX_FIELDS);
}
