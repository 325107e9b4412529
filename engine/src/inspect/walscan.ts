/**
 * Position-aware WAL reading for the inspector: every op with its file,
 * 1-based line, byte offset and length; every skipped line with why. A
 * LaneReader reads one WAL a chunk at a time, so a large WAL never sits in
 * memory whole, parsed or not. Reading from an offset leaves a partial last
 * line for later (another process may be mid-append), so tailing never
 * reports a half-written line as malformed.
 */
import { isAscii } from "node:buffer";
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { fullPrev } from "../delta.js";
import { validateOp } from "../validate.js";
import { canonicalMs } from "./time.js";
import type { Doc } from "./types.js";
import { explainMergedLine } from "./undo-fault.js";

/** One op as it stands in its WAL: parsed, and held only while it is indexed and replayed. */
export interface ScannedOp {
  fileIdx: number;
  line: number;
  offset: number;
  /** Bytes of the line, without its newline */
  length: number;
  /** ts as written ("" for an op from the parallel scan whose ts is canonical: see tsMs) */
  ts: string;
  /** ts in ms if it is in canonical form (toISOString's), else NaN */
  tsMs: number;
  agent: string | null;
  clock: number | null;
  op: "set" | "delete";
  id: string;
  data: Doc | null;
  /** prev as written: a reverse patch when encoding is "delta" */
  rawPrev: Doc | null;
  hasPrev: boolean;
  /**
   * Whether data and rawPrev are here. The parallel scan leaves them on disk
   * and sends their hashes instead: the data's, and the full prev's.
   */
  loaded: boolean;
  dataHash0: number;
  dataHash1: number;
  prevHash0: number;
  prevHash1: number;
  encoding: "full" | "delta";
  /** Entry number in the op index, once added */
  entry: number;
  /** The agent's number in the index's agent table, once added (0: no agent) */
  agentIdx: number;
  /** Recovered from a line torn by opslog's undo (undo-fault.ts): opslog skips its line, so it is never replayed */
  tornByUndo?: boolean;
  /** A long line's fingerprint (lineHash): the live tail checks the last op still stands by it, not by parsing the line again */
  lineHash?: string;
}

/** Lines this long get a fingerprint as they are read: hashing is about 20 x cheaper than decoding and parsing them again. */
export const LINE_HASH_MIN_BYTES = 1024 * 1024;

/** The fingerprint of a line's bytes (without its newline). */
export function lineHash(bytes: Uint8Array): string {
  return createHash("sha1").update(bytes).digest("hex");
}

/** The full previous record as the op's writer saw it, whatever the encoding; null for a create. */
export function prevOf(op: ScannedOp): Doc | null {
  return op.rawPrev === null ? null : (fullPrev({ ts: op.ts, op: op.op, id: op.id, data: op.data ?? undefined, prev: op.rawPrev, encoding: op.encoding }) as Doc);
}

export interface SkippedWalLine {
  line: number;
  reason: string;
  torn: boolean;
}

/** Why a file could not be read: the system's error code (EACCES, EPERM, EIO...) and message. */
export interface UnreadableFile {
  code: string;
  message: string;
}

/** The error a read failed with, as UnreadableFile. */
export function unreadableFrom(err: unknown): UnreadableFile {
  return { code: (err as NodeJS.ErrnoException).code ?? "EIO", message: (err as Error).message };
}

export interface WalRead {
  ops: ScannedOp[];
  skipped: SkippedWalLine[];
  /** Byte offset after the last complete line read */
  end: number;
  /** Number of the next line to read */
  nextLine: number;
  /** Set when the file could not be read (from `end` on): not a torn line */
  unreadable: UnreadableFile | null;
}

const NEWLINE = 0x0a;
const CHUNK_BYTES = 64 * 1024;
/** The largest read inside one long line */
const LONG_LINE_READ_BYTES = 8 * 1024 * 1024;

/**
 * Reads one WAL from `offset` on, a chunk of lines per next() call. With
 * `final`, an unterminated last line is parsed too, and reported as torn if
 * it fails; otherwise it is left for a later read. With `stopAt`, it reads
 * only the lines that start before it (a segment: the next one reads on).
 */
