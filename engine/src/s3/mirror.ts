/**
 * S3Mirror: a local copy of an S3 store in the folder layout the inspector
 * reads, kept up to date by listing the bucket prefix once per sync and
 * fetching only what is new. An S3 store writes one immutable object per
 * write (`ops/<wal>/batch-<ts>-<n>.jsonl`); the mirror appends those objects,
 * in the order opslog-s3 reads them (sorted by key), to one local file named
 * like the WAL (`ops/<wal>`), so a second open, and every live poll,
 * transfers only the batches added since. Snapshots, archive segments and
 * single-object WALs (opslog-s3 0.1) are copied whole when their ETag
 * changes, and so are blobs (any other object under the prefix); a grown single-object WAL is fetched from where the copy ends
 * (a ranged GET) when the bytes already held are unchanged. The manifest is
 * written last, so the inspector never sees a manifest naming a file the
 * mirror does not have yet. The mirror lives in a cache folder, never in
 * the store; locks are not copied (they are S3 objects with a TTL, not a
 * local process id).
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { OpslogError } from "../errors.js";
import { currentPeriodOf, inCurrentPeriod } from "./current-period.js";
import { appendAt, readTail, takeOwnership, truncateTo } from "./mirror-files.js";
import { formatS3Url } from "./location.js";
import type { S3Location } from "./location.js";
import { S3Objects, isNotFound } from "./objects.js";
import type { FetchProgress, ListedObject } from "./objects.js";

/** The cache root: $OPSLOG_EXPLORER_CACHE, else $XDG_CACHE_HOME/opslog-explorer/s3, else ~/.cache/opslog-explorer/s3. */
export function defaultS3CacheRoot(): string {
  if (process.env.OPSLOG_EXPLORER_CACHE) return resolve(process.env.OPSLOG_EXPLORER_CACHE);
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "opslog-explorer", "s3");
}

/** One batch object appended to a mirrored WAL, and how many bytes it took there. */
interface MirroredBatch {
  name: string;
  etag: string;
  bytes: number;
}

/** What the mirror holds, so the next sync knows what is new (state.json beside the store folder). */
interface MirrorState {
  version: 1;
  /** Whole-object files (manifest, snapshots, archive, single-object WALs) by key */
  files: Record<string, { etag: string; size: number }>;
  /** Batch WALs by path (`ops/agent-a-1700000000000`): their batches in order */
  wals: Record<string, MirroredBatch[]>;
}

export interface SyncResult {
  listed: number;
  fetchedObjects: number;
  fetchedBytes: number;
  /** Anything in the mirror changed */
  changed: boolean;
  /** The mirror holds the whole store as listed; false after a current-period sync (the history behind it was not even listed) */
  whole: boolean;
}

/** What a sync fetches: everything new ("all"), or only the current period ("current", see current-period.ts) with the history left for the next sync. */
export type SyncScope = "all" | "current";

const BATCH = /^(ops\/[^/]+)\/(batch-[^/]+\.jsonl)$/;
const WHOLE = /^(manifest\.json|snapshots\/[^/]+|archive\/[^/]+|ops\/[^/]+)$/;
const OWN_TOP = new Set(["snapshots", "ops", "archive", "manifest.json", ".lock", ".compact-lock"]);

/**
 * A blob: any other object under the prefix (opslog-s3's writeBlob puts them
 * at their relative path), copied whole like a snapshot. Only keys that make
 * a plain relative path: no empty, "." or ".." part (a key must not make the
 * mirror write outside its folder), not a folder marker, not a *.tmp.
 */
export function isBlobKey(key: string): boolean {
  const parts = key.split("/");
  return parts.length <= 16 && !OWN_TOP.has(parts[0]) && !key.endsWith(".tmp") && parts.every((part) => part !== "" && part !== "." && part !== "..");
}
// Bytes of overlap checked before trusting a ranged read of a grown single-object WAL.
const OVERLAP = 64;

type Fetch = { key: string; size: number; from?: number; apply: (body: Buffer) => Promise<void> };

/** Cache folders mirrors of this process hold: two windows on one store must not write one mirror at once. */
const IN_USE = new Set<string>();

export class S3Mirror {
  /** This mirror's cache folder: the store's own, or a private one beside it while another holder has that */
  private home: string;
  private readonly shared: string;
  private claimed = false;
  private readonly objects: S3Objects;
  private state: MirrorState = { version: 1, files: {}, wals: {} };
  /** stop() was called: every fetch from now on fails, so a sync in flight ends without applying anything more */
  private stopped = false;

