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
import { finishHash, hashKey, hashPair } from "./hash.js";
import type { Hash } from "./hash.js";
import type { Doc } from "./types.js";

/** Codes of a kept column: the field is absent from the op's data, its value was not kept, or it is a number. */
export const ABSENT_FIELD = 0;
export const NOT_KEPT = -1;
export const NUMBER = -2;

/** Fields kept per store (per worker, and in the build's thread) */
/** A sift keeps its verdict on each whole number 1 .. SMALL_INTS - 1 (counts, estimates, levels: few distinct values, each tested once) */
export const SMALL_INTS = 1024;
export const MAX_FIELDS = 32;
const MAX_STRING = 256;
/** Up to this many values, a field's values are compared rather than looked up */
const SCAN_VALUES = 8;

/**
 * One field's values, each numbered once (1, 2, ...), with the hash of the
 * pair (field, value) of each: an object's hash is made of its pairs'
 * (hash.ts), so a kept value is hashed once, not once per op.
 */
export class FieldCodes {
  readonly values: unknown[] = [];
  private readonly lookup = new Map<unknown, number>();
  /** The pair hash of each value: [2c, 2c + 1] for code c */
  private pairs: Int32Array = new Int32Array(64);
  /** The code each record's value had last (0: none yet), by record number */
  private last: Int32Array = new Int32Array(1024);
  private readonly key = new Int32Array(2);

  constructor(readonly name: string) {
    hashKey(name, this.key);
  }

  /**
   * The code of record rec's value (a new one if first seen), NUMBER for a
   * number, NOT_KEPT for a value not kept; the pair's hash into `pair`. A
   * field of a few values compares them; one of many tries the record's last
   * value first: most fields keep their value from one version to the next,
   * and a comparison costs less than a lookup.
   */
  code(value: unknown, rec: number, pair: Hash): number {
    if (typeof value === "number" || (value !== null && typeof value !== "boolean" && (typeof value !== "string" || value.length > MAX_STRING))) {
      hashPair(this.key, value, pair);
      return typeof value === "number" ? NUMBER : NOT_KEPT;
    }
    let code: number;
    if (this.values.length <= SCAN_VALUES) code = this.find(value);
    else {
      if (rec >= this.last.length) this.last = grown(this.last, rec + 1);
      code = this.last[rec];
      if (code === 0 || this.values[code - 1] !== value) {
        code = this.find(value);
        this.last[rec] = code;
      }
    }
    pair[0] = this.pairs[2 * code];
    pair[1] = this.pairs[2 * code + 1];
    return code;
  }

  /** The value's code, new if first seen: a few values are compared (no string is hashed), more are looked up. */
  private find(value: unknown): number {
    const { values } = this;
    if (values.length <= SCAN_VALUES) {
      for (let k = 0; k < values.length; k++) if (values[k] === value) return k + 1;
      return this.add(value);
    }
    return this.lookup.get(value) ?? this.add(value);
  }

  private add(value: unknown): number {
    const code = this.values.push(value);
    this.lookup.set(value, code);
    if (2 * code + 2 > this.pairs.length) this.pairs = grown(this.pairs, 2 * code + 2);
    hashPair(this.key, value, this.pairs.subarray(2 * code));
    return code;
  }
}

/** a, longer (at least n long). */
function grown(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(Math.max(n, 2 * a.length));
  out.set(a);
  return out;
}

/**
 * Keeps records' top-level values field by field, and hashes each record as
 * it goes (its pairs' hashes: a kept value's is known). Subclasses say where
 * each field's codes go: the worker's batch, or the columns by op entry.
 */
export abstract class RecordKeeper<F extends { codes: FieldCodes }> {
  /** The last record's field names and fields, in its key order: the next one's keys usually match, with no lookup */
  private readonly lastNames: string[] = [];
  private readonly lastFields: (F | null)[] = [];
  private readonly pair = new Int32Array(2);

  /** The field named `name`, new if there is room for one (MAX_FIELDS); null if not. */
  protected abstract field(name: string): F | null;

  /** Keep one value's code (NUMBER: the value is the number) of the record being kept. */
  protected abstract put(field: F, code: number, value: unknown): void;

