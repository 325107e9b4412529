/**
 * Blobs: the binary files opslog 0.6+ keeps beside the records. The published
 * API is the storage backend's (writeBlob, readBlob, readBlobRange,
 * listBlobs, deleteBlob): FsBackend writes a blob at any path relative to the
 * store folder that the caller chooses ("data/file.jsonl"), so a blob is any
 * file in the store folder that is not opslog's own (manifest, locks,
 * snapshots/, ops/, archive/, .tmp leftovers). opslog has no convention for
 * how a record refers to a blob: a record's string value that equals a blob's
 * path is taken as a reference. Read-only: files are listed, stat'ed and read
 * by range, never opened for writing. Links are resolved before a read: a
 * link in the store is followed only to a file that is itself a blob of the
 * store (compared by real path), never to a file outside it.
 */
import { constants } from "node:fs";
import { open, readdir, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { OpslogError } from "../errors.js";
import type { Doc, Page, PageRequest } from "./types.js";

export interface BlobInfo {
  /** Path relative to the store folder, with "/" separators: what writeBlob was given */
  path: string;
  bytes: number;
  /** Last modified, ISO */
  modified: string;
}

/** How a preview shows a blob, guessed from its first bytes (and its name for text kinds). */
export type BlobKind = "json" | "text" | "image" | "binary";

export interface BlobChunk {
  path: string;
  /** The blob's whole size */
  bytes: number;
  offset: number;
  /** The bytes read, base64 (at most what was asked for) */
  base64: string;
  kind: BlobKind;
  /** An image's MIME type (kind "image") */
  mime?: string;
}

/** The most a single blob read returns: bigger blobs are read by range. */
export const MAX_BLOB_READ = 1024 * 1024;

/** Folders and files opslog itself writes: never blobs. */
const OWN_FOLDERS = new Set(["snapshots", "ops", "archive"]);
const OWN_FILES = new Set(["manifest.json", ".lock", ".compact-lock"]);

/** Every blob under the store folder, by path; opslog's own files and any *.tmp left by a crash are not blobs. */
async function allBlobs(dir: string): Promise<BlobInfo[]> {
  const out: BlobInfo[] = [];
  const walk = async (folder: string, depth: number): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const full = join(folder, entry.name);
      const path = relative(dir, full).split(sep).join("/");
      if (depth === 0 && (OWN_FOLDERS.has(entry.name) || OWN_FILES.has(entry.name))) continue;
      if (entry.isDirectory() && depth < 16) await walk(full, depth + 1);
      else if (entry.isFile() && !entry.name.endsWith(".tmp")) {
        const info = await stat(full).catch(() => null);
        if (info) out.push({ path, bytes: info.size, modified: info.mtime.toISOString() });
      } else if (entry.isSymbolicLink()) {
        // A link is listed only where a read would follow it: to a blob inside the store.
        const blob = await blobFile(dir, path).catch(() => null);
        if (blob) out.push({ path, bytes: blob.bytes, modified: blob.modified });
      }
    }
  };
  await walk(dir, 0);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The store's blobs (path, size), in path order, by page; `pathContains` narrows them. */
export async function listBlobs(dir: string, req: PageRequest & { pathContains?: string }): Promise<Page<BlobInfo>> {
  let all = await allBlobs(dir);
  if (req.pathContains) all = all.filter((b) => b.path.includes(req.pathContains!));
  return { rows: all.slice(req.offset, req.offset + req.limit), total: all.length, offset: req.offset, limit: req.limit };
}

/** Whether `full` (absolute) names a blob's place under `root`: inside it, and not one of opslog's own files. */
function blobPlace(root: string, full: string): boolean {
  const inside = relative(root, full);
  const top = inside.split(sep)[0];
  return !(inside === "" || inside.startsWith("..") || isAbsolute(inside) || OWN_FOLDERS.has(top) || OWN_FILES.has(inside) || full.endsWith(".tmp"));
}

/**
 * A blob's real path, refusing anything that is not a blob of this store:
 * outside it, opslog's own, or reached through a link (of the file or of a
 * folder on its way) that leads anywhere but to a blob of this store.
 */