  constructor(
    readonly location: S3Location,
    client: S3Client,
    cacheRoot = defaultS3CacheRoot(),
  ) {
    // One folder per server + bucket + prefix: the same store always finds its cache.
    const id = createHash("sha256").update(`${location.endpoint ?? "aws"}\n${location.bucket}\n${location.prefix}`).digest("hex").slice(0, 20);
    this.home = this.shared = join(cacheRoot, id);
    this.objects = new S3Objects(client, location);
  }

  /** The local store folder the inspector opens */
  get dir(): string {
    return join(this.home, "store");
  }

  private get statePath(): string {
    return join(this.home, "state.json");
  }

  private get tmpDir(): string {
    return join(this.home, "tmp");
  }

  /**
   * Take the store's cache folder (an owner file naming this process); if
   * another running explorer or another window holds it, use a private
   * folder beside it for this session instead (fetched anew, removed on release).
   */
  private async claim(): Promise<void> {
    if (this.claimed) return;
    for (let n = 0; ; n++) {
      const home = n === 0 ? this.shared : `${this.shared}-${process.pid}-${n}`;
      if (IN_USE.has(home) || !(await takeOwnership(home))) continue;
      this.home = home;
      IN_USE.add(home);
      this.claimed = true;
      return;
    }
  }

  /** Stop fetching for good (the session closes): a sync in flight fails at its next object, before it applies any. */
  stop(): void {
    this.stopped = true;
  }

  /** Let the cache folder go (a private one is deleted: the shared one keeps the cache). */
  async release(): Promise<void> {
    if (!this.claimed) return;
    this.claimed = false;
    IN_USE.delete(this.home);
    if (this.home === this.shared) await rm(join(this.home, "owner"), { force: true });
    else await rm(this.home, { recursive: true, force: true });
  }

  /**
   * Bring the mirror up to date with the bucket: list once, fetch what is
   * new, in parallel; with scope "current", only the current period (the
   * manifest and what it names, listed by their own prefixes as opslog-s3
   * lists them), the history behind it neither listed nor fetched.
   */
  async sync(onProgress?: (progress: FetchProgress) => void, scope: SyncScope = "all"): Promise<SyncResult> {
    await this.claim();
    await this.loadState();
    // No manifest: the whole listing below says what is wrong; any other failure is the open's.
    const period = scope === "current" ? currentPeriodOf(await this.objects.get("manifest.json").catch((err: unknown) => (isNotFound(err) ? Buffer.from("") : Promise.reject(err)))) : null;
    const wanted = (key: string) => !period || inCurrentPeriod(period, key);
    // Only the named files' own prefixes for the current period (a manifest newer than these lists names at worst a file the next sync brings).
    const found = period ? (await Promise.all([...period.names].map((name) => this.objects.list(name)))).flat() : await this.objects.list();
    // Keys with a "." or ".." part are never part of the mirror (they would lead out of its folder); see WHOLE, BATCH and isBlobKey.
    const listed = found.filter((o) => !o.key.split("/").some((part) => part === "." || part === ".."));
    const manifest = listed.find((o) => o.key === "manifest.json");
    if (!manifest) throw new OpslogError("not-a-store", `${formatS3Url(this.location)} is not an opslog store: there is no manifest.json under it. Check the bucket and prefix (the prefix is the folder that holds manifest.json, snapshots/ and ops/).`);
    await mkdir(join(this.dir, "ops"), { recursive: true });
    await mkdir(this.tmpDir, { recursive: true });
    const fetches: Fetch[] = [];
    const removed = await this.planWholeFiles(listed, fetches, wanted, period !== null);
    const appends: (() => Promise<void>)[] = [];
    const walsChanged = await this.planWals(listed, fetches, appends, wanted, period !== null);
    // The manifest is applied last, once all it names is here; a current-period sync holds its bytes already.
    const manifestAt = fetches.findIndex((f) => f.key === "manifest.json");
    const manifestFetch = manifestAt === -1 ? null : fetches.splice(manifestAt, 1)[0];
    const requests = manifestFetch && !period ? [...fetches, manifestFetch] : fetches;
    const progress: FetchProgress = { objects: 0, totalObjects: requests.length, bytes: 0, totalBytes: requests.reduce((n, f) => n + f.size - (f.from ?? 0), 0) };
    if (requests.length) onProgress?.({ ...progress });
    const bodies = await this.objects.getAll(requests, (bytes) => {
      if (this.stopped) throw new OpslogError("not-open", `The fetch from ${formatS3Url(this.location)} was stopped: the store was closed.`);
      progress.objects++;
      progress.bytes += bytes;
      onProgress?.({ ...progress });
    });
    // Applied in order, so each WAL's batches append in key order.
    for (let i = 0; i < fetches.length; i++) await fetches[i].apply(bodies[i]);
    for (const append of appends) await append();
    if (manifestFetch) await manifestFetch.apply(period ? period.manifest : bodies[fetches.length]);
    const settled = await this.settleEmptyWals(listed);
    const changed = requests.length > 0 || manifestFetch !== null || removed || walsChanged || settled;
    if (changed) await this.saveState();
    return { listed: listed.length, fetchedObjects: progress.objects, fetchedBytes: progress.bytes, changed, whole: period === null };
  }

