/**
 * The index cache: a store's built index kept in the cache folder (never in
 * the store), so that opening it again costs a read of the index, not a
 * build. Nothing in it is trusted before it is checked against the disk: the
 * manifest's bytes; each snapshot's and archive segment's identity (device,
 * inode, size, mtime) and the hashes of its first and last 4 KB; each WAL's
 * device and inode, its size (the same with the same mtime, or larger), and
 * the hashes of its head and of the end of what was indexed (live.ts's mark,
 * which also checked, when the cache was written, that the last op read still
 * stood there). A WAL that only grew is then brought up to date by the live
 * tail (live.ts), which also checks the store's layout once more and says
 * "build again" for anything else (a compaction, an undo, a retired WAL that
 * grew). Anything that does not match is never used: the store is built
 * from scratch. Written after a build, in the background; reads only the store.
 */
import { createHash } from "node:crypto";
import { open, readFile, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import { CannotEncode, decodeHistory, encodeHistory, PART_HEAD_BYTES, partBytes } from "./index-cache-codec.js";
import { CacheFileHold, deferColumns, holdForDocuments, prefetchColumns, releaseCacheFile } from "./index-cache-columns.js";
import { cacheFileOf, headerBase, openCacheFile, readBytes, touchCacheFile, writeCacheFile } from "./index-cache-files.js";
import type { IndexCacheOptions, OpenCacheFile } from "./index-cache-files.js";
import type { StoreIndex } from "./store-index.js";
import { lastIndexed, markLane, regionIntact } from "./live.js";
import type { LastOp, WalMark } from "./live.js";
import { OpReader } from "./opreader.js";

const EDGE_BYTES = 4096;

/** What an open did with the cache (for tests, the bench, and the log). */
export type IndexCacheEvent =
  | { kind: "hit"; grown: boolean }
  | { kind: "miss"; reason: string }
  | { kind: "written"; bytes: number }
  | { kind: "not-written"; reason: string };

/** A file's identity and the hashes of its edges, as the cache saw it. */
interface FileMark {
  path: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  /** Hash of [0, min(EDGE_BYTES, size)) */
  head: string;
  /** Hash of [tailFrom, size) */
  tailFrom: number;
  tail: string;
}

/** A WAL as indexed: its identity, the hash of its head up to `headEnd`, and live.ts's mark of the end of what was read. */
interface WalCacheMark {
  path: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  headEnd: number;
  head: string;
  from: number;
  end: number;
  hash: string;
}

interface CacheHeader {
  format: number;
  explorer: string;
  v8: string;
  /** The store's real path */
  store: string;
  /** manifest.json's bytes, base64 */
  manifest: string;
  files: FileMark[];
  wals: WalCacheMark[];
}

const pending = new Set<Promise<void>>();

/** A cache write works only once no query has come for this long: the user's answers first, the write in the pauses (at 300 ms the UI bench's first filters still met a write turn: 451 ms of server time against 291 at 2 s) */
const QUIET_MS = 2000;
/** Ops and snapshot values from which an index's write waits for the pauses */
const QUIET_FROM = 100_000;
let lastQueryAt = -Infinity;

/** A query came (inspector.ts): a cache write under way pauses for a while. */
export function noteQuery(): void {
  lastQueryAt = performance.now();
}

/** The next turn of the event loop once queries have paused for QUIET_MS (`unref`: a wait that does not keep the process alive). */
async function quietTurn(unref = false): Promise<void> {
  for (let wait = lastQueryAt + QUIET_MS - performance.now(); wait > 0; wait = lastQueryAt + QUIET_MS - performance.now()) {
    await new Promise<void>((done) => {
      const timer = setTimeout(done, wait);
      if (unref) timer.unref();
    });
  }
  await new Promise<void>((done) => setImmediate(done));
}

/** Settles once every cache write started so far has (tests, and a clean exit). */
export async function indexCacheWrites(): Promise<void> {
  while (pending.size > 0) await Promise.all([...pending]);
}

function hashOf(bytes: Buffer): string {
  return createHash("sha1").update(bytes).digest("hex");
}

async function readRange(path: string, from: number, end: number): Promise<Buffer | null> {
  const fh = await open(path, "r").catch(() => null);
  if (!fh) return null;
  try {
    const buffer = Buffer.alloc(end - from);
    let got = 0;
    while (got < buffer.length) {
      const { bytesRead } = await fh.read(buffer, got, buffer.length - got, from + got);
      if (bytesRead === 0) return null;
      got += bytesRead;
    }
    return buffer;
  } finally {
    await fh.close();
  }
}

async function markFile(dir: string, path: string): Promise<FileMark | null> {
  const full = join(dir, path);
  const info = await stat(full).catch(() => null);
  if (!info) return null;
  const tailFrom = Math.max(0, info.size - EDGE_BYTES);
  const head = await readRange(full, 0, Math.min(EDGE_BYTES, info.size));
  const tail = await readRange(full, tailFrom, info.size);
  const after = await stat(full).catch(() => null);
  if (!head || !tail || !after || after.mtimeMs !== info.mtimeMs || after.size !== info.size) return null;
  return { path, dev: info.dev, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, head: hashOf(head), tailFrom, tail: hashOf(tail) };
}

/** Whether a snapshot or archive segment is still exactly the one marked. */
async function fileHolds(dir: string, mark: FileMark): Promise<boolean> {
  const now = await markFile(dir, mark.path);
  return now !== null && now.dev === mark.dev && now.ino === mark.ino && now.size === mark.size && now.mtimeMs === mark.mtimeMs && now.head === mark.head && now.tail === mark.tail;
}

/** Whether a WAL still holds what was indexed of it: "same", "grown" (appended to), or false. */
async function walHolds(dir: string, mark: WalCacheMark): Promise<"same" | "grown" | false> {
  const full = join(dir, mark.path);
  const info = await stat(full).catch(() => null);
  if (!info || info.dev !== mark.dev || info.ino !== mark.ino || info.size < mark.size) return false;
  if (info.size === mark.size && info.mtimeMs !== mark.mtimeMs) return false; // touched, or rewritten in place
  const head = await readRange(full, 0, mark.headEnd);
  if (!head || hashOf(head) !== mark.head) return false;
  const tailMark = { from: mark.from, end: mark.end, hash: mark.hash } as WalMark;
  if (!(await regionIntact(full, tailMark))) return false;
  return info.size === mark.size ? "same" : "grown";
}

/**
 * The cached index of the store in `dir`, if there is one and everything it
 * was built from is still on disk as it was (WALs may have grown: the caller's
 * live tail reads what is new); otherwise why not (`miss`).
 */
export async function loadCachedHistory(dir: string, options: IndexCacheOptions): Promise<{ h: StoreIndex; grown: boolean } | { miss: string }> {
  const real = await realpath(dir).catch(() => null);
  if (!real) return { miss: "the store's folder cannot be resolved" };
  const file = cacheFileOf(options, real);
  const cached = await openCacheFile<CacheHeader>(file);
  if (!cached) return { miss: "no cache of this store from this version of the explorer" };
  let kept = false;
  try {
    const loaded = await loadOpened(dir, real, cached);
    if ("miss" in loaded) return loaded;
    kept = true; // the kept columns' part is read from it later (index-cache-columns.ts)
    await touchCacheFile(file);
    return loaded;
  } finally {
    if (!kept) await cached.fh.close();
  }
}

async function loadOpened(dir: string, real: string, cached: OpenCacheFile<CacheHeader>): Promise<{ h: StoreIndex; grown: boolean } | { miss: string }> {
  const { header, fh, payloadAt, size } = cached;
  if (header.store !== real) return { miss: "the cache names another store" };
  const manifest = await readFile(join(dir, "manifest.json")).catch(() => null);
  if (!manifest || manifest.toString("base64") !== header.manifest) return { miss: "the manifest changed" };
  for (const mark of header.files) if (!(await fileHolds(dir, mark))) return { miss: `${mark.path} changed` };
  let grown = false;
  for (const mark of header.wals) {
    const holds = await walHolds(dir, mark);
    if (!holds) return { miss: `${mark.path} changed` };
    if (holds === "grown") grown = true;
  }
  let h: StoreIndex;
  try {
    // Three parts (index-cache-codec.ts): the index but its kept columns and snapshot documents, read now; the columns; the documents.
    // The heads of all three, now: a file cut short is a miss, never a hit without its columns or documents.
    const partAt = async (at: number, last: boolean) => {
      const bytes = at + PART_HEAD_BYTES <= size ? partBytes(await readBytes(fh, at, PART_HEAD_BYTES)) : NaN;
      if (!(bytes >= PART_HEAD_BYTES && (last ? at + bytes === size : at + bytes <= size))) throw new Error("a part that does not fit the file");
      return bytes;
    };
    const mainBytes = await partAt(payloadAt, false);
    const columnsAt = payloadAt + mainBytes;
    const columnsBytes = await partAt(columnsAt, false);
    const docsAt = columnsAt + columnsBytes + PART_HEAD_BYTES;
    const docsEnd = docsAt - PART_HEAD_BYTES + (await partAt(docsAt - PART_HEAD_BYTES, true));
    const hold = new CacheFileHold(fh);
    h = decodeHistory(await readBytes(fh, payloadAt, mainBytes), (at, bytes) => {
      if (docsAt + at + bytes > docsEnd) throw new Error("a chunk of documents outside the file");
      return hold.readSync(docsAt + at, bytes);
    });
    holdForDocuments(h, hold);
    deferColumns(h, hold, columnsAt, columnsBytes);
  } catch (err) {
    return { miss: `the cache does not read back (${(err as Error).message})` };
  }
  attachReader(dir, h);
  return { h, grown };
}

/** The index is done with (its inspector closed, or rebuilt): what it still holds of the cache file is let go. */
export function releaseCachedHistory(h: StoreIndex): void {
  releaseCacheFile(h);
}

/** Read a loaded index's kept columns in the background, once queries pause (until then, the first query that needs them reads them). */
export function prefetchCachedColumns(h: StoreIndex): void {
  void prefetchColumns(h, () => quietTurn(true));
}

/** What a loaded index opens itself, as the build does: the reader of the WALs, and the current state's way to read its values back (from the WALs, or the snapshots' values). */
function attachReader(dir: string, h: StoreIndex): void {
  const { table, versions } = h;
  h.parallel = null;
  h.reader = new OpReader(dir, table, h.scan.wals.map((w) => w.path), (e) => versions.ids.at(table.rec(e)));
  h.head.load = (recs) => {
    // A snapshot's value (source < 0) is in the cache's bytes; an op's is read from its WAL.
    const ops = h.reader.many(recs.map((rec) => versions.lastSrc(rec)).filter((src) => src >= 0));
    return recs.map((rec) => {
      const src = versions.lastSrc(rec);
      return src >= 0 ? ops.get(src)!.data! : versions.snapshotValue(src)!;
    });
  };
}

/**
 * Keep `h` (just built from `dir`) in the cache, in the background: on the
 * next turn of the event loop, so the first answer goes out first. The index
 * is encoded in one go (nothing can change it meanwhile); then the files it
 * came from are marked. A WAL rewritten since it was read is caught by its
 * mark (suspect): nothing is written then.
 */
export function saveHistoryLater(dir: string, h: StoreIndex, options: IndexCacheOptions, onEvent?: (event: IndexCacheEvent) => void): void {
  const job = new Promise<void>((done) => setImmediate(done)).then(() => save(dir, h, options)).then(
    (event) => onEvent?.(event),
    (err: Error) => {
      const event: IndexCacheEvent = { kind: "not-written", reason: err.message };
      if (onEvent) onEvent(event);
      else console.warn(`opslog explorer: the index cache was not written (${err.message}).`);
    },
  );
  pending.add(job);
  void job.finally(() => pending.delete(job));
}

async function save(dir: string, h: StoreIndex, options: IndexCacheOptions): Promise<IndexCacheEvent> {
  if (h.reader.stale) return { kind: "not-written", reason: "the store changed during the build" };
  // A large index's encoding takes seconds: a few chunks a turn, while no query runs. A small one's is done at once.
  const turn = h.table.length + h.versions.snapshots.size >= QUIET_FROM ? quietTurn : () => new Promise<void>((done) => setImmediate(done));
  await h.versions.snapshots.prepare(turn);
  await prefetchColumns(h, turn); // a reopened index's columns, read in the thread pool, not by the encode below in this thread
  await turn();
  if (h.reader.stale) {
    h.versions.snapshots.unprepare();
    return { kind: "not-written", reason: "the store changed during the build" };
  }
  // Taken together, in one turn: the index and where each lane's reading ended.
  const lanes: { path: string; end: number; last: LastOp | undefined; unreadable: boolean }[] = h.lanes.map((lane) => ({ path: lane.entry.path, end: lane.end, last: lastIndexed(h, lane), unreadable: !!lane.unreadable }));
  let payload: Buffer[];
  try {
    payload = encodeHistory(h);
  } catch (err) {
    if (err instanceof CannotEncode) return { kind: "not-written", reason: `the index holds ${err.message}` };
    throw err;
  }
  if (lanes.some((l) => l.unreadable)) return { kind: "not-written", reason: "a WAL cannot be read" };
  const real = await realpath(dir);
  const manifest = await readFile(join(dir, "manifest.json"));
  const files: FileMark[] = [];
  for (const entry of [...h.scan.snapshots, ...h.scan.archives]) {
    if (entry.missing) continue; // named but not on disk: the manifest's bytes and the live tail's layout check tell if it appears
    const mark = await markFile(dir, entry.path);
    if (!mark || mark.size !== entry.bytes) return { kind: "not-written", reason: `${entry.path} changed during the build` };
    files.push(mark);
  }
  const wals: WalCacheMark[] = [];
  for (const lane of lanes) {
    const full = join(dir, lane.path);
    const mark = await markLane(dir, lane.path, lane.end, lane.last);
    const info = await stat(full).catch(() => null);
    const head = await readRange(full, 0, Math.min(EDGE_BYTES, lane.end));
    if (!mark.readable || mark.suspect || !info || info.ino !== mark.ino || !head) return { kind: "not-written", reason: `${lane.path} changed during the build` };
    wals.push({ path: lane.path, dev: info.dev, ino: mark.ino, size: mark.size, mtimeMs: mark.mtimeMs, headEnd: head.length, head: hashOf(head), from: mark.from, end: mark.end, hash: mark.hash });
  }
  const header: CacheHeader = { ...headerBase(), store: real, manifest: manifest.toString("base64"), files, wals };
  const written = await writeCacheFile(options, cacheFileOf(options, real), header, payload);
  return written ? { kind: "written", bytes: payload.reduce((sum, part) => sum + part.length, 0) } : { kind: "not-written", reason: "larger than the cache's cap" };
}
