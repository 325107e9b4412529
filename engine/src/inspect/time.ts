/**
 * Op timestamps as instants: the fast path for the canonical form opslog
 * writes (Date.toISOString()), which the WAL scan and the build both use.
 */

/**
 * A timestamp as ms since the epoch when it is in the canonical form
 * Date.toISOString() writes (so the string can be rebuilt exactly), else NaN.
 */
export function canonicalMs(ts: string): number {
  if (ts.length !== 24 || ts.charCodeAt(23) !== 90 /* Z */) return NaN;
  if (ts[4] !== "-" || ts[7] !== "-" || ts[10] !== "T" || ts[13] !== ":" || ts[16] !== ":" || ts[19] !== ".") return NaN;
  const year = digitsAt(ts, 0, 4), month = digitsAt(ts, 5, 7), day = digitsAt(ts, 8, 10);
  const hour = digitsAt(ts, 11, 13), minute = digitsAt(ts, 14, 16), second = digitsAt(ts, 17, 19), milli = digitsAt(ts, 20, 23);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || milli < 0) return NaN;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, milli);
  // Days 29-31 may not exist in that month (Date.UTC would roll over): check those the slow way.
  if (day > 28 && new Date(ms).toISOString() !== ts) return NaN;
  return ms;
}

/** The decimal number in ts[from, to), or -1 if a character is not a digit. */
function digitsAt(ts: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = ts.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}
