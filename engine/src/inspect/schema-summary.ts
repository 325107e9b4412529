/**
 * The schema of a set of records, as MongoDB Compass's Schema tab shows it:
 * every field path (nested objects as "a.b"), how many records have it, its
 * types, and per type a summary (numbers: range and histogram; strings: top
 * values and lengths; booleans: shares; ISO date strings: range; arrays:
 * lengths and a summary of their items). A pure function of the records it
 * is given: which records (a sample or all) is schema.ts's concern.
 */
import type { Doc, SchemaField, SchemaType, SchemaTypeName } from "./types.js";

/** Distinct string values tracked per field; past it, new values are not counted (the summary says so). */
const MAX_DISTINCT = 20_000;
const TOP_VALUES = 10;
const HISTOGRAM_BINS = 10;
/** Field paths tracked; a record with thousands of dynamic keys must not blow up the answer. */
export const MAX_FIELDS = 1000;
/** Nested objects deeper than this are summarised as "object" without their fields. */
const MAX_DEPTH = 20;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Whether a string is an ISO 8601 date or date-time that parses to an instant. */
export function isIsoDate(s: string): boolean {
  return s.length <= 40 && ISO_DATE.test(s) && !Number.isNaN(Date.parse(s));
}

export function typeOf(value: unknown): SchemaTypeName {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "string") return isIsoDate(value) ? "date" : "string";
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "object") return typeof value as SchemaTypeName;
  return "null"; // not in JSON; counted, never shown as an invented type
}

/** Running figures for one type of one field. */
class TypeTally {
  count = 0;
  private numbers: number[] = [];
  private strings = new Map<string, number>();
  private capped = false;
  private lengths = { min: Infinity, max: -Infinity, sum: 0 };
  private truths = 0;
  private dates = { min: "", minMs: Infinity, max: "", maxMs: -Infinity };
  private items: ValueTally | null = null;

  constructor(readonly type: SchemaTypeName) {}

  add(value: unknown): void {
    this.count++;
    switch (this.type) {
      case "number":
        this.numbers.push(value as number);
        break;
      case "string":
        this.addString(value as string);
        break;
      case "boolean":
        if (value === true) this.truths++;
        break;
      case "date":
        this.addDate(value as string);
        break;
      case "array":
        this.addLength((value as unknown[]).length);
        this.items ??= new ValueTally();
        for (const item of value as unknown[]) this.items.add(item);
        break;
    }
  }

  private addLength(n: number): void {
    if (n < this.lengths.min) this.lengths.min = n;
    if (n > this.lengths.max) this.lengths.max = n;
    this.lengths.sum += n;
  }

  private addString(s: string): void {
    this.addLength(s.length);
    const seen = this.strings.get(s);
    if (seen !== undefined) this.strings.set(s, seen + 1);
    else if (this.strings.size < MAX_DISTINCT) this.strings.set(s, 1);
    else this.capped = true;
  }

  private addDate(s: string): void {
    const ms = Date.parse(s);
    if (ms < this.dates.minMs) this.dates = { ...this.dates, min: s, minMs: ms };
    if (ms > this.dates.maxMs) this.dates = { ...this.dates, max: s, maxMs: ms };
    this.addString(s);
  }

  private lengthSummary() {
    return { min: this.lengths.min, max: this.lengths.max, mean: this.lengths.sum / this.count };
  }

  summary(): SchemaType {
    switch (this.type) {
      case "number":
        return { type: "number", count: this.count, ...numberSummary(this.numbers) };
      case "string":
        return { type: "string", count: this.count, ...this.valueSummary(), lengths: this.lengthSummary() };
      case "boolean":
        return { type: "boolean", count: this.count, true: this.truths, false: this.count - this.truths };
      case "date":
        return { type: "date", count: this.count, min: this.dates.min, max: this.dates.max, ...this.valueSummary() };
      case "array":
        return { type: "array", count: this.count, lengths: this.lengthSummary(), items: this.items?.summary() ?? [] };
      default:
        return { type: this.type, count: this.count };
    }
  }

  private valueSummary() {
    const top = [...this.strings].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, TOP_VALUES).map(([value, count]) => ({ value, count }));
    return { top, distinct: this.strings.size, distinctCapped: this.capped };
  }
}

