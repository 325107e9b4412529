/**
 * The one CSV cell rule of every export (records, archive, ops, history), so
 * that a cell reads back as the value it came from: absent is an empty
 * cell; a string goes out as is unless it is empty or JSON would read it as
 * something else ("null", "1", "true", "[1]"), then as JSON text; every
 * other value (null, numbers, booleans, objects, arrays) as JSON text. And,
 * on by default, OWASP's guard against CSV formula injection: a cell a
 * spreadsheet would run as a formula gets one leading `'`.
 * Also the record columns' headers: `_id` first, then one per field.
 */

/** What a spreadsheet reads as the start of a formula (OWASP CSV injection) */
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** JSON's own whitespace (String.trim takes more: U+00A0, U+2028, ...) */
const JSON_SPACE = /^[ \t\n\r]+|[ \t\n\r]+$/g;

/**
 * Whether `JSON.parse` would accept the text, decided without throwing for
 * the plain text most cells are (an exception per cell made CSV exports 10x
 * slower): a JSON text that does not start with `"`, `{` or `[` is a number,
 * `true`, `false` or `null`.
 */
export function parsesAsJson(text: string): boolean {
  const value = text.replace(JSON_SPACE, "");
  const first = value.charAt(0);
  if (first === '"' || first === "{" || first === "[") {
    try {
      JSON.parse(value);
      return true;
    } catch {
      return false;
    }
  }
  return value === "true" || value === "false" || value === "null" || JSON_NUMBER.test(value);
}

/** A value as one CSV cell (before csv-stringify's quoting); `formulaGuard` prefixes a cell a spreadsheet would run with `'`. */
export function csvCell(value: unknown, formulaGuard = true): string {
  if (value === undefined) return "";
  const text = typeof value === "string" && value !== "" && !parsesAsJson(value) ? value : JSON.stringify(value);
  // A JSON number ("-5") is data, not a formula; leading quotes are stripped so "'=1" cannot slip through as "'" + formula.
  if (formulaGuard && FORMULA_TRIGGER.test(text.replace(/^'+/, "")) && !JSON_NUMBER.test(text)) return `'${text}`;
  return text;
}

/** A cell read back: empty is absent, JSON text its value, anything else the string itself (undoing the guard's `'` when it was on). */
export function csvValue(cell: string, formulaGuard = true): unknown {
  if (cell === "") return undefined;
  const unguarded = formulaGuard && cell.startsWith("'") && FORMULA_TRIGGER.test(cell.replace(/^'+/, "")) ? cell.slice(1) : cell;
  try {
    return JSON.parse(unguarded) as unknown;
  } catch {
    return unguarded;
  }
}

/**
 * The headers of a record table: `_id` (the record's id), then each field by
 * its name, except a field literally named `_id`: it is headed `_id (field)`,
 * with " (field)" appended again while another column has that header.
 */
export function recordHeaders(fields: string[]): string[] {
  const taken = new Set(["_id", ...fields.filter((f) => f !== "_id")]);
  let own = "_id (field)";
  while (taken.has(own)) own += " (field)";
  return ["_id", ...fields.map((f) => (f === "_id" ? own : f))];
}
