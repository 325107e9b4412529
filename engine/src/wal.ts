/**
 * The write-ahead log: one JSON op per line, append-only.
 * - Appends are a single write of whole lines, so a crash leaves at most one
 *   torn last line; readers skip it (and report it) instead of failing.
 * - A failed append (a full disk) cuts the file back to the size it had, so
 *   the error's "nothing was written" is true; if even that fails, the error
 *   says which bytes are left. An append after a torn last line starts on a
 *   line of its own, so it is never merged into the torn one and lost.
 * - Malformed lines are skipped and reported to the caller (file, line, why),
 *   not only printed: opslog 0.3.0 printed a count and lost the detail.
 * - truncateLastOp is O(1) in the file's size: it reads backwards from the end.
 */
import { open, readFile } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { OpslogError } from "./errors.js";
import { validateOp } from "./validate.js";
import type { Operation } from "./types.js";

export interface SkippedLine {
  file: string;
  /** 1-based line number */
  line: number;
  reason: string;
}

export type SkipReporter = (skipped: SkippedLine) => void;

const NEWLINE = 0x0a;
/** Decode in slices well under V8's longest string (~512 MB). */
const SLICE_BYTES = 64 * 1024 * 1024;

export async function appendOp(path: string, op: Operation): Promise<void> {
  await appendLines(path, JSON.stringify(op) + "\n");
}

export async function appendOps(path: string, ops: Operation[]): Promise<void> {
  if (ops.length === 0) return;
  // One write for the batch: all lines land or none do (cut back on failure; a crash leaves a torn tail that is skipped).
  await appendLines(path, ops.map((op) => JSON.stringify(op)).join("\n") + "\n");
}

/** Append whole lines to a WAL (created if missing); on failure the file is cut back to its size before, or the error says what is left. */
async function appendLines(path: string, text: string): Promise<void> {
  const fh = await open(path, "a+");
  try {
    const { size } = await fh.stat();
    // A torn last line (a crash mid-append) would swallow this op's line: start a line of its own instead.
    const lead = size > 0 && (await byteAt(fh, size - 1)) !== NEWLINE ? "\n" : "";
    const bytes = Buffer.from(lead + text, "utf-8");
    try {
      for (let done = 0; done < bytes.length; ) done += (await fh.write(bytes, done, bytes.length - done)).bytesWritten;
    } catch (err) {
      throw await cutBack(fh, path, size, err);
    }
  } finally {
    await fh.close();
  }
}

async function byteAt(fh: FileHandle, position: number): Promise<number> {
  const one = Buffer.alloc(1);
  await fh.read(one, 0, 1, position);
  return one[0];
}

/** After a failed append: truncate back to `size` (what the WAL held before), and say what the store is left with. */
async function cutBack(fh: FileHandle, path: string, size: number, err: unknown): Promise<OpslogError> {
  const code = (err as NodeJS.ErrnoException).code ?? "EIO";
  const full = code === "ENOSPC" || code === "EDQUOT";
  const what = full ? `The disk is full (${code}): the op could not be appended to ${path}` : `The op could not be appended to ${path} (${(err as Error).message})`;
  const then = full ? "Free some space on that disk, then try again." : "Try again once the cause is fixed.";
  try {
    await fh.truncate(size); // the partial line goes: the WAL ends where it did, on its last line as before
    return new OpslogError(full ? "disk-full" : "io", `${what}. The WAL was cut back to the ${size} bytes it held before, so the store was not changed: nothing of this write was kept. ${then}`, { file: path, cause: err });
  } catch (cutErr) {
    const now = (await fh.stat().catch(() => null))?.size;
    const left = now === undefined ? "an unknown number of bytes" : `${now - size} byte(s)`;
    return new OpslogError(full ? "disk-full" : "io", `${what}, and cutting the WAL back failed too (${(cutErr as Error).message}). It now holds ${left} of a partial line after byte ${size}: opslog skips that line when it reads the store, so no earlier op is lost, and the explorer's next write starts on a line of its own. To remove the partial line: truncate -s ${size} '${path}'. ${then}`, { file: path, cause: err });
  }
}

/** A WAL that exists but cannot be read (EACCES, EPERM, EIO): an error, never an empty WAL. */
export function unreadableWal(path: string, err: unknown): OpslogError {
  return new OpslogError("io", `${path} cannot be read (${(err as Error).message}): its ops would be missing from the store. Give this user read access (or run as the store's owner), then open it again.`, { file: path, cause: err });
}

