/**
 * The kept columns of an index loaded from the cache, read when first asked
 * for. They are 40% of a 1M-op index's bytes and only a filter, a diff or the
 * live tail needs them, so a reopen leaves them in the cache file (its
 * second part: index-cache-codec.ts), held open: a later write of the cache
 * renames a new file in, and this one still reads the bytes it validated.
 * They are read in the background once queries pause, or at once, in this
 * thread, by the first query that asks; the live tail's new ops wait for
 * them (keepParsed). If that read fails, the index goes
 * on with empty columns: every value then reads as not kept, and is read
 * from its WAL (columns.ts), so answers stay right, only slower.
 */
import type { FileHandle } from "node:fs/promises";
import { decodeColumns } from "./index-cache-codec.js";
import { readBytes, readBytesSync } from "./index-cache-files.js";
import { KeptColumns } from "./kept-columns.js";
import type { StoreIndex } from "./store-index.js";
import type { ScannedOp } from "./walscan.js";

/**
 * The cache file, held open while an index may still read from it: its
 * columns (until they are in) and its snapshot documents' chunks (until the
 * index is let go: releaseCacheFile). Closed when neither needs it.
 */
export class CacheFileHold {
  private users = 0;
  private closed = false;

  constructor(readonly fh: FileHandle) {}

  take(): void {
    this.users++;
  }

  letGo(): void {
    if (--this.users > 0 || this.closed) return;
    this.closed = true;
    this.fh.close().catch(() => {}); // read-only: nothing to lose
  }

  /** `bytes` bytes at `at`, in this thread. */
  readSync(at: number, bytes: number): Buffer {
    if (this.closed) throw new Error("the index cache's file was closed with its index");
    return readBytesSync(this.fh.fd, at, bytes);
  }
}

/** The snapshot documents' readers' hold on their file, by index (let go with the index). */
const documents = new WeakMap<StoreIndex, CacheFileHold>();

/** `h` reads its snapshot documents' chunks through `hold` until it is let go (releaseCacheFile). */
export function holdForDocuments(h: StoreIndex, hold: CacheFileHold): void {
  hold.take();
  documents.set(h, hold);
}

/** The index is done with (its inspector closed, or rebuilt): the file is let go; columns never read are empty (each value then comes from its WAL). */
export function releaseCacheFile(h: StoreIndex): void {
  const d = deferred.get(h);
  if (d && !d.done) settle(h, d, new KeptColumns());
  documents.get(h)?.letGo();
  documents.delete(h);
}

interface Deferred {
  hold: CacheFileHold;
  /** Where the columns' part is in the file, and its length */
  at: number;
  bytes: number;
  /** The columns are in (or given up): the file is closed */
  done: boolean;
  /** Ops the live tail added meanwhile, kept into the columns once they are in */
  parsed: ScannedOp[][];
}

const deferred = new WeakMap<StoreIndex, Deferred>();
/** The indexes whose columns are still in their files (tests settle them: settleDeferredColumns) */
const waiting = new Map<Deferred, StoreIndex>();

/** Leave `h`'s kept columns in the open cache file (`bytes` bytes at `at`) until they are first asked for; let go of the file once they are read. */
export function deferColumns(h: StoreIndex, hold: CacheFileHold, at: number, bytes: number): void {
  hold.take();
  const d: Deferred = { hold, at, bytes, done: false, parsed: [] };
  deferred.set(h, d);
  waiting.set(d, h);
  Object.defineProperty(h, "columns", {
    configurable: true,
    enumerable: true,
    get: () => settle(h, d, readNow(d)),
    set: (columns: KeptColumns) => settle(h, d, columns),
  });
}

/** How many loaded indexes still have their columns in the cache file (tests). */
export function deferredColumns(): number {
  return waiting.size;
}

/** Tests: bring in every index's deferred columns now, as the background read does ("read"), or as a failed read leaves them ("lost": empty). */
export async function settleDeferredColumns(how: "read" | "lost"): Promise<void> {
  for (const h of [...waiting.values()]) {
    if (how === "read") await prefetchColumns(h, async () => {});
    else settle(h, deferred.get(h)!, new KeptColumns());
  }
}

/** Read `h`'s columns in the background (if still deferred), each step once `quiet` says queries have paused. */
export async function prefetchColumns(h: StoreIndex, quiet: () => Promise<void>): Promise<void> {
  const d = deferred.get(h);
  if (!d || d.done) return;
  await quiet();
  if (d.done) return;
  let columns: KeptColumns;
  try {
    const bytes = await readBytes(d.hold.fh, d.at, d.bytes);
    if (d.done) return; // a query read them meanwhile
    await quiet();
    if (d.done) return;
    columns = decodeColumns(bytes);
  } catch (err) {
    if (d.done) return;
    columns = givenUp(err as Error);
  }
  settle(h, d, columns);
}

/** Keep the values of ops parsed in this thread (the live tail's) in `h`'s columns: at once, or, while they are still in the cache file, once they are in. */
export function keepParsed(h: StoreIndex, ops: ScannedOp[]): void {
  const d = deferred.get(h);
  if (d && !d.done) d.parsed.push(ops);
  else h.columns.keepParsed(ops, h.table);
}

function readNow(d: Deferred): KeptColumns {
  try {
    return decodeColumns(d.hold.readSync(d.at, d.bytes));
  } catch (err) {
    return givenUp(err as Error);
  }
}

function givenUp(err: Error): KeptColumns {
  console.warn(`opslog explorer: the index cache's columns could not be read (${err.message}); values are read from the WALs instead.`);
  return new KeptColumns();
}

function settle(h: StoreIndex, d: Deferred, columns: KeptColumns): KeptColumns {
  Object.defineProperty(h, "columns", { value: columns, writable: true, configurable: true, enumerable: true });
  if (!d.done) {
    d.done = true;
    waiting.delete(d);
    for (const ops of d.parsed) columns.keepParsed(ops, h.table);
    d.parsed = [];
    d.hold.letGo();
  }
  return columns;
}
