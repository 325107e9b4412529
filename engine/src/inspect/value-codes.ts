/**
 * How the build keeps the short top-level values of every op's data as it
 * parses (strings up to 256 characters, numbers, booleans, null): each as a
 * code against a per-field dictionary of the values seen, numbers as
 * themselves. The scan worker encodes a batch of ops at a time and sends the
 * codes with the batch (BatchColumnEncoder); the build's own thread keeps
 * the ops it parses itself (kept-columns.ts). Objects, arrays and long
 * strings are NOT_KEPT, and fields past the first MAX_FIELDS are not kept at
 * all: their values are read from the WALs when a filter needs them.
 */
import type { Doc } from "./types.js";

/** Codes of a kept column: the field is absent from the op's data, its value was not kept, or it is a number. */
export const ABSENT_FIELD = 0;
export const NOT_KEPT = -1;
export const NUMBER = -2;

/** Fields kept per store (per worker, and in the build's thread) */
export const MAX_FIELDS = 32;
const MAX_STRING = 256;

/** The values seen of one field, each numbered once: 1, 2, ... */
export class ValueCodes {
  readonly values: unknown[] = [];
  private readonly lookup = new Map<unknown, number>();
  /** The code each record's value had last (0: none yet), by record number */
  private last = new Int32Array(1024);

  /**
   * The code of record rec's value (a new one if first seen), or NOT_KEPT
   * for a value not kept; not for numbers. The record's last value is tried
   * first: most fields keep their value from one version to the next, and a
   * comparison costs less than a lookup.
   */
  code(value: unknown, rec: number): number {
    if (value !== null && typeof value !== "boolean" && (typeof value !== "string" || value.length > MAX_STRING)) return NOT_KEPT;
    if (rec >= this.last.length) {
      const grown = new Int32Array(Math.max(rec + 1, 2 * this.last.length));
      grown.set(this.last);
      this.last = grown;
    }
    const last = this.last[rec];
    if (last > 0 && this.values[last - 1] === value) return last;
    let code = this.lookup.get(value);
    if (code === undefined) this.lookup.set(value, (code = this.values.push(value)));
    this.last[rec] = code;
    return code;
  }
}

/** One field's values over the ops of a batch, as the worker sends them. */
export interface BatchColumn {
  /** The worker's number for the field: its place among the fields the worker named (ScanBatch.newFields), in order */
  field: number;
  /** Per op of the batch: ABSENT_FIELD, NOT_KEPT, NUMBER (value in `numbers`), or the value's code */
  codes: Int32Array;
  numbers: Float64Array | null;
  /** The field's values first seen in this batch, coded on from those sent before */
  newValues: unknown[];
}

interface EncodedField {
  no: number;
  codes: ValueCodes;
  /** How many of its values went out with earlier batches */
  sent: number;
}

/** The worker's side: the columns of one batch at a time, against dictionaries kept across batches. */
export class BatchColumnEncoder {
  private readonly fields = new Map<string, EncodedField>();
  private readonly byNo: EncodedField[] = [];
  private named = 0;
  private batch: (BatchColumn | undefined)[] = [];
  private n = 0;

  /** Start a batch of n ops. */
  begin(n: number): void {
    this.n = n;
    this.batch = [];
  }

  /** Keep op j's top-level values (rec: the worker's number for its record); false when some of its fields are past MAX_FIELDS (not kept). */
  keep(j: number, data: Doc, rec: number): boolean {
    let all = true;
    for (const name in data) {
      let field = this.fields.get(name);
      if (!field) {
        if (this.fields.size >= MAX_FIELDS) {
          all = false;
          continue;
        }
        field = { no: this.fields.size, codes: new ValueCodes(), sent: 0 };
        this.fields.set(name, field);
        this.byNo.push(field);
      }
      const column = (this.batch[field.no] ??= { field: field.no, codes: new Int32Array(this.n), numbers: null, newValues: [] });
      const value = data[name];
      if (typeof value === "number") {
        (column.numbers ??= new Float64Array(this.n))[j] = value;
        column.codes[j] = NUMBER;
      } else column.codes[j] = field.codes.code(value, rec);
    }
    return all;
  }

  /** The batch's columns, and the fields named for the first time in it. */
  end(): { columns: BatchColumn[]; newFields: string[] } {
    const columns: BatchColumn[] = [];
    for (const column of this.batch) {
      if (!column) continue;
      const field = this.byNo[column.field];
      column.newValues = field.codes.values.slice(field.sent);
      field.sent = field.codes.values.length;
      columns.push(column);
    }
    const newFields = [...this.fields.keys()].slice(this.named);
    this.named = this.fields.size;
    return { columns, newFields };
  }
}

/** Whether an op's data is a plain object, whose top-level fields can be kept. */
export function isRecordData(data: unknown): data is Doc {
  return data !== null && typeof data === "object" && !Array.isArray(data);
}
