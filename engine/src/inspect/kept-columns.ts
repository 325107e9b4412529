/**
 * What the build keeps of every op's data as it indexes it, by op entry, so
 * that a filter or diff right after the open reads nothing from disk: the
 * short top-level values of the data (value-codes.ts), field by field, and
 * the data's hash (hash.ts: equal for equal values). Ops the scan worker
 * parsed arrive coded in its batches (copied here as they are); ops parsed
 * in this thread (the build's own lanes, the live tail) are coded here from
 * their data. A value not kept reads as UNKNOWN: the caller reads it from
 * the WAL (columns.ts).
 */
import { hashValue } from "./hash.js";
import { BATCH_I32, FLAG_DATA, FLAG_KEPT, FLAG_OVERFLOW, I_DATA0, I_DATA1, I_FLAGS } from "./scan-protocol.js";
import type { ScanBatch, ScannedField } from "./scan-protocol.js";
import { ABSENT_FIELD, FieldCodes, MAX_FIELDS, NOT_KEPT, NUMBER, RecordKeeper, SMALL_INTS, isRecordData } from "./value-codes.js";
import type { OpTable } from "./optable.js";
import type { ScannedOp } from "./walscan.js";

/** A value the columns do not hold. */
export const UNKNOWN = Symbol("unknown");

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;

/** An entry's state: its fields are in the columns (ABSENT_FIELD is exact) ... */
const KEPT = 1;
/** ... except some, past the fields kept (ABSENT_FIELD then says nothing) */
const OVERFLOW = 2;
/** Its data's hash is here */
const HASHED = 4;

interface KeptField {
  /** Values of the ops parsed in this thread: code NUMBER - c is codes.values[c - 1] */
  codes: FieldCodes;
  /** Codes by entry, in chunks (a missing chunk is all ABSENT_FIELD): NUMBER, NOT_KEPT, a code into `scanned` (> 0: a worker parsed the op) or this thread's (< NUMBER) */
  chunks: (Int32Array | undefined)[];
  numbers: (Float64Array | undefined)[];
  /** Values of the ops the scan workers parsed: code c is scanned[c - 1] */
  scanned: unknown[];
}

export class KeptColumns extends RecordKeeper<KeptField> {
  private readonly fields = new Map<string, KeptField>();
  private readonly state: (Uint8Array | undefined)[] = [];
  private readonly hashes: (Int32Array | undefined)[] = [];
  private readonly hash = new Int32Array(2);
  /** The entry being kept */
  private entry = 0;

  /** Keep the ops parsed in this thread (added to `table`, their data here). */
  keepParsed(ops: ScannedOp[], table: Pick<OpTable, "rec">): void {
    for (const op of ops) {
      const { data, entry: e } = op;
      if (data === null) continue;
      let state = HASHED;
      this.entry = e;
      if (!isRecordData(data)) hashValue(data, this.hash);
      else state |= this.keepRecord(data, table.rec(e), this.hash) ? KEPT : KEPT | OVERFLOW;
      const hashes = (this.hashes[e >>> CHUNK_BITS] ??= new Int32Array(2 * CHUNK));
      hashes[2 * (e & MASK)] = this.hash[0];
      hashes[2 * (e & MASK) + 1] = this.hash[1];
      (this.state[e >>> CHUNK_BITS] ??= new Uint8Array(CHUNK))[e & MASK] = state;
    }
  }

  /** Keep the ops of a worker's batch, added to the index as entries first, first + 1, ... */
  keepScanned(first: number, batch: Pick<ScanBatch, "n" | "i32" | "columns">, scanned: ScannedField[]): void {
    const { n, i32 } = batch;
    for (let j = 0; j < n; j++) {
      const e = first + j;
      const flags = i32[j * BATCH_I32 + I_FLAGS];
      if (!(flags & FLAG_DATA)) continue;
      const hashes = (this.hashes[e >>> CHUNK_BITS] ??= new Int32Array(2 * CHUNK));
      hashes[2 * (e & MASK)] = i32[j * BATCH_I32 + I_DATA0];
      hashes[2 * (e & MASK) + 1] = i32[j * BATCH_I32 + I_DATA1];
      (this.state[e >>> CHUNK_BITS] ??= new Uint8Array(CHUNK))[e & MASK] = HASHED | (flags & FLAG_KEPT ? KEPT : 0) | (flags & FLAG_OVERFLOW ? OVERFLOW : 0);
    }
    const { fields, codes, numbers } = batch.columns;
    fields.forEach((no, i) => {
      const field = this.field(scanned[no].name);
      const run = codes.subarray(i * n, (i + 1) * n);
      if (!field) {
        // No room for this field here: the ops that have it keep none of it.
        for (let j = 0; j < n; j++) if (run[j] !== ABSENT_FIELD) this.state[(first + j) >>> CHUNK_BITS]![(first + j) & MASK] |= OVERFLOW;
        return;
      }
      copyInto(field.chunks, first, this.inOurCodes(field, scanned[no], run), () => new Int32Array(CHUNK));
      if (numbers && run.includes(NUMBER)) copyInto(field.numbers, first, numbers.subarray(i * n, (i + 1) * n), () => new Float64Array(CHUNK));
    });
  }

