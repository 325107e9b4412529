/**
 * Position-aware WAL reading for the inspector: every op with its file,
 * 1-based line and byte offset; every skipped line with why. Reading from an
 * offset leaves a partial last line for later (another process may be
 * mid-append), so tailing never reports a half-written line as malformed.
 */
import { open } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { fullPrev } from "../delta.js";
import { validateOp } from "../validate.js";
import type { Doc } from "./types.js";

/** One op as it stands in its WAL, and its place in the timeline once replayed. */
export interface ScannedOp {
  fileIdx: number;
  line: number;
  offset: number;
  ts: string;
  agent: string | null;
  clock: number | null;
  op: "set" | "delete";
  id: string;
  data: Doc | null;
  /** prev as written (a reverse patch when encoding is "delta"); dropped once the op is replayed */
  rawPrev: Doc | null;
  encoding: "full" | "delta";
  /** Timeline position; null when the op is not part of the history (lost) */
  pos: number | null;
  epoch: number | null;
  lost: boolean;
}

/** The full previous record, whatever the encoding; null for a create (or once dropped). */
export function prevOf(op: ScannedOp): Doc | null {
  return op.rawPrev === null ? null : (fullPrev({ ts: op.ts, op: op.op, id: op.id, data: op.data ?? undefined, prev: op.rawPrev, encoding: op.encoding }) as Doc);
}

export interface SkippedWalLine {
  line: number;
  reason: string;
  torn: boolean;
}

export interface WalRead {
  ops: ScannedOp[];
  skipped: SkippedWalLine[];
  /** Byte offset after the last complete line read */
  end: number;
  /** Number of the next line to read */
  nextLine: number;
}

const NEWLINE = 0x0a;

/** One string per agent id, not one per op (JSON.parse makes a new string per line). */
class AgentNames {
  private last: string | null = null;
  private known = new Map<string, string>();
  intern(agent: string): string {
    if (agent === this.last) return this.last;
    let known = this.known.get(agent);
    if (known === undefined) this.known.set(agent, (known = agent));
    return (this.last = known);
  }
}const CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * Read the complete lines of a WAL after `offset`. With `final`, an
 * unterminated last line is parsed too, and reported as torn if it fails.
 */
export async function readWalLines(dir: string, path: string, fileIdx: number, offset = 0, firstLine = 1, final = true, chunkBytes = CHUNK_BYTES): Promise<WalRead> {
  let fh;
  try {
    fh = await open(join(dir, path), "r");
  } catch {
    return { ops: [], skipped: [], end: offset, nextLine: firstLine };
  }
  try {
    const { size } = await fh.stat();
    if (size <= offset) return { ops: [], skipped: [], end: Math.min(offset, size), nextLine: firstLine };
    return await readChunks(fh, size, { fileIdx, offset, firstLine, final, chunkBytes });
  } finally {
    await fh.close();
  }
}

/** In chunks, so a large WAL never sits in memory whole; a partial line waits for the next chunk. */
async function readChunks(fh: FileHandle, size: number, at: { fileIdx: number; offset: number; firstLine: number; final: boolean; chunkBytes: number }): Promise<WalRead> {
  const { fileIdx, offset, firstLine, final, chunkBytes } = at;
  const result: WalRead = { ops: [], skipped: [], end: offset, nextLine: firstLine };
  const strings = new AgentNames();
  let carry = Buffer.alloc(0);
  let position = offset;
  while (position < size) {
    // The partial line carried over goes first, then the next chunk is read in behind it.
    const chunk = Buffer.allocUnsafe(carry.length + Math.min(chunkBytes, size - position));
    carry.copy(chunk, 0);
    const { bytesRead } = await fh.read(chunk, carry.length, chunk.length - carry.length, position);
    if (bytesRead === 0) break; // the file shrank under us: read what we have
    position += bytesRead;
    const buffer = chunk.subarray(0, carry.length + bytesRead);
    const part = parseLines(buffer, { fileIdx, base: result.end, firstLine: result.nextLine, final: final && position >= size, strings });
    for (const op of part.ops) result.ops.push(op);
    for (const skip of part.skipped) result.skipped.push(skip);
    carry = buffer.subarray(part.end - result.end);
    result.end = part.end;
    result.nextLine = part.nextLine;
  }
  return result;
}

function parseLines(buffer: Buffer, at: { fileIdx: number; base: number; firstLine: number; final: boolean; strings: AgentNames }): WalRead {
  const { fileIdx, base, firstLine, final, strings } = at;
  const text = buffer.toString("utf-8");
  // All ASCII (the usual case): character offsets are byte offsets, so one decode serves every line.
  const ascii = text.length === buffer.length;
  const ops: ScannedOp[] = [];
  const skipped: SkippedWalLine[] = [];
  let start = 0;
  let line = firstLine;
  const length = ascii ? text.length : buffer.length;
  while (start < length) {
    let end = ascii ? text.indexOf("\n", start) : buffer.indexOf(NEWLINE, start);
    const unterminated = end === -1;
    if (unterminated) {
      if (!final) break;
      end = length;
    }
    const lineText = ascii ? text.slice(start, end) : buffer.toString("utf-8", start, end);
    if (lineText.trim() !== "") {
      const parsed = parseOne(lineText, fileIdx, line, base + start, strings);
      if ("reason" in parsed) skipped.push({ line, reason: unterminated ? `torn last line (a crash mid-append?): ${parsed.reason}` : parsed.reason, torn: unterminated });
      else ops.push(parsed);
    }
    line++;
    start = end + 1;
  }
  return { ops, skipped, end: base + Math.min(start, length), nextLine: line };
}

function parseOne(text: string, fileIdx: number, line: number, offset: number, strings: AgentNames): ScannedOp | { reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { reason: `not JSON (${(err as Error).message})` };
  }
  try {
    const op = validateOp(raw);
    const data = op.op === "set" ? (op.data as Doc) : null;
    return {
      fileIdx,
      line,
      offset,
      ts: op.ts,
      agent: op.agent === undefined ? null : strings.intern(op.agent),
      clock: op.clock ?? null,
      op: op.op === "set" ? "set" : "delete",
      id: op.id,
      data,
      rawPrev: (op.prev as Doc | null) ?? null,
      encoding: op.encoding === "delta" ? "delta" : "full",
      pos: null,
      epoch: null,
      lost: false,
    };
  } catch (err) {
    return { reason: (err as Error).message.replace(/^Invalid operation: /, "") };
  }
}