/** Read every valid op of a WAL; a missing file reads as empty (opslog 0.3.0), an unreadable one throws. */
export async function readOps(path: string, report?: SkipReporter): Promise<Operation[]> {
  let buffer: Buffer;
  try {
    buffer = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw unreadableWal(path, err);
  }
  return parseWalBuffer(buffer, path, 1, true, report).ops;
}

export interface WalChunk {
  ops: Operation[];
  /** Byte offset just past the last complete line consumed */
  end: number;
  /** Lines consumed (complete lines, valid or not) */
  lines: number;
  /** Bytes after `end` not consumed: a partial last line (a crash mid-append, or a write in progress) */
  pending: number;
}

/**
 * Parse the complete lines of `buffer`, numbering from `firstLine`. With
 * `final`, a last line without a newline is parsed too (or reported torn);
 * without it, the partial line is left for a later read (tailing).
 */
export function parseWalBuffer(
  buffer: Buffer,
  file: string,
  firstLine: number,
  final: boolean,
  report?: SkipReporter,
): WalChunk {
  const ops: Operation[] = [];
  let lineNo = firstLine;
  let start = 0;
  while (start < buffer.length) {
    let end = buffer.lastIndexOf(NEWLINE, Math.min(buffer.length, start + SLICE_BYTES) - 1);
    if (end < start) end = buffer.indexOf(NEWLINE, start);
    if (end === -1) {
      if (!final) break;
      lineNo = parseLines(buffer.toString("utf-8", start), file, lineNo, ops, report, true);
      start = buffer.length;
      break;
    }
    lineNo = parseLines(buffer.toString("utf-8", start, end), file, lineNo, ops, report, false);
    start = end + 1;
  }
  const end = Math.min(start, buffer.length);
  return { ops, end, lines: lineNo - firstLine, pending: buffer.length - end };
}

/** Parse newline-separated lines; returns the next line number. */
function parseLines(
  text: string,
  file: string,
  firstLine: number,
  out: Operation[],
  report: SkipReporter | undefined,
  lastIsUnterminated: boolean,
): number {
  if (text.length === 0) return firstLine + (lastIsUnterminated ? 0 : 1);
  // Fast path: the whole slice as one JSON array (one parse call instead of one per line).
  let parsed = parseAsArray(text);
  // A line like `1,2` would shift every later line number: fall back to lines.
  if (parsed && parsed.length !== countLines(text)) parsed = null;
  const lines = parsed ? null : text.split("\n");
  const count = parsed ? parsed.length : lines!.length;
  for (let i = 0; i < count; i++) {
    const line = firstLine + i;
    let raw: unknown;
    if (parsed) raw = parsed[i];
    else {
      const lineText = lines![i];
      if (lineText.trim() === "") continue;
      try {
        raw = JSON.parse(lineText);
      } catch (err) {
        const torn = lastIsUnterminated && i === count - 1;
        report?.({ file, line, reason: torn ? "torn last line (a crash mid-append?)" : `not JSON: ${(err as Error).message}` });
        continue;
      }
    }
    try {
      out.push(validateOp(raw));
    } catch (err) {
      report?.({ file, line, reason: (err as Error).message });
    }
  }
  return firstLine + count;
}

function parseAsArray(text: string): unknown[] | null {
  try {
    return JSON.parse("[" + text.replaceAll("\n", ",") + "]") as unknown[];
  } catch {
    return null;
  }
}

function countLines(text: string): number {
  let count = 1;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

/** Remove the last line of a WAL (undo). Returns false if the file is missing or empty. */
export async function truncateLastOp(path: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, "r+");
  } catch {
    return false;
  }
  try {
    const { size } = await fh.stat();
    if (size === 0) return false;
    // Skip the last byte (the trailing newline), then look backwards for the previous one.
    let pos = size - 1;
    const chunk = Buffer.alloc(4096);
    while (pos > 0) {
      const from = Math.max(0, pos - chunk.length);
      const length = pos - from;
      await fh.read(chunk, 0, length, from);
      const nl = chunk.subarray(0, length).lastIndexOf(NEWLINE);
      if (nl !== -1) {
        await fh.truncate(from + nl + 1);
        return true;
      }
      pos = from;
    }
    await fh.truncate(0);
    return true;
  } finally {
    await fh.close();
  }
}
