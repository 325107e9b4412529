/**
 * The inspector's compact op index. Every op in every WAL is one entry of a
 * few numbers in typed arrays (where it is on disk, when, who, which record,
 * where it sits in the timeline); its data stays on disk and is read back by
 * offset when shown (see OpReader). A million ops cost about 60 MB here,
 * against the several hundred MB their parsed data would hold.
 */
import type { ScannedOp } from "./walscan.js";

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;

/** A growable list of 32-bit integers in fixed chunks: no doubling, no copying as it grows. */
export class IntList {
  private chunks: Int32Array[] = [];
  length = 0;

  push(value: number): void {
    const i = this.length & MASK;
    if (i === 0) this.chunks.push(new Int32Array(CHUNK));
    this.chunks[this.chunks.length - 1][i] = value;
    this.length++;
  }

  get(i: number): number {
    return this.chunks[i >>> CHUNK_BITS][i & MASK];
  }

  set(i: number, value: number): void {
    this.chunks[i >>> CHUNK_BITS][i & MASK] = value;
  }

  last(): number {
    return this.get(this.length - 1);
  }
}

/** Agent ids, interned: an op keeps a small integer; 0 means no agent (a single-writer op). */
export class AgentTable {
  readonly names: (string | null)[] = [null];
  private index = new Map<string, number>();
  /** opslog's order of agents (String.localeCompare), as integers; equal-comparing names share a rank */
  ranks: Int32Array = new Int32Array([0]);

  intern(name: string | null | undefined): number {
    if (name === null || name === undefined) return 0;
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.index.set(name, i);
      this.rerank();
    }
    return i;
  }

  private rerank(): void {
    // opslog compares (a.agent ?? "").localeCompare(b.agent ?? ""): no agent sorts as "".
    const order = this.names.map((_, i) => i).sort((a, b) => (this.names[a] ?? "").localeCompare(this.names[b] ?? ""));
    const ranks = new Int32Array(this.names.length);
    order.forEach((agent, i) => {
      const same = i > 0 && (this.names[order[i - 1]] ?? "").localeCompare(this.names[agent] ?? "") === 0;
      ranks[agent] = same ? ranks[order[i - 1]] : i;
    });
    this.ranks = ranks;
  }
}


// Field layout of an entry: three doubles and eight 32-bit integers.
const F_OFFSET = 0, F_CLOCK = 1, F_TS = 2, F_STRIDE = 3;
const I_FILE = 0, I_LINE = 1, I_LENGTH = 2, I_AGENT = 3, I_FLAGS = 4, I_REC = 5, I_POS = 6, I_EPOCH = 7, I_STRIDE = 8;
const FLAG_DELETE = 1, FLAG_DELTA = 2;

/** What the index needs of a parsed op to add it. */
export type OpFields = Pick<ScannedOp, "fileIdx" | "line" | "offset" | "length" | "ts" | "tsMs" | "clock" | "op" | "encoding">;

/** Every op read from the WALs, by entry number (the order they were read in). */
export class OpTable {
  private f: Float64Array[] = [];
  private i: Int32Array[] = [];
  /** Timestamps not in canonical form, kept as written */
  private oddTs = new Map<number, string>();
  length = 0;

  add(op: OpFields, agent: number, rec: number): number {
    const e = this.length++;
    const c = e & MASK;
    if (c === 0) {
      this.f.push(new Float64Array(CHUNK * F_STRIDE));
      this.i.push(new Int32Array(CHUNK * I_STRIDE));
    }
    const f = this.f[this.f.length - 1];
    const i = this.i[this.i.length - 1];
    let ms = op.tsMs;
    if (Number.isNaN(ms)) {
      this.oddTs.set(e, op.ts);
      ms = Date.parse(op.ts);
    }
    f[c * F_STRIDE + F_OFFSET] = op.offset;
    f[c * F_STRIDE + F_CLOCK] = op.clock ?? NaN;
    f[c * F_STRIDE + F_TS] = ms;
    const b = c * I_STRIDE;
    i[b + I_FILE] = op.fileIdx;
    i[b + I_LINE] = op.line;
    i[b + I_LENGTH] = op.length;
    i[b + I_AGENT] = agent;
    i[b + I_FLAGS] = (op.op === "delete" ? FLAG_DELETE : 0) | (op.encoding === "delta" ? FLAG_DELTA : 0);
    i[b + I_REC] = rec;
    i[b + I_POS] = -1;
    i[b + I_EPOCH] = -1;
    return e;
  }

  private int(e: number, field: number): number {
    return this.i[e >>> CHUNK_BITS][(e & MASK) * I_STRIDE + field];
  }

  private num(e: number, field: number): number {
    return this.f[e >>> CHUNK_BITS][(e & MASK) * F_STRIDE + field];
  }

  fileIdx(e: number): number {
    return this.int(e, I_FILE);
  }
  line(e: number): number {
    return this.int(e, I_LINE);
  }
  length_(e: number): number {
    return this.int(e, I_LENGTH);
  }
  offset(e: number): number {
    return this.num(e, F_OFFSET);
  }
  agent(e: number): number {
    return this.int(e, I_AGENT);
  }
  rec(e: number): number {
    return this.int(e, I_REC);
  }
  isDelete(e: number): boolean {
    return (this.int(e, I_FLAGS) & FLAG_DELETE) !== 0;
  }
  encoding(e: number): "full" | "delta" {
    return (this.int(e, I_FLAGS) & FLAG_DELTA) !== 0 ? "delta" : "full";
  }
  op(e: number): "set" | "delete" {
    return this.isDelete(e) ? "delete" : "set";
  }
  /** Timeline position, or -1 when the op is not part of the history */
  pos(e: number): number {
    return this.int(e, I_POS);
  }
  epoch(e: number): number {
    return this.int(e, I_EPOCH);
  }
  clock(e: number): number | null {
    const clock = this.num(e, F_CLOCK);
    return Number.isNaN(clock) ? null : clock;
  }
  /** ms since the epoch (NaN if the timestamp does not parse) */
  tsMs(e: number): number {
    return this.num(e, F_TS);
  }
  ts(e: number): string {
    return this.oddTs.get(e) ?? new Date(this.num(e, F_TS)).toISOString();
  }

  place(e: number, pos: number, epoch: number): void {
    const b = (e & MASK) * I_STRIDE;
    const i = this.i[e >>> CHUNK_BITS];
    i[b + I_POS] = pos;
    i[b + I_EPOCH] = epoch;
  }
}