  private async loadState(): Promise<void> {
    try {
      const parsed = JSON.parse(await readFile(this.statePath, "utf-8")) as MirrorState;
      if (parsed.version === 1 && parsed.files && parsed.wals) this.state = parsed;
    } catch {
      this.state = { version: 1, files: {}, wals: {} }; // no cache yet, or a damaged one: start over
    }
  }

  private async saveState(): Promise<void> {
    const tmp = join(this.tmpDir, "state.json");
    await writeFile(tmp, JSON.stringify(this.state));
    await rename(tmp, this.statePath);
  }

  /** Write a whole file into the mirror atomically (tmp outside the store, then rename). */
  private async replaceFile(key: string, body: Buffer): Promise<void> {
    const tmp = join(this.tmpDir, key.replace(/\//g, "__"));
    await mkdir(dirname(join(this.dir, key)), { recursive: true });
    await writeFile(tmp, body);
    await rename(tmp, join(this.dir, key));
  }

  /** Manifest, snapshots, archive, single-object WALs and blobs: fetch what changed; drop what vanished. Returns whether any was dropped. */
  private async planWholeFiles(listed: ListedObject[], fetches: Fetch[], wanted: (key: string) => boolean, partial: boolean): Promise<boolean> {
    const whole = listed.filter((o) => (WHOLE.test(o.key) && !BATCH.test(o.key)) || isBlobKey(o.key));
    whole.sort((a, b) => (a.key === "manifest.json" ? -1 : b.key === "manifest.json" ? 1 : 0));
    for (const o of whole) {
      const held = this.state.files[o.key];
      if (held?.etag === o.etag && held.size === o.size) continue;
      if (!wanted(o.key)) continue; // listed beside a named file (a name that begins another's), not of the current period
      const record = () => void (this.state.files[o.key] = { etag: o.etag, size: o.size });
      const grown = o.key.startsWith("ops/") && held && o.size > held.size && held.size >= OVERLAP;
      if (grown) {
        // A single-object WAL that grew: fetch from just before the end of our copy, and check the overlap.
        const from = held.size - OVERLAP;
        fetches.push({ key: o.key, size: o.size, from, apply: async (body) => {
          const path = join(this.dir, o.key);
          const tail = await readTail(path, OVERLAP);
          if (tail && body.subarray(0, OVERLAP).equals(tail)) await appendAt(path, held.size, body.subarray(OVERLAP));
          else await this.replaceFile(o.key, await this.objects.get(o.key)); // rewritten (an undo), not appended: take it whole
          record();
        } });
      } else {
        fetches.push({ key: o.key, size: o.size, apply: async (body) => {
          try {
            await this.replaceFile(o.key, body);
          } catch (err) {
            // A blob whose path a folder copy cannot hold (key "a" beside "a/b"): left out of the mirror, the store's own files still in.
            if (!isBlobKey(o.key)) throw err;
            return;
          }
          record();
        } });
      }
    }
    if (partial) return false; // a partial listing does not say what vanished
    const present = new Set(whole.map((o) => o.key));
    let removed = false;
    for (const key of Object.keys(this.state.files)) {
      if (present.has(key)) continue;
      await rm(join(this.dir, key), { force: true });
      delete this.state.files[key];
      removed = true;
    }
    return removed;
  }

  /** Batch WALs: keep the batches already mirrored, cut back where the list differs (an undo), append the rest. */
  private async planWals(listed: ListedObject[], fetches: Fetch[], appends: (() => Promise<void>)[], wanted: (key: string) => boolean, partial: boolean): Promise<boolean> {
    const byWal = new Map<string, ListedObject[]>();
    for (const o of listed) {
      const match = BATCH.exec(o.key);
      if (!match) continue;
      const list = byWal.get(match[1]) ?? [];
      list.push({ ...o, key: match[2] });
      byWal.set(match[1], list);
    }
    let changed = false;
    for (const [wal, batches] of byWal) {
      batches.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)); // opslog-s3's own order: the keys, sorted
      const held = await this.heldBatches(wal);
      let same = 0;
      while (same < held.length && same < batches.length && held[same].name === batches[same].key && held[same].etag === batches[same].etag) same++;
      if (!wanted(wal)) continue; // listed beside a named WAL (a name that begins another's), not of the current period
      if (same < held.length) {
        held.length = same;
        await truncateTo(join(this.dir, wal), held.reduce((n, b) => n + b.bytes, 0));
        changed = true;
      }
      this.state.wals[wal] = held;
      if (same === batches.length) continue;
      // The new batches, in order, are written to the WAL in one append once all are in.
      const offset = held.reduce((n, b) => n + b.bytes, 0);
      const pending: Buffer[] = [];
      for (const batch of batches.slice(same)) {
        fetches.push({ key: `${wal}/${batch.key}`, size: batch.size, apply: async (body) => {
          const line = body.length && body[body.length - 1] !== 0x0a ? Buffer.concat([body, Buffer.from("\n")]) : body;
          pending.push(line);
          held.push({ name: batch.key, etag: batch.etag, bytes: line.length });
        } });
      }
      appends.push(() => appendAt(join(this.dir, wal), offset, Buffer.concat(pending)));
    }
    for (const wal of partial ? [] : Object.keys(this.state.wals)) {
      if (byWal.has(wal) || this.state.wals[wal].length === 0) continue; // empty WALs are settled once the manifest is in
      await rm(join(this.dir, wal), { force: true });
      delete this.state.wals[wal];
      changed = true;
    }
    return changed;
  }