export class LaneReader {
  readonly skipped: SkippedWalLine[] = [];
  /** Byte offset after the last complete line read */
  end: number;
  nextLine: number;
  /** Why the file (from `end` on) could not be read; null if it could, or is simply gone */
  unreadable: UnreadableFile | null = null;
  /** Its ops come parsed, data and all: no worker's batch (see LaneSource) */
  readonly batch = null;
  private fh: FileHandle | null = null;
  private size = 0;
  private position: number;
  /** The partial last line so far, as read (joined once its newline arrives: a long line is never rescanned) */
  private carry: Buffer[] = [];
  private carryBytes = 0;
  /** Bytes per read: chunkBytes, growing while inside a long line */
  private readBytes: number;
  private done = false;
  private ahead: Promise<Buffer> | null = null;

  constructor(
    private readonly dir: string,
    readonly path: string,
    private readonly fileIdx: number,
    offset = 0,
    firstLine = 1,
    private readonly final = true,
    private readonly chunkBytes = CHUNK_BYTES,
    private readonly stopAt = Infinity,
  ) {
    this.end = offset;
    this.position = offset;
    this.readBytes = chunkBytes;
    this.nextLine = firstLine;
  }

  /** The next chunk's ops (possibly none), or null once the file is read to its end. */
  async next(): Promise<ScannedOp[] | null> {
    if (this.done) return null;
    if (!this.fh) {
      try {
        this.fh = await open(join(this.dir, this.path), "r");
        this.size = (await this.fh.stat()).size;
      } catch (err) {
        // Gone (a compaction elsewhere) reads as empty; anything else (EACCES, EPERM...) is said as it is.
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") this.unreadable = unreadableFrom(err);
        return this.finish();
      }
      if (this.size <= this.position) {
        this.end = Math.min(this.end, this.size);
        return this.finish();
      }
    }
    if (this.position >= this.size || this.end >= this.stopAt) return this.finish();
    // The next chunk was read ahead while the last one was parsed; start reading the one after.
    let raw: Buffer;
    try {
      raw = await (this.ahead ?? this.readAt(this.position));
    } catch (err) {
      this.ahead = null;
      this.unreadable = unreadableFrom(err); // e.g. EIO: the ops read so far stand
      return this.finish();
    }
    this.ahead = null;
    if (raw.length === 0) return this.finish(); // the file shrank under us: keep what we have
    this.position += raw.length;
    if (this.position < this.size && this.position < this.stopAt) {
      this.ahead = this.readAt(this.position);
      this.ahead.catch(() => null); // a failed read-ahead is reported when awaited, not as an unhandled rejection
    }
    const final = this.final && this.position >= this.size;
    // Still inside one long line: keep the chunk and scan nothing yet, so each byte is scanned once.
    if (this.carryBytes > 0 && !final && raw.indexOf(NEWLINE) === -1) {
      this.carry.push(raw);
      this.carryBytes += raw.length;
      this.readBytes = Math.min(this.readBytes * 2, LONG_LINE_READ_BYTES); // fewer, larger reads through a long line
      return [];
    }
    this.readBytes = this.chunkBytes;
    // The partial line carried over goes first.
    const buffer = this.carryBytes === 0 ? raw : Buffer.concat([...this.carry, raw], this.carryBytes + raw.length);
    const ops: ScannedOp[] = [];
    const part = parseLines(buffer, { fileIdx: this.fileIdx, base: this.end, firstLine: this.nextLine, final, eof: this.position >= this.size, stopAt: this.stopAt }, ops, this.skipped);
    const rest = buffer.subarray(part.end - this.end);
    // A copy, so that the chunk (64 KB) is not kept alive by a short leftover.
    this.carry = rest.length === 0 ? [] : [Buffer.from(rest)];
    this.carryBytes = rest.length;
    this.end = part.end;
    this.nextLine = part.nextLine;
    return ops;
  }

  private async readAt(position: number): Promise<Buffer> {
    const chunk = Buffer.allocUnsafe(Math.min(this.readBytes, this.size - position));
    const { bytesRead } = await this.fh!.read(chunk, 0, chunk.length, position);
    return chunk.subarray(0, bytesRead);
  }

  private async finish(): Promise<null> {
    this.done = true;
    this.carry = [];
    this.carryBytes = 0;
    await this.ahead?.catch(() => null); // never close the file under a read
    this.ahead = null;
    await this.fh?.close();
    this.fh = null;
    return null;
  }

  /** Stop early (the file stays as it is). */
  async close(): Promise<void> {
    await this.finish();
  }
}

