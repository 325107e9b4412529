/**
 * Reads ops back from their WALs by byte offset, for the few the caller is
 * looking at: the index keeps where each op is, not its data. Reads are
 * sorted by file and offset and neighbours are read together, so a page, a
 * diff or a whole state at a position costs a few sequential reads. Files
 * are opened read-only; a line that no longer holds the op it held (the WAL
 * was rewritten under us) is an error that says to refresh.
 */
import { isAscii } from "node:buffer";
import { closeSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { OpslogError } from "../errors.js";
import type { OpTable } from "./optable.js";
import { parseOp } from "./walscan.js";
import type { ScannedOp } from "./walscan.js";

/** Neighbouring lines closer than this are read in one go. */
const GAP_BYTES = 64 * 1024;
const WINDOW_BYTES = 1024 * 1024;
/**
 * Parsed ops kept for the next call (pages are asked for again as the user
 * scrolls back), counted by the bytes of their lines: a count of ops would
 * let a store of large records fill the memory.
 */
const CACHE_BYTES = 4 * 1024 * 1024;
/** WALs kept open at once (a store with many retired WALs must not run out of file descriptors). */
const MAX_OPEN_FILES = 32;

export class OpReader {
  private fds = new Map<number, number>();
  private buffer = Buffer.alloc(0);
  /** A read found a WAL changed under the index: the next refresh must rebuild. */
  stale = false;
  /** Two generations: when the young one fills, it becomes the old one and the old one is dropped (O(1) LRU-ish). */
  private young = new Map<number, ScannedOp>();
  private old = new Map<number, ScannedOp>();
  /** Line bytes of the young generation's ops */
  private youngBytes = 0;

  constructor(
    private readonly dir: string,
    private readonly table: OpTable,
    private readonly files: readonly string[],
    private readonly idOf: (entry: number) => string,
  ) {}

  one(entry: number): ScannedOp {
    return this.many([entry]).get(entry)!;
  }

  /** The ops of these entries, parsed; one read per run of neighbouring lines. */
  many(entries: Iterable<number>): Map<number, ScannedOp> {
    const out = new Map<number, ScannedOp>();
    const wanted: number[] = [];
    for (const e of entries) {
      if (out.has(e)) continue;
      const cached = this.young.get(e) ?? this.old.get(e);
      if (cached) {
        out.set(e, cached);
        this.remember(e, cached);
      } else {
        out.set(e, null as unknown as ScannedOp);
        wanted.push(e);
      }
    }
    if (wanted.length === 0) return out;
    // A bulk read (a whole state, say) would only flush the pages being looked at.
    let bytes = 0;
    for (const e of wanted) bytes += this.table.length_(e);
    const remember = bytes <= CACHE_BYTES / 4;
    this.eachLine(wanted, (e, text) => {
      const op = this.parse(e, text);
      out.set(e, op);
      if (remember) this.remember(e, op);
    });
    return out;
  }

  /**
   * The text of each entry's line, unparsed, in file and offset order: for a
   * caller that takes a few fields of many ops (columns.ts) and checks the
   * line itself (see lineChanged).
   */
  eachLine(entries: Iterable<number>, each: (entry: number, text: string) => void): void {
    // File order, without a comparator: a WAL's ops enter the index in file order, so within
    // one file, entry order is offset order (checked, and sorted by offset if ever not).
    const t = this.table;
    const byFile = new Map<number, number[]>();
    for (const e of Int32Array.from(entries).sort()) {
      const file = t.fileIdx(e);
      let list = byFile.get(file);
      if (!list) byFile.set(file, (list = []));
      list.push(e);
    }
    for (const [file, list] of byFile) {
      if (list.some((e, i) => i > 0 && t.offset(e) < t.offset(list[i - 1]))) list.sort((a, b) => t.offset(a) - t.offset(b));
      this.readRun(file, list, each);
    }
  }

  /** The error for an entry whose line no longer holds its op (the WAL was rewritten under us). */
  lineChanged(e: number): OpslogError {
    const t = this.table;
    return this.changed(t.fileIdx(e), `line ${t.line(e)} no longer holds the ${t.op(e)} of "${this.idOf(e)}"`);
  }

  /** Read these entries of one file (in offset order): neighbouring lines in one read each. */
  private readRun(file: number, list: number[], each: (entry: number, text: string) => void): void {
    const t = this.table;
    for (let i = 0; i < list.length; ) {
      const start = t.offset(list[i]);
      let end = start + t.length_(list[i]);
      let j = i + 1;
      while (j < list.length && t.offset(list[j]) - end <= GAP_BYTES && t.offset(list[j]) + t.length_(list[j]) - start <= WINDOW_BYTES) {
        end = Math.max(end, t.offset(list[j]) + t.length_(list[j]));
        j++;
      }
      const buffer = this.read(file, start, end - start);
      for (let k = i; k < j; k++) {
        const e = list[k];
        const from = t.offset(e) - start;
        const line = buffer.subarray(from, from + t.length_(e));
        // latin1 decodes ASCII exactly, and much faster than utf-8.
        each(e, line.toString(isAscii(line) ? "latin1" : "utf-8"));
      }
      i = j;
    }
  }

  private parse(e: number, text: string): ScannedOp {
    const parsed = parseOp(text);
    const t = this.table;
    if (typeof parsed === "string" || parsed.id !== this.idOf(e) || parsed.op !== t.op(e)) throw this.lineChanged(e);
    parsed.fileIdx = t.fileIdx(e);
    parsed.line = t.line(e);
    parsed.offset = t.offset(e);
    parsed.length = t.length_(e);
    parsed.entry = e;
    return parsed;
  }

  private remember(e: number, op: ScannedOp): void {
    if (this.young.has(e)) return;
    this.young.set(e, op);
    this.youngBytes += op.length;
    if (this.youngBytes >= CACHE_BYTES / 2) {
      this.old = this.young;
      this.young = new Map();
      this.youngBytes = 0;
    }
  }

  private read(file: number, position: number, length: number): Buffer {
    let fd = this.fds.get(file);
    if (fd === undefined) {
      if (this.fds.size >= MAX_OPEN_FILES) {
        const [oldest, oldestFd] = this.fds.entries().next().value!;
        closeSync(oldestFd);
        this.fds.delete(oldest);
      }
      try {
        fd = openSync(join(this.dir, this.files[file]), "r");
      } catch {
        throw this.changed(file, "the file is gone");
      }
      this.fds.set(file, fd);
    }
    // One buffer, reused (reads are synchronous): no fresh pages to fault in on every read.
    if (this.buffer.length < length) this.buffer = Buffer.allocUnsafe(Math.max(length, WINDOW_BYTES));
    const buffer = this.buffer.subarray(0, length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, buffer, got, length - got, position + got);
      if (n === 0) throw this.changed(file, "the file is shorter than when it was read");
      got += n;
    }
    return buffer;
  }

  /** Line bytes of the parsed ops kept for the next call. */
  get cachedBytes(): number {
    let bytes = this.youngBytes;
    for (const op of this.old.values()) bytes += op.length;
    return bytes;
  }

  private changed(file: number, what: string): OpslogError {
    this.stale = true;
    const path = this.files[file];
    return new OpslogError("changed-on-disk", `${path} changed on disk since this view was built (${what}). Refresh to rebuild the view.`, { file: path });
  }

  /** Close the files (the index stays usable: they reopen on the next read). */
  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
    this.young.clear();
    this.old.clear();
    this.youngBytes = 0;
    this.buffer = Buffer.alloc(0);
  }
}
