/**
 * The current state of the store: each record's value by record number,
 * kept in memory for the "now" of every view. Values scanned in parallel
 * arrive as hashes only and are read back from their WALs when first asked.
 * (Every earlier value lives in versions.ts, as a version list per record.)
 */
import { prevIs } from "./json.js";
import { hashFullPrev, hashValue } from "./hash.js";
import type { Hash } from "./hash.js";
import type { Doc } from "./types.js";
import type { ScannedOp } from "./walscan.js";

const LOAD_BATCH = 10_000;

/** A value the parallel scan left on disk: only its hash is here until materialize(). */
const LAZY = Symbol("lazy");

/**
 * The current state: each record's value by record number. Values scanned
 * in parallel arrive as hashes only (LAZY) and are read back through `load`
 * when first asked for: one by one for a page, all at once for a scan.
 */
export class CurrentState {
  private values: (Doc | typeof LAZY | undefined)[] = [];
  /** Reads back the values of LAZY records (set by whoever sets them) */
  load: ((recs: number[]) => Doc[]) | null = null;
  /** The hash of each LAZY value: [2 * rec, 2 * rec + 1] */
  private hashes = new Int32Array(1024);
  private lazy = 0;
  /** LAZY records with no hash here (a snapshot's values, left in the index cache's bytes): prevMatches reads them (index-cache-codec.ts sets it) */
  private unhashed: Uint8Array | null = null;
  size = 0;
  private readonly scratch: Hash = new Int32Array(2);
  private readonly scratch2: Hash = new Int32Array(2);

  get(rec: number): Doc | undefined {
    const value = this.values[rec];
    return value === LAZY ? this.fetch([rec])[0] : value;
  }

  /** rec's value if it is in memory; undefined when absent or still on disk. */
  peek(rec: number): Doc | undefined {
    const value = this.values[rec];
    return value === LAZY ? undefined : value;
  }

  /** The values of recs (undefined: absent), LAZY ones read back together. */
  getMany(recs: number[]): (Doc | undefined)[] {
    const lazy = recs.filter((rec) => this.values[rec] === LAZY);
    if (lazy.length > 0) this.fetch(lazy);
    return recs.map((rec) => this.values[rec] as Doc | undefined);
  }

  /** Read every LAZY value back now. */
  materialize(): void {
    if (this.lazy === 0) return;
    const recs: number[] = [];
    for (let rec = 0; rec < this.values.length; rec++) if (this.values[rec] === LAZY) recs.push(rec);
    for (let b = 0; b < recs.length; b += LOAD_BATCH) this.fetch(recs.slice(b, b + LOAD_BATCH));
  }

  private fetch(recs: number[]): Doc[] {
    if (!this.load) throw new Error("CurrentState: values left on disk, but no way to read them back");
    const docs = this.load(recs);
    recs.forEach((rec, i) => this.put(rec, docs[i]));
    return docs;
  }

  has(rec: number): boolean {
    return this.values[rec] !== undefined;
  }

  /** Set rec's value; null removes it. */
  set(rec: number, value: Doc | null): void {
    this.put(rec, value ?? undefined);
  }

  /** Set rec to a value known by its hash only (see materialize). */
  setLazy(rec: number, h0: number, h1: number): void {
    this.put(rec, LAZY);
    if (this.hashes.length < 2 * rec + 2) {
      const grown = new Int32Array(Math.max(2 * rec + 2, this.hashes.length * 2));
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[2 * rec] = h0;
    this.hashes[2 * rec + 1] = h1;
  }

  private put(rec: number, value: Doc | typeof LAZY | undefined): void {
    while (this.values.length <= rec) this.values.push(undefined);
    const before = this.values[rec];
    if (before === undefined && value !== undefined) this.size++;
    else if (before !== undefined && value === undefined) this.size--;
    if (before === LAZY) this.lazy--;
    if (value === LAZY) this.lazy++;
    if (this.unhashed && rec < this.unhashed.length) this.unhashed[rec] = 0;
    this.values[rec] = value;
  }

  /**
   * Whether op's prev is exactly rec's current value: the record its writer
   * had is the one it replaced. Compared as objects when both are here, by
   * hash otherwise.
   */
  prevMatches(rec: number, op: ScannedOp): boolean {
    const value = this.unhashed?.[rec] === 1 ? this.get(rec) : this.values[rec];
    if (!op.hasPrev || value === undefined) return !op.hasPrev && value === undefined;
    if (op.loaded && value !== LAZY) return prevIs(op, value);
    prevHash(op, this.scratch);
    if (value === LAZY) {
      this.scratch2[0] = this.hashes[2 * rec];
      this.scratch2[1] = this.hashes[2 * rec + 1];
    } else hashValue(value, this.scratch2);
    return this.scratch[0] === this.scratch2[0] && this.scratch[1] === this.scratch2[1];
  }

  /** Every record present, with its value, in record-number order. */
  *entries(): Generator<[number, Doc]> {
    this.materialize();
    for (let rec = 0; rec < this.values.length; rec++) {
      const value = this.values[rec];
      if (value !== undefined) yield [rec, value as Doc];
    }
  }
}

/** The hash of the full record op's writer had (its prev), from the scan or from the parsed op. */
function prevHash(op: ScannedOp, out: Hash): void {
  if (!op.loaded) {
    out[0] = op.prevHash0;
    out[1] = op.prevHash1;
  } else hashFullPrev(op, out);
}