/** Every complete line of a WAL after `offset`, at once (for tailing and tests). */
export async function readWalLines(dir: string, path: string, fileIdx: number, offset = 0, firstLine = 1, final = true, chunkBytes = CHUNK_BYTES): Promise<WalRead> {
  const reader = new LaneReader(dir, path, fileIdx, offset, firstLine, final, chunkBytes);
  const ops: ScannedOp[] = [];
  for (let chunk = await reader.next(); chunk; chunk = await reader.next()) for (const op of chunk) ops.push(op);
  return { ops, skipped: reader.skipped, end: reader.end, nextLine: reader.nextLine, unreadable: reader.unreadable };
}

function parseLines(buffer: Buffer, at: { fileIdx: number; base: number; firstLine: number; final: boolean; eof?: boolean; stopAt?: number }, ops: ScannedOp[], skipped: SkippedWalLine[]): { end: number; nextLine: number } {
  const { fileIdx, base, firstLine, final, eof = final, stopAt = Infinity } = at;
  // All ASCII (the usual case): character offsets are byte offsets, so one decode serves every
  // line, and latin1 decodes ASCII exactly, several times faster than utf-8.
  const ascii = isAscii(buffer);
  const text = ascii ? buffer.toString("latin1") : "";
  let start = 0;
  let line = firstLine;
  const length = ascii ? text.length : buffer.length;
  while (start < length && base + start < stopAt) {
    let end = ascii ? text.indexOf("\n", start) : buffer.indexOf(NEWLINE, start);
    const unterminated = end === -1;
    if (unterminated) end = length;
    const lineText = ascii ? text.slice(start, end) : buffer.toString("utf-8", start, end);
    // An unterminated last line that is a whole op is read, as opslog's readOps reads it (undo can cut just a newline), and so is one that undo
    // tore with a whole op appended (undo cut the appended op's newline too: nothing more is coming); any other waits for its newline.
    if (unterminated && !final && !(eof && (typeof parseOp(lineText) !== "string" || explainMergedLine(lineText, parseOp) !== null))) break;
    if (lineText.charCodeAt(0) === 0x7b /* { */ || lineText.trim() !== "") {
      const parsed = parseOp(lineText);
      const merged = typeof parsed === "string" ? explainMergedLine(lineText, parseOp) : null;
      if (merged) {
        skipped.push({ line, reason: merged.reason, torn: false });
        // The appended op is whole after the fragment: index it where it starts, as a lost write (opslog skips the line).
        // Counted from the end: the fragment may end part-way through a character (decoded as U+FFFD).
        const skip = ascii ? merged.at : end - start - Buffer.byteLength(lineText.slice(merged.at));
        ops.push(Object.assign(merged.appended, { fileIdx, line, offset: base + start + skip, length: end - start - skip, tornByUndo: true }));
      } else if (typeof parsed === "string") skipped.push({ line, reason: unterminated ? `torn last line (a crash mid-append?): ${parsed}` : parsed, torn: unterminated });
      else {
        parsed.fileIdx = fileIdx;
        parsed.line = line;
        parsed.offset = base + start;
        parsed.length = end - start;
        // In the ASCII case character offsets are byte offsets; otherwise start and end are byte offsets already.
        if (parsed.length >= LINE_HASH_MIN_BYTES) parsed.lineHash = lineHash(buffer.subarray(start, end));
        ops.push(parsed);
      }
    }
    line++;
    start = end + 1;
  }
  return { end: base + Math.min(start, length), nextLine: line };
}

/** One WAL line as an op, or why it is not one. */
export function parseOp(text: string): ScannedOp | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return `not JSON (${(err as Error).message})`;
  }
  try {
    const op = validateOp(raw);
    return {
      fileIdx: 0,
      line: 0,
      offset: 0,
      length: 0,
      ts: op.ts,
      tsMs: canonicalMs(op.ts),
      agent: op.agent ?? null,
      clock: op.clock ?? null,
      op: op.op === "set" ? "set" : "delete",
      id: op.id,
      data: op.op === "set" ? (op.data as Doc) : null,
      rawPrev: (op.prev as Doc | null) ?? null,
      hasPrev: op.prev !== null && op.prev !== undefined,
      loaded: true,
      dataHash0: 0,
      dataHash1: 0,
      prevHash0: 0,
      prevHash1: 0,
      encoding: op.encoding === "delta" ? "delta" : "full",
      entry: -1,
      agentIdx: 0,
    };
  } catch (err) {
    return (err as Error).message.replace(/^Invalid operation: /, "");
  }
}