  /**
   * A WAL the manifest names but nobody has written to yet has no object on
   * S3 (opslog-s3 creates none until the first write): mirror it as an empty
   * file, as on disk, and drop such a file once the manifest no longer names it.
   */
  private async settleEmptyWals(listed: ListedObject[]): Promise<boolean> {
    const named = await this.namedWals();
    const listedWals = new Set(listed.map((o) => BATCH.exec(o.key)?.[1] ?? (o.key.startsWith("ops/") ? o.key : "")));
    let changed = false;
    for (const wal of named) {
      if (listedWals.has(wal) || this.state.wals[wal]) continue;
      await writeFile(join(this.dir, wal), "");
      this.state.wals[wal] = [];
      changed = true;
    }
    for (const [wal, held] of Object.entries(this.state.wals)) {
      if (held.length > 0 || named.has(wal) || listedWals.has(wal)) continue;
      await rm(join(this.dir, wal), { force: true });
      delete this.state.wals[wal];
      changed = true;
    }
    return changed;
  }

  private async namedWals(): Promise<Set<string>> {
    try {
      const manifest = JSON.parse(await readFile(join(this.dir, "manifest.json"), "utf-8")) as { activeOps?: unknown; activeAgentOps?: Record<string, unknown> };
      const paths = [manifest.activeOps, ...Object.values(manifest.activeAgentOps ?? {})];
      // Only plain names under ops/: a manifest naming "../x" must not make the mirror write outside its folder.
      return new Set(paths.filter((p): p is string => typeof p === "string" && /^ops\/[^/]+$/.test(p) && !p.includes("..")));
    } catch {
      return new Set(); // the inspector reports a bad manifest itself
    }
  }

  /** The batches the state says the mirror holds, if the file agrees (a crash between append and state save starts the WAL over). */
  private async heldBatches(wal: string): Promise<MirroredBatch[]> {
    const held = this.state.wals[wal] ?? [];
    const size = await stat(join(this.dir, wal)).then((s) => s.size, () => -1);
    return size === held.reduce((n, b) => n + b.bytes, 0) ? [...held] : [];
  }
}