  /**
   * Code each top-level value of `data` (record rec's) and hash the whole
   * into `hash`, equal to hashValue(data). False when some field has no
   * column (past MAX_FIELDS): its value is not kept.
   */
  protected keepRecord(data: Doc, rec: number, hash: Hash): boolean {
    const { pair, lastNames, lastFields } = this;
    let a = 0;
    let b = 0;
    let k = 0;
    let all = true;
    for (const name in data) {
      const value = data[name];
      let field: F | null;
      if (lastNames[k] === name) field = lastFields[k];
      else {
        field = this.field(name);
        lastNames[k] = name;
        lastFields[k] = field;
      }
      if (field) this.put(field, field.codes.code(value, rec, pair), value);
      else {
        all = false;
        hashKey(name, pair);
        hashPair(pair, value, pair);
      }
      a = (a + pair[0]) | 0;
      b = (b + pair[1]) | 0;
      k++;
    }
    finishHash(a, b, k, hash);
    return all;
  }
}

/**
 * The top-level values of a batch's ops, as the worker sends them: for the
 * i-th field present (fields[i], the worker's number for it: its place among
 * the fields named in ScanBatch.newFields, in order), a run of n codes from
 * codes[i * n] (ABSENT_FIELD, NOT_KEPT, NUMBER: the value is at the same
 * place in `numbers`, or the value's code); and the values first seen.
 */
export interface BatchColumns {
  fields: number[];
  codes: Int32Array;
  numbers: Float64Array | null;
  /** [field number, its values first seen in this batch, coded on from those sent before] */
  newValues: [number, unknown[]][];
}

interface EncodedField {
  no: number;
  codes: FieldCodes;
  /** How many of its values went out with earlier batches */
  sent: number;
  /** The batch it was last present in, and its place among the fields present there */
  batch: number;
  slot: number;
}

/** The worker's side: the columns of one batch at a time, against dictionaries kept across batches. */
export class BatchColumnEncoder extends RecordKeeper<EncodedField> {
  private readonly fields = new Map<string, EncodedField>();
  private named = 0;
  private batchNo = 0;
  private present: EncodedField[] = [];
  private n = 0;
  private j = 0;
  private codes = new Int32Array(0);
  private numbers: Float64Array | null = null;

  /** Start a batch of n ops. */
  begin(n: number): void {
    this.n = n;
    this.batchNo++;
    this.present = [];
    this.codes = new Int32Array(n * Math.max(4, this.fields.size));
    this.numbers = null;
  }

  /**
   * Keep op j's top-level values (rec: the worker's number for its record)
   * and hash its data into `hash`; false when some of its fields are past
   * MAX_FIELDS (not kept).
   */
  keep(j: number, data: Doc, rec: number, hash: Hash): boolean {
    this.j = j;
    return this.keepRecord(data, rec, hash);
  }

  /** The batch's columns, and the fields named for the first time in it. */
  end(): { columns: BatchColumns; newFields: string[] } {
    const newValues: [number, unknown[]][] = [];
    for (const field of this.present) {
      const { values } = field.codes;
      if (values.length > field.sent) newValues.push([field.no, values.slice(field.sent)]);
      field.sent = values.length;
    }
    const newFields = [...this.fields.keys()].slice(this.named);
    this.named = this.fields.size;
    const used = this.present.length * this.n;
    const columns = { fields: this.present.map((f) => f.no), codes: this.codes.slice(0, used), numbers: this.numbers?.slice(0, used) ?? null, newValues };
    return { columns, newFields };
  }

  protected field(name: string): EncodedField | null {
    let field = this.fields.get(name);
    if (!field && this.fields.size < MAX_FIELDS) this.fields.set(name, (field = { no: this.fields.size, codes: new FieldCodes(name), sent: 0, batch: 0, slot: 0 }));
    return field ?? null;
  }

  protected put(field: EncodedField, code: number, value: unknown): void {
    const at = this.slotOf(field) * this.n + this.j;
    this.codes[at] = code;
    if (code === NUMBER) (this.numbers ??= new Float64Array(this.codes.length))[at] = value as number;
  }

  /** The field's place among those present in this batch, given on its first value. */
  private slotOf(field: EncodedField): number {
    if (field.batch === this.batchNo) return field.slot;
    field.batch = this.batchNo;
    field.slot = this.present.length;
    this.present.push(field);
    if (this.present.length * this.n > this.codes.length) {
      const codes = new Int32Array(2 * this.codes.length);
      codes.set(this.codes);
      this.codes = codes;
      if (this.numbers) {
        const numbers = new Float64Array(codes.length);
        numbers.set(this.numbers);
        this.numbers = numbers;
      }
    }
    return field.slot;
  }
}

/** Whether an op's data is a plain object, whose top-level fields can be kept. */
export function isRecordData(data: unknown): data is Doc {
  return data !== null && typeof data === "object" && !Array.isArray(data);
}
