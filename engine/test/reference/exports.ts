/**
 * The rows every export format must hold, from the reference model: JSONL
 * and JSON hold the view's rows as they are; CSV follows the rule pinned in
 * AGREED.md (first column `_id`, then every top-level field of any exported
 * row in order of first appearance, a field named `_id` headed
 * `_id (field)`; a cell is empty when absent, a string as is unless it is
 * empty or JSON would read it as something else, anything else as JSON;
 * the formula guard prefixes one `'`). Cells are compared as strings, after
 * the CSV text is parsed (quoting is the CSV library's business).
 */
import type { Doc } from "./files.js";

function isJsonText(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

const TRIGGERS = ["=", "+", "-", "@", "\t", "\r"];

/** One cell, by the agreed rule, the formula guard on. */
export function cell(value: unknown): string {
  if (value === undefined) return "";
  const text = typeof value === "string" && value !== "" && !isJsonText(value) ? value : JSON.stringify(value);
  const bare = text.replace(/^'+/, "");
  const isNumber = typeof JSON.parse(isJsonText(text) ? text : "null") === "number";
  return TRIGGERS.some((t) => bare.startsWith(t)) && !isNumber ? `'${text}` : text;
}

/** A cell read back: guard first, then the rule. */
export function decodeCell(text: string): unknown {
  let t = text;
  if (t.startsWith("'") && TRIGGERS.some((c) => t.replace(/^'+/, "").startsWith(c))) t = t.slice(1);
  if (t === "") return undefined;
  return isJsonText(t) ? JSON.parse(t) : t;
}

/** Header and cells of a records (or archive) CSV. */
export function recordsCsv(rows: { id: string; data: Doc }[]): string[][] {
  const fields: string[] = [];
  for (const r of rows) for (const f of Object.keys(r.data)) if (!fields.includes(f)) fields.push(f);
  const headers = ["_id"];
  for (const f of fields) {
    let h = f;
    while (headers.includes(h)) h += " (field)";
    headers.push(h);
  }
  return [headers, ...rows.map((r) => [cell(r.id), ...fields.map((f) => cell(Object.hasOwn(r.data, f) ? r.data[f] : undefined))])];
}

interface OpRow { pos: number; ts: string; agent: string | null; clock: number | null; op: string; id: string; file: string; line: number; data: Doc | null; prev: Doc | null }

export function opsCsv(rows: OpRow[]): string[][] {
  const header = ["op #", "time", "agent", "clock", "op", "id", "file:line", "data", "prev"];
  return [header, ...rows.map((o) => [o.pos + 1, o.ts, o.agent ?? undefined, o.clock ?? undefined, o.op, o.id, `${o.file}:${o.line}`, o.data ?? undefined, o.prev ?? undefined].map(cell))];
}

interface HistoryRow { pos: number; ts: string; agent: string | null; clock: number | null; op: string; file: string; line: number; before: Doc | null; after: Doc | null; segment?: string }

export function historyCsv(rows: HistoryRow[]): string[][] {
  const header = ["op #", "time", "agent", "clock", "op", "file:line", "before", "after", "segment"];
  return [header, ...rows.map((h) => [h.op === "archive" ? undefined : h.pos + 1, h.ts, h.agent ?? undefined, h.clock ?? undefined, h.op, `${h.file}:${h.line}`, h.before ?? undefined, h.after ?? undefined, h.segment].map(cell))];
}
