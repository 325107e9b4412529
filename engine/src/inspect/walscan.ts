/**
 * Position-aware WAL reading for the inspector: every op with its file,
 * 1-based line and byte offset; every skipped line with why. Reading from an
 * offset leaves a partial last line for later (another process may be
 * mid-append), so tailing never reports a half-written line as malformed.
 */
import { open } from "node:fs/promises";
import { join } from "node:path";
import { fullPrev } from "../delta.js";
import { validateOp } from "../validate.js";
import type { Doc } from "./types.js";

/** One op as it stands in its WAL; prev is resolved to the full record. */
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
  prev: Doc | null;
  encoding: "full" | "delta";
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

/**
 * Read the complete lines of a WAL after `offset`. With `final`, an
 * unterminated last line is parsed too, and reported as torn if it fails.
 */
export async function readWalLines(dir: string, path: string, fileIdx: number, offset = 0, firstLine = 1, final = true): Promise<WalRead> {
  let fh;
  try {
    fh = await open(join(dir, path), "r");
  } catch {
    return { ops: [], skipped: [], end: offset, nextLine: firstLine };
  }
  try {
    const { size } = await fh.stat();
    if (size <= offset) return { ops: [], skipped: [], end: Math.min(offset, size), nextLine: firstLine };
    const buffer = Buffer.alloc(size - offset);
    await fh.read(buffer, 0, buffer.length, offset);
    return parseLines(buffer, fileIdx, offset, firstLine, final);
  } finally {
    await fh.close();
  }
}

function parseLines(buffer: Buffer, fileIdx: number, base: number, firstLine: number, final: boolean): WalRead {
  const ops: ScannedOp[] = [];
  const skipped: SkippedWalLine[] = [];
  let start = 0;
  let line = firstLine;
  while (start < buffer.length) {
    let end = buffer.indexOf(NEWLINE, start);
    const unterminated = end === -1;
    if (unterminated) {
      if (!final) break;
      end = buffer.length;
    }
    const text = buffer.toString("utf-8", start, end);
    if (text.trim() !== "") {
      const parsed = parseOne(text, fileIdx, line, base + start);
      if ("reason" in parsed) skipped.push({ line, reason: unterminated ? `torn last line (a crash mid-append?): ${parsed.reason}` : parsed.reason, torn: unterminated });
      else ops.push(parsed);
    }
    line++;
    start = end + 1;
  }
  return { ops, skipped, end: base + Math.min(start, buffer.length), nextLine: line };
}

function parseOne(text: string, fileIdx: number, line: number, offset: number): ScannedOp | { reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { reason: `not JSON (${(err as Error).message})` };
  }
  try {
    const op = validateOp(raw);
    return {
      fileIdx,
      line,
      offset,
      ts: op.ts,
      agent: op.agent ?? null,
      clock: op.clock ?? null,
      op: op.op,
      id: op.id,
      data: op.op === "set" ? (op.data as Doc) : null,
      prev: fullPrev(op),
      encoding: op.encoding === "delta" ? "delta" : "full",
    };
  } catch (err) {
    return { reason: (err as Error).message.replace(/^Invalid operation: /, "") };
  }
}
