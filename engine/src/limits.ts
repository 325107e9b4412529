/**
 * How deep and how big a JSON value from outside (a filter, a record to
 * save) may be. Checked by a loop with its own stack, before anything walks
 * the value recursively (mingo, zod, JSON.stringify), so a value nested
 * 10,000 levels deep is refused by name instead of overflowing the stack.
 */

export interface JsonLimits {
  /** Levels of objects and arrays: {"a": {"b": 1}} is 2 deep */
  depth: number;
  /** Size as JSON text, roughly (string escapes not counted) */
  bytes: number;
}

export const FILTER_LIMITS: JsonLimits = { depth: 64, bytes: 64 * 1024 };
export const RECORD_LIMITS: JsonLimits = { depth: 64, bytes: 8 * 1024 * 1024 };

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${bytes / 1024} KB`;
}

/** Why `value` is beyond the limits ("is nested deeper than …"), or null when it is within them. */
export function jsonBeyondLimits(value: unknown, limits: JsonLimits): string | null {
  const stack: [unknown, number][] = [[value, 0]];
  let bytes = 0;
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item === "string") bytes += item.length + 2;
    else if (item === null || typeof item !== "object") bytes += String(item).length;
    else {
      if (depth + 1 > limits.depth) return `is nested deeper than the limit of ${limits.depth} levels`;
      const entries = Array.isArray(item) ? item.map((v) => ["", v] as const) : Object.entries(item);
      bytes += 2 + entries.length;
      for (const [key, inner] of entries) {
        bytes += key ? key.length + 3 : 0;
        stack.push([inner, depth + 1]);
      }
    }
    if (bytes > limits.bytes) return `is larger than the limit of ${size(limits.bytes)} as JSON`;
  }
  return null;
}
