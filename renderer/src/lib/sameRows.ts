/**
 * Rows that read as before stay the same objects: a new answer (a replay
 * step, a refresh) keeps each row it did not change as the object already
 * shown, so React's memo draws again only the rows that changed. Each row's
 * JSON is written once in its life and remembered beside it.
 */

const rowJson = new WeakMap<object, string>();

/** A row's JSON, from the memory when it was written before. */
export function jsonOf(row: unknown): string {
  if (typeof row !== "object" || row === null) return JSON.stringify(row);
  let json = rowJson.get(row);
  if (json === undefined) rowJson.set(row, (json = JSON.stringify(row)));
  return json;
}

/** The new rows, with each one that reads as one of the rows before kept as that object. */
export function keepSameRows<T>(before: readonly T[] | undefined, after: T[]): T[] {
  if (!before || before.length === 0) return after;
  const kept = new Map(before.map((row) => [jsonOf(row), row]));
  return after.map((row) => kept.get(jsonOf(row)) ?? row);
}