/** Figures per type of the values one field holds (or one array's items). */
class ValueTally {
  private byType = new Map<SchemaTypeName, TypeTally>();

  add(value: unknown): void {
    const type = typeOf(value);
    let tally = this.byType.get(type);
    if (!tally) this.byType.set(type, (tally = new TypeTally(type)));
    tally.add(value);
  }

  /** Commonest type first. */
  summary(): SchemaType[] {
    return [...this.byType.values()].sort((a, b) => b.count - a.count || (a.type < b.type ? -1 : 1)).map((t) => t.summary());
  }
}

function numberSummary(values: number[]): { min: number; max: number; mean: number; histogram: { from: number; to: number; count: number }[] } {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let integers = true;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    if (!Number.isInteger(v)) integers = false;
  }
  // Whole numbers over a short range get one bar per value; anything else, equal-width bars, the last one closed.
  const bins = integers && max - min < HISTOGRAM_BINS * 2 ? max - min + 1 : min === max ? 1 : HISTOGRAM_BINS;
  const width = integers && bins === max - min + 1 ? 1 : (max - min) / bins || 1;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v - min) / width))]++;
  const histogram = counts.map((count, i) => ({ from: min + i * width, to: i === bins - 1 && width !== 1 ? max : min + (i + 1) * width, count }));
  return { min, max, mean: sum / values.length, histogram };
}

/** A path as shown: dot-joined, a key with a dot in it quoted as `["d.e"]` so that it cannot pass for a nested path. */
export function displayPath(segments: string[]): string {
  return segments.map((key, i) => (key.includes(".") ? `[${JSON.stringify(key)}]` : i === 0 ? key : `.${key}`)).join("");
}

/**
 * Why a filter cannot name a path with a dotted key: mingo, like MongoDB,
 * reads every dot of a filter's field name as a step into a nested object,
 * and MongoDB's way to name such a key ($getField inside $expr) is refused
 * here, as every expression operator is.
 */
function filterHint(segments: string[]): string | undefined {
  const dotted = segments.find((key) => key.includes("."));
  if (dotted === undefined) return undefined;
  const steps = dotted.split(".").join(" → ");
  return `No filter can select on this key: a filter reads "${dotted}" as the nested path ${steps}, never as one key (filters split field names at every dot, as MongoDB does, and $expr with $getField, MongoDB's way to name such a key, is not allowed here). Find these records by their id or other fields.`;
}

/**
 * Tally of every field path of many records: feed each record to add(),
 * then fields() gives the schema, paths in order (parents before children).
 * Paths are told apart by their exact segments: a literal key "d.e" and a
 * nested d: {e} are two fields.
 */
export class SchemaTally {
  records = 0;
  fieldsCapped = false;
  private fields = new Map<string, { segments: string[]; present: number; values: ValueTally }>();

  add(doc: Doc): void {
    this.records++;
    this.walk(doc, [], 0);
  }

  private walk(doc: Doc, parent: string[], depth: number): void {
    for (const key of Object.keys(doc)) {
      const value = doc[key];
      const segments = [...parent, key];
      const id = JSON.stringify(segments);
      let field = this.fields.get(id);
      if (!field) {
        if (this.fields.size >= MAX_FIELDS) {
          this.fieldsCapped = true;
          continue;
        }
        this.fields.set(id, (field = { segments, present: 0, values: new ValueTally() }));
      }
      field.present++;
      field.values.add(value);
      if (value !== null && typeof value === "object" && !Array.isArray(value) && depth < MAX_DEPTH) this.walk(value as Doc, segments, depth + 1);
    }
  }

  /** Every field path, sorted by its segments (so "a", "a.b", "a.c", "b"), with its count and types. */
  result(): SchemaField[] {
    return [...this.fields.values()]
      .sort((a, b) => compareKeys(a.segments, b.segments))
      .map((f) => {
        const hint = filterHint(f.segments);
        return { path: displayPath(f.segments), segments: f.segments, ...(hint ? { filterHint: hint } : {}), count: f.present, types: f.values.summary() };
      });
  }
}

function compareKeys(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i].localeCompare(b[i], "en");
  }
  return a.length - b.length;
}