  /**
   * A worker's codes of field's values as codes into field.scanned: each
   * worker numbers the values it meets itself, so their values go into one
   * list, each worker's code of each mapped to its place there.
   */
  private inOurCodes(field: KeptField, theirs: ScannedField, run: Int32Array): Int32Array {
    const map = (theirs.places ??= [0]);
    for (let c = map.length; c <= theirs.values.length; c++) map.push(field.scanned.push(theirs.values[c - 1]));
    const out = new Int32Array(run.length);
    for (let j = 0; j < run.length; j++) out[j] = run[j] > 0 ? map[run[j]] : run[j];
    return out;
  }

  /**
   * field's values in the ops at srcs (entries; snapshot sources, < 0, are
   * left as they are) into out: undefined where the op's data lacks it,
   * UNKNOWN where it is not kept.
   */
  read(name: string, srcs: ArrayLike<number>, out: unknown[]): void {
    const field = this.fields.get(name);
    for (let i = 0; i < srcs.length; i++) {
      const e = srcs[i];
      if (e < 0) continue;
      const state = this.state[e >>> CHUNK_BITS]?.[e & MASK] ?? 0;
      const code = field?.chunks[e >>> CHUNK_BITS]?.[e & MASK] ?? ABSENT_FIELD;
      if (!(state & KEPT) || code === NOT_KEPT) out[i] = UNKNOWN;
      else if (code === ABSENT_FIELD) out[i] = state & OVERFLOW ? UNKNOWN : undefined;
      else if (code === NUMBER) out[i] = field!.numbers[e >>> CHUNK_BITS]![e & MASK];
      else out[i] = code > 0 ? field!.scanned[code - 1] : field!.codes.values[NUMBER - code - 1];
    }
  }

  /**
   * Of the candidates idx[0..n) (indices into srcs, grouped by chunk), those
   * whose value of field `name` passes `test`, written to pass (may be idx
   * itself), and those whose value is not kept here (or a snapshot's), to
   * unsure from its place u on: the caller reads them. Values are tested by
   * their codes, each distinct value once, each number as it is read
   * (nothing boxed into an array). Returns how many passed, and unsure's new count.
   */
  sift(name: string, srcs: Int32Array, idx: Int32Array, n: number, test: (value: unknown) => boolean, pass: Int32Array, unsure: Int32Array, u: number): [passed: number, unsure: number] {
    const field = this.fields.get(name);
    const run: SiftRun = {
      test,
      absent: test(undefined) ? 1 : 2,
      scanned: field?.scanned ?? [],
      own: field?.codes.values ?? [],
      scannedVerdicts: new Int8Array((field?.scanned.length ?? 0) + 1),
      ownVerdicts: new Int8Array((field?.codes.values.length ?? 0) + 1),
      small: new Int8Array(SMALL_INTS),
      pass,
      unsure,
      p: 0,
      u,
    };
    // The candidates a chunk at a time (they come grouped by chunk): its arrays are looked up once.
    for (let j = 0; j < n; ) {
      const e = srcs[idx[j]];
      if (e < 0) {
        unsure[run.u++] = idx[j++];
        continue;
      }
      const c = e >>> CHUNK_BITS;
      j = siftChunk(run, srcs, idx, j, n, c, this.state[c], field?.chunks[c], field?.numbers[c]);
    }
    return [run.p, run.u];
  }