async function blobFile(dir: string, path: string): Promise<{ full: string; bytes: number; modified: string }> {
  const root = resolve(dir);
  const full = resolve(root, path);
  if (!blobPlace(root, full)) {
    throw new OpslogError("bad-argument", `${path} is not a blob of this store: a blob is a file in the store folder outside snapshots/, ops/ and archive/.`, { file: path });
  }
  const real = await realpath(full).catch(() => null);
  if (real === null) throw new OpslogError("not-found", `There is no blob ${path} in this store.`, { file: path });
  if (!blobPlace(await realpath(root).catch(() => root), real)) {
    throw new OpslogError("bad-argument", `${path} is a symbolic link (or lies in a linked folder) that leads out of this store's blobs; the explorer reads no file through it. A blob must be a file in the store folder.`, { file: path });
  }
  const info = await stat(real).catch(() => null);
  if (!info?.isFile()) throw new OpslogError("not-found", `There is no blob ${path} in this store.`, { file: path });
  return { full: real, bytes: info.size, modified: info.mtime.toISOString() };
}

const IMAGE_SIGNATURES: [string, number[]][] = [
  ["image/png", [0x89, 0x50, 0x4e, 0x47]],
  ["image/jpeg", [0xff, 0xd8, 0xff]],
  ["image/gif", [0x47, 0x49, 0x46, 0x38]],
  ["image/webp", [0x52, 0x49, 0x46, 0x46]],
];

/** A control character text never holds: any C0 byte but tab, newline and CR, and DEL (a file of them draws as empty boxes). */
const isControlByte = (b: number) => (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f;

/** What the first bytes say: an image by its signature, text when they decode as UTF-8 with no control characters, JSON when the text starts like JSON. */
export function blobKind(path: string, head: Buffer): { kind: BlobKind; mime?: string } {
  for (const [mime, sig] of IMAGE_SIGNATURES) if (sig.every((b, i) => head[i] === b)) return { kind: "image", mime };
  if (head.some(isControlByte)) return { kind: "binary" };
  // A range may cut a multi-byte character at its end: allow up to 3 bytes of it.
  const text = new TextDecoder("utf-8", { fatal: false }).decode(head);
  const bad = (text.match(/\uFFFD/g) ?? []).length;
  if (bad > 1 || (bad === 1 && !text.slice(-2).includes("\uFFFD"))) return { kind: "binary" };
  if (/\.(json|jsonl)$/i.test(path) || /^\s*[[{]/.test(text)) return { kind: "json" };
  return { kind: "text" };
}

/** `length` bytes of a blob from `offset` (readBlobRange), at most MAX_BLOB_READ; the kind is judged from its first bytes. */
export async function readBlobChunk(dir: string, path: string, offset: number, length: number): Promise<BlobChunk> {
  const { full, bytes } = await blobFile(dir, path);
  const want = Math.max(0, Math.min(length, MAX_BLOB_READ, bytes - offset));
  // The real path, its last part not followed: a link put there since the check is refused, not read.
  const fh = await open(full, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    const buffer = Buffer.alloc(want);
    const { bytesRead } = want > 0 ? await fh.read(buffer, 0, want, offset) : { bytesRead: 0 };
    const head = Buffer.alloc(Math.min(512, bytes));
    if (head.length > 0) await fh.read(head, 0, head.length, 0);
    return { path, bytes, offset, base64: buffer.subarray(0, bytesRead).toString("base64"), ...blobKind(path, head) };
  } finally {
    await fh.close();
  }
}

/** A record with more distinct strings than this has only its first ones looked up. */
const MAX_REF_CANDIDATES = 1000;

/** The string values in a record (nested too) that name a blob of this store: its links. */
export async function blobRefs(dir: string, record: Doc | null): Promise<string[]> {
  if (!record) return [];
  const strings = new Set<string>();
  const stack: unknown[] = [record];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === "string" && item.length > 0 && item.length < 4096) strings.add(item);
    if (strings.size >= MAX_REF_CANDIDATES) break;
    else if (item && typeof item === "object") for (const value of Object.values(item)) stack.push(value); // not push(...): a spread overflows the stack past ~120k values
  }
  const found: string[] = [];
  for (const s of strings) {
    const blob = await blobFile(dir, s).catch(() => null);
    if (blob) found.push(s);
  }
  return found.sort();
}
