/**
 * Where the index cache lives and how its files are written: one file per
 * store (named by a hash of the store's real path) in the cache folder, never
 * in the store; a header (the explorer's version, the format's, V8's, and what
 * the store looked like: index-cache.ts) then the index's bytes. Written to a
 * temporary file, flushed to the disk, and renamed, so a reader sees a whole
 * file or none, after a crash or a power cut too. The
 * folder is kept under a size cap by evicting the least recently used files
 * (a cache hit touches its file).
 */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync, readSync } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { endianness, homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Bumped whenever what the file holds, or how, changes. */
export const INDEX_CACHE_FORMAT = 5;
const MAGIC = Buffer.from("OPSLOG-EXPLORER-INDEX\n");
const SUFFIX = ".idx";
/** A temporary file this old was left by a process that died while writing. */
const STALE_TMP_MS = 60 * 60 * 1000;
export const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;

export interface IndexCacheOptions {
  /** The folder of the cache files */
  dir: string;
  /** The cap on the folder's size: the least recently used files go first */
  maxBytes: number;
}

/** The explorer's version, from its package.json (found up from this file): a cache written by another is ignored. */
export const EXPLORER_VERSION: string = (() => {
  // The CommonJS bundle (build/bundle.mjs) has __dirname and no import.meta.url; the sources the other way round.
  let at = typeof __dirname === "string" ? __dirname : dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++, at = dirname(at)) {
    try {
      const pkg = JSON.parse(readFileSync(join(at, "package.json"), "utf-8")) as { name?: string; version?: string };
      if (pkg.name === "opslog-explorer" && pkg.version) return pkg.version;
    } catch {
      // not here: one folder up
    }
  }
  return "unknown";
})();

/**
 * The index cache as the environment sets it: $OPSLOG_EXPLORER_CACHE/index,
 * else $XDG_CACHE_HOME/opslog-explorer/index, else ~/.cache/opslog-explorer/index;
 * capped at $OPSLOG_EXPLORER_INDEX_CACHE_MB megabytes (default 2 GB);
 * null (no cache) when $OPSLOG_EXPLORER_INDEX_CACHE is "off".
 */
export function indexCacheFromEnv(env: NodeJS.ProcessEnv = process.env): IndexCacheOptions | null {
  if (env.OPSLOG_EXPLORER_INDEX_CACHE === "off") return null;
  const root = env.OPSLOG_EXPLORER_CACHE ? resolve(env.OPSLOG_EXPLORER_CACHE) : join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "opslog-explorer");
  const mb = Number(env.OPSLOG_EXPLORER_INDEX_CACHE_MB);
  return { dir: join(root, "index"), maxBytes: Number.isFinite(mb) && mb > 0 ? mb * 1024 * 1024 : DEFAULT_MAX_BYTES };
}

/** The cache file of the store at `realDir` (its real path). */
export function cacheFileOf(options: IndexCacheOptions, realDir: string): string {
  return join(options.dir, createHash("sha256").update(realDir).digest("hex").slice(0, 40) + SUFFIX);
}

/** An open cache file whose header this explorer wrote: the payload (index-cache-codec.ts's parts) starts at `payloadAt`. The caller closes `fh`. */
export interface OpenCacheFile<H> {
  header: H;
  fh: FileHandle;
  payloadAt: number;
  size: number;
}

/** A cache file's header, the file left open for its payload; null if it is not one this explorer wrote (another version, a torn file). */
export async function openCacheFile<H extends { format: number; explorer: string; v8: string }>(path: string): Promise<OpenCacheFile<H> | null> {
  const fh = await open(path, "r").catch(() => null);
  if (!fh) return null;
  let kept = false;
  try {
    const size = (await fh.stat()).size;
    const start = MAGIC.length + 4;
    if (size < start) return null;
    const lead = await readBytes(fh, 0, start);
    if (!lead.subarray(0, MAGIC.length).equals(MAGIC)) return null;
    const headerBytes = lead.readUInt32LE(MAGIC.length);
    if (start + headerBytes > size) return null;
    const header = JSON.parse((await readBytes(fh, start, headerBytes)).toString("utf-8")) as H;
    if (header.format !== INDEX_CACHE_FORMAT || header.explorer !== EXPLORER_VERSION || header.v8 !== headerBase().v8) return null;
    kept = true;
    return { header, fh, payloadAt: align8(start + headerBytes), size };
  } catch {
    return null;
  } finally {
    if (!kept) await fh.close();
  }
}

/** Reads of a large range run as this many reads at once: faulting in the new pages is most of their cost, and the thread pool spreads it over the cores. */
const READS_AT_ONCE = 2;