  /**
   * Whether the data of two ops is known to differ: their hashes, which are
   * equal for equal values, differ. False when not known: the caller
   * compares the values themselves.
   */
  knownDifferent(a: number, b: number): boolean {
    if (a < 0 || b < 0) return false;
    const ha = this.hashes[a >>> CHUNK_BITS];
    const hb = this.hashes[b >>> CHUNK_BITS];
    if (!((this.state[a >>> CHUNK_BITS]?.[a & MASK] ?? 0) & HASHED) || !((this.state[b >>> CHUNK_BITS]?.[b & MASK] ?? 0) & HASHED)) return false;
    const i = 2 * (a & MASK);
    const j = 2 * (b & MASK);
    return ha![i] !== hb![j] || ha![i + 1] !== hb![j + 1];
  }

  protected field(name: string): KeptField | null {
    let field = this.fields.get(name);
    if (!field && this.fields.size < MAX_FIELDS) this.fields.set(name, (field = { codes: new FieldCodes(name), chunks: [], numbers: [], scanned: [] }));
    return field ?? null;
  }

  protected put(field: KeptField, code: number, value: unknown): void {
    const e = this.entry;
    if (code === NUMBER) (field.numbers[e >>> CHUNK_BITS] ??= new Float64Array(CHUNK))[e & MASK] = value as number;
    // This thread's codes go below NUMBER, clear of the workers'.
    (field.chunks[e >>> CHUNK_BITS] ??= new Int32Array(CHUNK))[e & MASK] = code > 0 ? NUMBER - code : code;
  }
}

/** One sift's test, what it has told of each code, and where it puts the candidates (KeptColumns.sift). */
interface SiftRun {
  test: (value: unknown) => boolean;
  /** The verdict on an absent value: 1 passes, 2 fails (0 in the verdicts: not asked yet) */
  absent: number;
  scanned: unknown[];
  own: unknown[];
  scannedVerdicts: Int8Array;
  ownVerdicts: Int8Array;
  /** Verdicts on whole numbers 1 .. SMALL_INTS - 1 */
  small: Int8Array;
  pass: Int32Array;
  unsure: Int32Array;
  p: number;
  u: number;
}

/** The candidates from idx[from] on whose entries are in chunk c (whose arrays are given); where the next chunk's begin. */
function siftChunk(run: SiftRun, srcs: Int32Array, idx: Int32Array, from: number, n: number, c: number, states: Uint8Array | undefined, codes: Int32Array | undefined, numbers: Float64Array | undefined): number {
  const { pass, unsure, scannedVerdicts, ownVerdicts } = run;
  let { p, u } = run;
  let j = from;
  for (; j < n; j++) {
    const i = idx[j];
    const e = srcs[i];
    if (e >>> CHUNK_BITS !== c || e < 0) break;
    const o = e & MASK;
    const state = states === undefined ? 0 : states[o];
    const code = state & KEPT ? (codes === undefined ? ABSENT_FIELD : codes[o]) : NOT_KEPT;
    let verdict: number;
    if (code > 0) {
      verdict = scannedVerdicts[code];
      if (verdict === 0) scannedVerdicts[code] = verdict = run.test(run.scanned[code - 1]) ? 1 : 2;
    } else if (code === ABSENT_FIELD) verdict = state & OVERFLOW ? 0 : run.absent;
    else if (code === NUMBER) {
      const v = numbers![o];
      if (v >= 1 && v < SMALL_INTS && (v | 0) === v) {
        verdict = run.small[v];
        if (verdict === 0) run.small[v] = verdict = run.test(v) ? 1 : 2;
      } else verdict = run.test(v) ? 1 : 2;
    }
    else if (code === NOT_KEPT) verdict = 0;
    else {
      const k = NUMBER - code;
      verdict = ownVerdicts[k];
      if (verdict === 0) ownVerdicts[k] = verdict = run.test(run.own[k - 1]) ? 1 : 2;
    }
    if (verdict === 1) pass[p++] = i;
    else if (verdict === 0) unsure[u++] = i;
  }
  run.p = p;
  run.u = u;
  return j;
}

/** src into chunks from entry `first` on. */
function copyInto<T extends Int32Array | Float64Array>(chunks: (T | undefined)[], first: number, src: T, chunk: () => T): void {
  for (let j = 0; j < src.length; ) {
    const e = first + j;
    const take = Math.min(src.length - j, CHUNK - (e & MASK));
    (chunks[e >>> CHUNK_BITS] ??= chunk()).set(src.subarray(j, j + take), e & MASK);
    j += take;
  }
}
