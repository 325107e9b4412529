/**
 * The reference model's schema of a set of records (every record: the exact
 * figures), as the SchemaType doc comments state them: per key path (a
 * literal key "d.e" is its own path, apart from d: {e}), how many records
 * have it, and per JSON type its count and summary. Written anew from the
 * stated definitions (types/schema.ts): numbers' range, mean and histogram
 * (one bar per value for whole numbers spanning fewer than 20, else ten
 * equal bars, the last closed), strings' and dates' top ten values and
 * distinct count, lengths, booleans' shares, arrays' lengths and items.
 */
import type { Doc } from "./files.js";

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{3})?Z)?$/;

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "string") return DATE.test(v) && !Number.isNaN(Date.parse(v)) ? "date" : "string";
  return typeof v;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const lengths = (xs: number[]) => ({ min: Math.min(...xs), max: Math.max(...xs), mean: mean(xs) });

function topValues(xs: string[]) {
  const counts = new Map<string, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10).map(([value, count]) => ({ value, count }));
  return { top, distinct: counts.size, distinctCapped: false };
}

function histogram(xs: number[]) {
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  const whole = xs.every(Number.isInteger);
  if (whole && max - min < 20) {
    return Array.from({ length: max - min + 1 }, (_, i) => ({ from: min + i, to: min + i + 1, count: xs.filter((x) => x === min + i).length }));
  }
  if (min === max) return [{ from: min, to: min + 1, count: xs.length }]; // one bar, one unit wide
  const w = (max - min) / 10;
  return Array.from({ length: 10 }, (_, i) => ({ from: min + i * w, to: i === 9 ? max : min + (i + 1) * w, count: xs.filter((x) => Math.min(9, Math.floor((x - min) / w)) === i).length }));
}

/** The summaries of a list of values, commonest type first (ties by type name). */
export function typesOf(values: unknown[]): unknown[] {
  const groups = new Map<string, unknown[]>();
  for (const v of values) groups.set(typeName(v), [...(groups.get(typeName(v)) ?? []), v]);
  return [...groups]
    .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
    .map(([type, vs]) => {
      const count = vs.length;
      if (type === "number") {
        const xs = vs as number[];
        return { type, count, min: Math.min(...xs), max: Math.max(...xs), mean: mean(xs), histogram: histogram(xs) };
      }
      if (type === "string") return { type, count, ...topValues(vs as string[]), lengths: lengths((vs as string[]).map((s) => s.length)) };
      if (type === "boolean") return { type, count, true: vs.filter((v) => v === true).length, false: vs.filter((v) => v === false).length };
      if (type === "date") {
        const ds = (vs as string[]).slice();
        const byTime = (a: string, b: string) => Date.parse(a) - Date.parse(b);
        const sorted = ds.slice().sort(byTime);
        // The first of equal instants, as met
        const min = ds.find((d) => Date.parse(d) === Date.parse(sorted[0]))!;
        const max = ds.find((d) => Date.parse(d) === Date.parse(sorted[sorted.length - 1]))!;
        return { type, count, min, max, ...topValues(ds) };
      }
      if (type === "array") return { type, count, lengths: lengths((vs as unknown[][]).map((a) => a.length)), items: typesOf((vs as unknown[][]).flat()) };
      return { type, count };
    });
}

export interface SchemaPath {
  segments: string[];
  count: number;
  types: unknown[];
}

/** Every key path of the records, parents before children, in key order (en locale, as the explorer sorts). */
export function schemaOf(docs: Doc[]): SchemaPath[] {
  const values = new Map<string, { segments: string[]; values: unknown[] }>();
  const walk = (doc: Doc, parent: string[]) => {
    for (const key of Object.keys(doc)) {
      const segments = [...parent, key];
      const k = JSON.stringify(segments);
      if (!values.has(k)) values.set(k, { segments, values: [] });
      values.get(k)!.values.push(doc[key]);
      const v = doc[key];
      if (v !== null && typeof v === "object" && !Array.isArray(v)) walk(v as Doc, segments);
    }
  };
  for (const doc of docs) walk(doc, []);
  const order = (a: string[], b: string[]) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i].localeCompare(b[i], "en");
    return a.length - b.length;
  };
  return [...values.values()].sort((a, b) => order(a.segments, b.segments)).map((p) => ({ segments: p.segments, count: p.values.length, types: typesOf(p.values) }));
}