/**
 * `bytes` bytes at `at`, in a buffer of their own from offset 0 (8-byte
 * aligned, for typed arrays that view it); an error if the file is shorter.
 */
export async function readBytes(fh: FileHandle, at: number, bytes: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafeSlow(bytes);
  const share = bytes < 1 << 22 ? bytes : Math.ceil(bytes / READS_AT_ONCE / 4096) * 4096;
  const reads: Promise<void>[] = [];
  for (let from = 0; from < bytes; from += share) {
    const end = Math.min(bytes, from + share);
    reads.push(
      (async () => {
        for (let got = from; got < end; ) {
          const { bytesRead } = await fh.read(buffer, got, end - got, at + got);
          if (bytesRead === 0) throw new Error("the cache file is shorter than its parts say");
          got += bytesRead;
        }
      })(),
    );
  }
  await Promise.all(reads);
  return buffer;
}

/** readBytes in this thread, for a part first asked for by a query that cannot wait. */
export function readBytesSync(fd: number, at: number, bytes: number): Buffer {
  const buffer = Buffer.allocUnsafeSlow(bytes);
  for (let got = 0; got < bytes; ) {
    const bytesRead = readSync(fd, buffer, got, bytes - got, at + got);
    if (bytesRead === 0) throw new Error("the cache file is shorter than its parts say");
    got += bytesRead;
  }
  return buffer;
}

/** The header every file starts with: what tells one version's cache from another's. */
export function headerBase(): { format: number; explorer: string; v8: string } {
  return { format: INDEX_CACHE_FORMAT, explorer: EXPLORER_VERSION, v8: `${process.versions.v8} ${endianness()}` };
}

const align8 = (n: number) => (n + 7) & ~7;

/** Write a cache file whole (temp + rename), then evict down to the cap; false when it alone is over the cap. The payload starts 8-byte aligned. */
export async function writeCacheFile(options: IndexCacheOptions, path: string, header: object, payload: Buffer[]): Promise<boolean> {
  const headerBytes = Buffer.from(JSON.stringify(header), "utf-8");
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  const start = MAGIC.length + 4 + headerBytes.length;
  const pad = Buffer.alloc(align8(start) - start);
  const total = align8(start) + payload.reduce((sum, part) => sum + part.length, 0);
  if (total > options.maxBytes) {
    await rm(path, { force: true }); // an older, smaller one no longer describes the store
    return false;
  }
  await mkdir(options.dir, { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeDurably(tmp, [MAGIC, length, headerBytes, pad, ...payload]);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await evict(options, path);
  return true;
}

/**
 * Write a file and flush it to the disk before it is renamed into place: a
 * rename that reaches the disk before the bytes do (a power cut, on file
 * systems that allocate late) would leave a file of the right size with
 * holes, whose parts could still look whole.
 */
async function writeDurably(path: string, parts: Buffer[]): Promise<void> {
  const fh = await open(path, "w");
  try {
    await writeFile(fh, parts);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Mark a cache file as just used (its mtime: the eviction's order). */
export async function touchCacheFile(path: string): Promise<void> {
  const now = new Date();
  await utimes(path, now, now).catch(() => {});
}

/** Remove the least recently used cache files until the folder is within its cap (`keep` last of all). */
export async function evict(options: IndexCacheOptions, keep?: string): Promise<void> {
  const names = await readdir(options.dir).catch(() => [] as string[]);
  const files: { path: string; bytes: number; used: number }[] = [];
  const now = Date.now();
  for (const name of names) {
    const path = join(options.dir, name);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) continue;
    if (name.endsWith(".tmp")) {
      if (now - info.mtimeMs > STALE_TMP_MS) await rm(path, { force: true });
      continue;
    }
    if (name.endsWith(SUFFIX)) files.push({ path, bytes: info.size, used: path === keep ? Infinity : info.mtimeMs });
  }
  let total = files.reduce((sum, f) => sum + f.bytes, 0);
  for (const file of files.sort((a, b) => a.used - b.used)) {
    if (total <= options.maxBytes) break;
    await rm(file.path, { force: true });
    total -= file.bytes;
  }
}

/** Remove every cache file (the "Clear index cache" command); how many bytes that freed. */
export async function clearIndexCache(options: IndexCacheOptions): Promise<{ files: number; bytes: number }> {
  const names = await readdir(options.dir).catch(() => [] as string[]);
  let files = 0;
  let bytes = 0;
  for (const name of names) {
    if (!name.endsWith(SUFFIX) && !name.endsWith(".tmp")) continue; // only what this cache wrote
    const path = join(options.dir, name);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) continue;
    await rm(path, { force: true });
    files++;
    bytes += info.size;
  }
  return { files, bytes };
}
