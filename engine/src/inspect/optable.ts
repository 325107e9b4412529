/**
 * The inspector's compact op index. Every op in every WAL is one entry of a
 * few numbers in typed arrays (where it is on disk, when, who, which record,
 * where it sits in the timeline); its data stays on disk and is read back by
 * offset when shown (see OpReader). A million ops cost 36 MB here (nine 32-bit words each),
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
    let chunk = this.chunks[this.chunks.length - 1];
    if (i >= chunk.length) chunk = this.chunks[this.chunks.length - 1] = grown(chunk, CHUNK); // trimmed, then pushed to
    chunk[i] = value;
    this.length++;
  }

  /** Give back the room left at the end of the last chunk (a later push grows it again). */
  trim(): void {
    const n = this.chunks.length;
    if (n > 0) this.chunks[n - 1] = this.chunks[n - 1].slice(0, ((this.length - 1) & MASK) + 1);
  }

  /** Bytes of the typed arrays (for the memory benchmark). */
  get bytes(): number {
    return this.chunks.reduce((sum, c) => sum + c.byteLength, 0);
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


// An entry is nine 32-bit words. The offset and the time need more than 32
// bits: their low 32 bits have a word each, their high bits share a word with
// a small field. The epoch is not stored: positions run through the epochs in
// order, so it is looked up from the position.
const W_OFFSET_LO = 0, W_META = 1, W_LINE = 2, W_LENGTH = 3, W_AGENT_TS_HI = 4, W_REC = 5, W_POS = 6, W_CLOCK = 7, W_TS_LO = 8, STRIDE = 9;
const FLAG_DELETE = 1, FLAG_DELTA = 2;
/** W_META: 2 bits of flags, 8 bits of the offset's high part, 22 bits of file index */
const META_OFFSET_SHIFT = 2, META_FILE_SHIFT = 10;
const MAX_OFFSET_HI = 0xff, MAX_FILES = 1 << 22;
/** W_AGENT_TS_HI: 20 bits of agent, 12 bits of the time's high part (biased: years 1692 to 2248) */
const AGENT_BITS = 20, AGENT_MASK = (1 << AGENT_BITS) - 1, TS_HI_BIAS = 2048, TS_HI_MAX = 4095;
/** W_CLOCK for no clock, and for a clock too big for the word (kept in `bigClocks`) */
const NO_CLOCK = -1, BIG_CLOCK = -2;
/** The time's high part that sends tsMs to `odd` (a NaN, or a time outside the range above) */
const TS_ELSEWHERE = TS_HI_MAX;
const TWO_32 = 2 ** 32;

/** What the index needs of a parsed op to add it. */
export type OpFields = Pick<ScannedOp, "fileIdx" | "line" | "offset" | "length" | "ts" | "tsMs" | "clock" | "op" | "encoding">;

/** A limit of the packed index reached: the store is bigger than it can describe. */
function tooBig(what: string): Error {
  return new Error(`This store has ${what}: more than the inspector's index can hold.`);
}

/** Every op read from the WALs, by entry number (the order they were read in), in nine 32-bit words each. */
export class OpTable {
  private chunks: Int32Array[] = [];
  /** Timestamps not in canonical form, kept as written */
  private oddTs = new Map<number, string>();
  /** ms of the ops whose time does not pack (NaN, or outside the packed range) */
  private oddMs = new Map<number, number>();
  private bigClocks = new Map<number, number>();
  /** Each epoch's first position, in order: epoch(e) is the last one at or before e's position */
  private epochStarts: { pos: number; epoch: number }[] = [];
  length = 0;

  add(op: OpFields, agent: number, rec: number): number {
    const e = this.length++;
    const c = e & MASK;
    if (c === 0) this.chunks.push(new Int32Array(CHUNK * STRIDE));
    let w = this.chunks[this.chunks.length - 1];
    if (w.length < CHUNK * STRIDE) w = this.chunks[this.chunks.length - 1] = grown(w, CHUNK * STRIDE); // trimmed, then tailed
    let ms = op.tsMs;
    if (Number.isNaN(ms)) {
      this.oddTs.set(e, op.ts);
      ms = Date.parse(op.ts);
    }
    if (op.fileIdx >= MAX_FILES) throw tooBig(`more than ${MAX_FILES} WAL files`);
    const offsetHi = Math.floor(op.offset / TWO_32);
    if (offsetHi > MAX_OFFSET_HI) throw tooBig(`a WAL larger than ${MAX_OFFSET_HI + 1} x 4 GiB`);
    if (agent > AGENT_MASK) throw tooBig(`more than ${AGENT_MASK} agents`);
    let tsHi = Math.floor(ms / TWO_32) + TS_HI_BIAS;
    if (!(tsHi >= 0 && tsHi < TS_ELSEWHERE)) {
      this.oddMs.set(e, ms);
      tsHi = TS_ELSEWHERE;
    }
    const clock = op.clock;
    const b = c * STRIDE;
    w[b + W_OFFSET_LO] = op.offset % TWO_32;
    w[b + W_META] = (op.op === "delete" ? FLAG_DELETE : 0) | (op.encoding === "delta" ? FLAG_DELTA : 0) | (offsetHi << META_OFFSET_SHIFT) | (op.fileIdx << META_FILE_SHIFT);
    w[b + W_LINE] = op.line;
    w[b + W_LENGTH] = op.length;
    w[b + W_AGENT_TS_HI] = agent | (tsHi << AGENT_BITS);
    w[b + W_REC] = rec;
    w[b + W_POS] = -1;
    if (clock === null || clock === undefined) w[b + W_CLOCK] = NO_CLOCK;
    else if (Number.isInteger(clock) && clock >= 0 && clock <= 0x7fffffff) w[b + W_CLOCK] = clock;
    else {
      w[b + W_CLOCK] = BIG_CLOCK;
      this.bigClocks.set(e, clock);
    }
    w[b + W_TS_LO] = ms % TWO_32;
    return e;
  }

  private word(e: number, field: number): number {
    return this.chunks[e >>> CHUNK_BITS][(e & MASK) * STRIDE + field];
  }

  fileIdx(e: number): number {
    return this.word(e, W_META) >>> META_FILE_SHIFT;
  }
  line(e: number): number {
    return this.word(e, W_LINE);
  }
  length_(e: number): number {
    return this.word(e, W_LENGTH);
  }
  offset(e: number): number {
    return ((this.word(e, W_META) >>> META_OFFSET_SHIFT) & MAX_OFFSET_HI) * TWO_32 + (this.word(e, W_OFFSET_LO) >>> 0);
  }
  agent(e: number): number {
    return this.word(e, W_AGENT_TS_HI) & AGENT_MASK;
  }
  rec(e: number): number {
    return this.word(e, W_REC);
  }
  isDelete(e: number): boolean {
    return (this.word(e, W_META) & FLAG_DELETE) !== 0;
  }
  encoding(e: number): "full" | "delta" {
    return (this.word(e, W_META) & FLAG_DELTA) !== 0 ? "delta" : "full";
  }
  op(e: number): "set" | "delete" {
    return this.isDelete(e) ? "delete" : "set";
  }
  /** Timeline position, or -1 when the op is not part of the history */
  pos(e: number): number {
    return this.word(e, W_POS);
  }
  /** The chain link (epoch) the op was replayed in, or -1 when it is not part of the history */
  epoch(e: number): number {
    const pos = this.pos(e);
    if (pos < 0) return -1;
    const starts = this.epochStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid].pos <= pos) lo = mid;
      else hi = mid - 1;
    }
    return starts[lo].epoch;
  }
  clock(e: number): number | null {
    const clock = this.word(e, W_CLOCK);
    return clock === NO_CLOCK ? null : clock === BIG_CLOCK ? this.bigClocks.get(e)! : clock;
  }
  /** ms since the epoch (NaN if the timestamp does not parse) */
  tsMs(e: number): number {
    const hi = this.word(e, W_AGENT_TS_HI) >>> AGENT_BITS;
    return hi === TS_ELSEWHERE ? this.oddMs.get(e)! : (hi - TS_HI_BIAS) * TWO_32 + (this.word(e, W_TS_LO) >>> 0);
  }
  ts(e: number): string {
    return this.oddTs.get(e) ?? new Date(this.tsMs(e)).toISOString();
  }

  /** Give op e timeline position `pos` in link `epoch` (positions are placed in order, epochs never go back). */
  place(e: number, pos: number, epoch: number): void {
    this.chunks[e >>> CHUNK_BITS][(e & MASK) * STRIDE + W_POS] = pos;
    const last = this.epochStarts[this.epochStarts.length - 1];
    if (!last || last.epoch !== epoch) this.epochStarts.push({ pos, epoch });
  }

  /** Give back the room left at the end of the last chunk (the build is over; a later add grows it again). */
  trim(): void {
    const n = this.chunks.length;
    if (n > 0) this.chunks[n - 1] = this.chunks[n - 1].slice(0, (((this.length - 1) & MASK) + 1) * STRIDE);
  }

  /** Bytes of the typed arrays (for the memory benchmark). */
  get bytes(): number {
    return this.chunks.reduce((sum, c) => sum + c.byteLength, 0);
  }
}

/** `array` copied into a new one of `length` (the rest zeros). */
function grown(array: Int32Array, length: number): Int32Array {
  const out = new Int32Array(length);
  out.set(array);
  return out;
}
