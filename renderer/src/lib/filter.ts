/**
 * Filter text -> a MongoDB-style query object. Accepts JSON, and the
 * shorthand people type in Compass: unquoted keys and single quotes
 * ({status: 'open', n: {$gt: 3}}). Never evaluated as code.
 */
export type ParsedFilter = { ok: true; value: Record<string, unknown> | undefined } | { ok: false; error: string };

function relax(text: string): string {
  return text
    .replace(/'((?:[^'\\]|\\.)*)'/g, (_m, inner: string) => JSON.stringify(inner.replace(/\\'/g, "'")))
    .replace(/([{,]\s*)([A-Za-z_$][\w$.]*)\s*:/g, '$1"$2":');
}

export function parseFilter(text: string): ParsedFilter {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed === "{}") return { ok: true, value: undefined };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (strictError) {
    try {
      value = JSON.parse(relax(trimmed));
    } catch {
      return { ok: false, error: `Not a query: ${unbalanced(trimmed) ?? (strictError as Error).message}. Write an object such as {"status": "open"} or {status: 'open', estimate: {$gt: 3}}.` };
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, error: "A filter is an object, such as {\"status\": \"open\"}." };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** The commonest typo, named plainly: a bracket opened and never closed (or closed twice). */
function unbalanced(text: string): string | null {
  const outsideStrings = text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, "");
  for (const [open, close] of [["{", "}"], ["[", "]"]]) {
    const diff = outsideStrings.split(open).length - outsideStrings.split(close).length;
    if (diff > 0) return `${diff} "${open}" never closed: add "${close}"`;
    if (diff < 0) return `${-diff} "${close}" too many`;
  }
  return null;
}
