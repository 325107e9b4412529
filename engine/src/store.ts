/**
 * Store<T>: a drop-in for opslog 0.3.0's Store. State lives in a Map built
 * from the current snapshot plus the WAL(s); every mutation is one appended
 * line; all mutations run one at a time through an async serializer.
 * Store never touches node:fs: all IO goes through the StorageBackend.
 *
 * Beyond 0.3.0: reads every later on-disk generation, tail() picks up other
 * processes' appends without reopening, read-only with an agentId never
 * writes, and skipped WAL lines are reported (warnings(), onSkippedLine).
 */
import { FsBackend, canTail } from "./backend.js";
import { LamportClock } from "./clock.js";
import { fullPrev } from "./delta.js";
import { OpslogError } from "./errors.js";
import { createDefaultManifest } from "./manifest.js";
import { compareOps } from "./order.js";
import type { SkippedLine } from "./wal.js";
import type { LockHandle, Manifest, Operation, StorageBackend, StoreOptions, StoreStats } from "./types.js";

export interface ExplorerStoreOptions extends StoreOptions {
  /** Called for each WAL line skipped on load or tail (malformed, invalid, torn). */
  onSkippedLine?: (skipped: SkippedLine) => void;
}

interface WalCursor {
  offset: number;
  lines: number;
  /** Our own undo truncated the file, or an append may not have landed where counted: the next tail re-reads it */
  dirty: boolean;
  /** Bytes after offset that are not a complete line (a torn tail): an append starts a new line after them */
  pending?: number;
}

type CoreOptions = Required<Pick<StoreOptions, "checkpointThreshold" | "checkpointOnClose" | "version" | "migrate" | "readOnly">>;


export { compareOps };

export class Store<T = Record<string, unknown>> {
  private dir = "";
  private records = new Map<string, T>();
  private ops: Operation<T>[] = [];
  private archiveSegments: string[] = [];
  private opened = false;
  private version = 1;
  private activeOpsPath = "";
  private created = "";
  private opts: CoreOptions = {
    checkpointThreshold: 100,
    checkpointOnClose: true,
    version: 1,
    migrate: (r: unknown) => r,
    readOnly: false,
  };
  private archivedRecordCount = 0;
  private batching = false;
  private batchOps: Operation<T>[] = [];
  private mutex: Promise<void> = Promise.resolve();
  private lockHandle: LockHandle | null = null;
  private backend!: StorageBackend;
  private agentId?: string;
  private clock: LamportClock | null = null;
  private manifest: Manifest | null = null;
  private manifestVersion: string | null = null;
  private cursors = new Map<string, WalCursor>();
  private skipped: SkippedLine[] = [];
  private onSkippedLine?: (skipped: SkippedLine) => void;

  /** Run mutations one at a time; reads stay synchronous and lock-free. */
  private serialize<R>(fn: () => Promise<R>): Promise<R> {
    const run = this.mutex.then(fn);
    this.mutex = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private isMultiWriter(): boolean {
    return this.agentId !== undefined;
  }

  async open(dir: string, options: ExplorerStoreOptions = {}): Promise<void> {
    const { backend, agentId, onSkippedLine, ...rest } = options;
    this.dir = dir;
    this.opts = { ...this.opts, ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) };
    this.backend = backend ?? new FsBackend();
    this.agentId = agentId || undefined;
    this.onSkippedLine = onSkippedLine;
    await this.backend.initialize(dir, { readOnly: this.opts.readOnly });
    if (!this.opts.readOnly && !this.isMultiWriter()) this.lockHandle = await this.backend.acquireLock();
    try {
      const manifest = await this.backend.readManifest();
      if (!manifest) {
        if (this.opts.readOnly) throw new OpslogError("not-a-store", "Cannot open in readOnly mode: no existing store found");
        await this.initFreshStore();
      } else {
        await this.loadExistingStore(manifest);
      }
      this.manifestVersion = await this.backend.getManifestVersion();
      this.opened = true;
    } catch (err) {
      if (this.lockHandle) await this.backend.releaseLock(this.lockHandle);
      this.lockHandle = null;
      throw err;
    }
  }

  private async initFreshStore(): Promise<void> {
    const snapshotPath = await this.backend.writeSnapshot(new Map(), this.opts.version);
    const opsPath = this.isMultiWriter() ? await this.backend.createAgentOpsFile(this.agentId!) : await this.backend.createOpsFile();
    const manifest = createDefaultManifest(snapshotPath, opsPath);
    if (this.isMultiWriter()) manifest.activeAgentOps = { [this.agentId!]: opsPath };
    await this.backend.writeManifest(manifest);
    this.manifest = manifest;
    this.version = this.opts.version;
    this.activeOpsPath = opsPath;
    this.created = manifest.stats.created;
    this.archiveSegments = [];
    this.cursors = new Map([[opsPath, { offset: 0, lines: 0, dirty: false }]]);
    if (this.isMultiWriter()) this.clock = new LamportClock(0);
  }

  private async loadExistingStore(manifest: Manifest): Promise<void> {
    this.manifest = manifest;
    this.created = manifest.stats.created;
    this.archiveSegments = [...manifest.archiveSegments];
    this.archivedRecordCount = manifest.stats.archivedRecords;
    await this.loadSnapshotAndOps(manifest);
    if (this.isMultiWriter()) await this.registerAgent(manifest);
    else this.activeOpsPath = manifest.activeOps;
  }

  private async loadSnapshotAndOps(manifest: Manifest): Promise<void> {
    let loaded: { records: Map<string, unknown>; version: number };
    try {
      loaded = await this.backend.loadSnapshot(manifest.currentSnapshot);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") {
        throw new OpslogError("missing-file", `Snapshot file not found: ${manifest.currentSnapshot}. The data directory may be corrupted.`, { file: manifest.currentSnapshot, cause: err });
      }
      throw err;
    }
    this.records = loaded.records as Map<string, T>;
    this.version = loaded.version;
    if (loaded.version < this.opts.version) {
      for (const [id, record] of this.records) this.records.set(id, this.opts.migrate(record, loaded.version) as T);
      this.version = this.opts.version;
    }
    this.cursors = new Map();
    let ops: Operation<T>[] = [];
    for (const path of this.walPaths(manifest)) ops = appendAll(ops, await this.readWal(path));
    if (this.isMultiWriter()) ops.sort(compareOps);
    for (const op of ops) this.applyOp(op);
    this.ops = ops;
    if (this.isMultiWriter()) this.clock = new LamportClock(ops.reduce((max, op) => Math.max(max, op.clock ?? 0), 0));
  }

  /** The WALs a reader replays: every agent's in multi-writer mode, else the single activeOps. */
  private walPaths(manifest: Manifest): string[] {
    if (this.isMultiWriter() && manifest.activeAgentOps) return Object.values(manifest.activeAgentOps);
    return [manifest.activeOps];
  }

  private async readWal(path: string): Promise<Operation<T>[]> {
    if (!canTail(this.backend)) return (await this.backend.readOps(path)) as Operation<T>[];
    const chunk = await this.backend.readOpsFrom(path, 0, 1, (s) => this.reportSkipped(s));
    // Reported, but the cursor stays before it: if a writer is mid-append, the next tail reads it whole.
    if (chunk.pending > 0) this.reportSkipped({ file: path, line: chunk.lines + 1, reason: "torn last line (a crash mid-append, or a write in progress)" });
    this.cursors.set(path, { offset: Math.max(chunk.end, 0), lines: chunk.lines, dirty: false, pending: chunk.pending });
    return chunk.ops as Operation<T>[];
  }

  private reportSkipped(skipped: SkippedLine): void {
    this.skipped.push(skipped);
    this.onSkippedLine?.(skipped);
  }

  /** Find or create this agent's WAL. Read-only never registers (opslog 0.3.0 did, and wrote). */
  private async registerAgent(manifest: Manifest): Promise<void> {
    const own = manifest.activeAgentOps?.[this.agentId!];
    if (own || this.opts.readOnly) {
      this.activeOpsPath = own ?? "";
      return;
    }
    this.activeOpsPath = await this.backend.createAgentOpsFile(this.agentId!);
    this.cursors.set(this.activeOpsPath, { offset: 0, lines: 0, dirty: false });
    const updated: Manifest = { ...manifest, activeAgentOps: { ...(manifest.activeAgentOps ?? {}), [this.agentId!]: this.activeOpsPath } };
    await this.backend.writeManifest(updated);
    this.manifest = updated;
  }

  async close(): Promise<void> {
    this.ensureOpen();
    if (!this.opts.readOnly && this.opts.checkpointOnClose && this.ops.length > 0) {
      await this.serialize(() => this._compact(false));
    }
    await this.mutex;
    if (this.lockHandle) {
      await this.backend.releaseLock(this.lockHandle);
      this.lockHandle = null;
    }
    await this.backend.shutdown();
    this.opened = false;
  }

  get(id: string): T | undefined {
    this.ensureOpen();
    return this.records.get(id);
  }

  set(id: string, value: T): Promise<void> | void {
    this.ensureOpen();
    this.ensureWritable();
    if (this.batching) return this.record(this.makeOp("set", id, value));
    return this.serialize(() => this.persist(this.makeOp("set", id, value)));
  }

  delete(id: string): Promise<void> | void {
    this.ensureOpen();
    this.ensureWritable();
    if (this.batching) return this.record(this.makeDelete(id));
    return this.serialize(async () => this.persist(this.makeDelete(id)));
  }

  has(id: string): boolean {
    this.ensureOpen();
    return this.records.has(id);
  }

  all(): T[] {
    this.ensureOpen();
    return Array.from(this.records.values());
  }

  entries(): [string, T][] {
    this.ensureOpen();
    return Array.from(this.records.entries());
  }

  filter(predicate: (value: T, id: string) => boolean): T[] {
    this.ensureOpen();
    const results: T[] = [];
    for (const [id, value] of this.records) if (predicate(value, id)) results.push(value);
    return results;
  }

  count(predicate?: (value: T, id: string) => boolean): number {
    this.ensureOpen();
    if (!predicate) return this.records.size;
    let n = 0;
    for (const [id, value] of this.records) if (predicate(value, id)) n++;
    return n;
  }

  async batch(fn: () => void): Promise<void> {
    this.ensureOpen();
    this.ensureWritable();
    return this.serialize(() => this._batch(fn));
  }

  async undo(): Promise<boolean> {
    this.ensureOpen();
    this.ensureWritable();
    return this.serialize(() => this._undo());
  }

  getHistory(id: string): Operation<T>[] {
    this.ensureOpen();
    return this.ops.filter((op) => op.id === id);
  }

  getOps(since?: string): Operation<T>[] {
    this.ensureOpen();
    return since ? this.ops.filter((op) => op.ts > since) : [...this.ops];
  }

  async compact(): Promise<void> {
    this.ensureOpen();
    this.ensureWritable();
    return this.serialize(() => this._compact(false));
  }

  /** compact(), but a held compaction lock is an error ("compaction-locked") instead of a silent skip. */
  async compactOrThrow(): Promise<void> {
    this.ensureOpen();
    this.ensureWritable();
    return this.serialize(() => this._compact(true));
  }

  async archive(predicate: (value: T, id: string) => boolean, segment?: string): Promise<number> {
    this.ensureOpen();
    this.ensureWritable();
    return this.serialize(() => this._archive(predicate, segment));
  }

  listArchiveSegments(): string[] {
    this.ensureOpen();
    return [...this.archiveSegments];
  }

  async loadArchive(segment: string): Promise<Map<string, T>> {
    this.ensureOpen();
    const path =
      this.archiveSegments.find((s) => s === `archive/archive-${segment}.json`) ?? this.archiveSegments.find((s) => s.includes(segment));
    if (!path) throw new OpslogError("not-found", `Archive segment '${segment}' not found`);
    return (await this.backend.loadArchiveSegment(path)) as Map<string, T>;
  }

  /** The WAL this store appends to now (relative to the store): the explorer checks that the manifest still names it after each write. */
  walPath(): string {
    this.ensureOpen();
    return this.activeOpsPath;
  }

  stats(): StoreStats {
    this.ensureOpen();
    return { activeRecords: this.records.size, opsCount: this.ops.length, archiveSegments: this.archiveSegments.length };
  }

  /** Reload from the manifest and every agent's WAL (multi-writer); elsewhere, tail the WAL. */
  async refresh(): Promise<void> {
    this.ensureOpen();
    if (this.isMultiWriter()) return this.serialize(() => this.reload());
    await this.tail();
  }

  /**
   * Pick up ops other processes appended since the last read, without
   * reopening, in any mode. Returns the ops applied: the new ones, or after a
   * rebuild (the manifest changed, or ops arrived out of replay order) all of them.
   */
  async tail(): Promise<Operation<T>[]> {
    this.ensureOpen();
    return this.serialize(() => this._tail());
  }

  /** Lines skipped so far (malformed, invalid, torn), with file, line and reason. */
  warnings(): SkippedLine[] {
    return [...this.skipped];
  }

  // ------------------------------------------------------------ mutations

  private makeOp(type: "set" | "delete", id: string, data: T | undefined): Operation<T> {
    const op: Operation<T> = { ts: new Date().toISOString(), op: type, id, prev: this.records.get(id) ?? null };
    if (type === "set") op.data = data;
    if (this.agentId) {
      op.agent = this.agentId;
      op.clock = this.clock!.tick();
    }
    return op; // prev stays full: opslog 0.3.0 cannot read delta encoding
  }

  private makeDelete(id: string): Operation<T> {
    if (!this.records.has(id)) throw new OpslogError("not-found", `Record '${id}' not found`);
    return this.makeOp("delete", id, undefined);
  }

  /** Apply in memory and queue (inside batch). */
  private record(op: Operation<T>): void {
    this.applyOp(op);
    this.batchOps.push(op);
  }

  private async persist(op: Operation<T>): Promise<void> {
    this.applyOp(op);
    try {
      await this.append([op]);
    } catch (err) {
      this.reverseOp(op); // the line never landed: memory must not claim it did
      throw err;
    }
    this.ops.push(op);
    if (this.ops.length >= this.opts.checkpointThreshold) await this._compact(false);
  }

  private async append(ops: Operation<T>[]): Promise<void> {
    const cursor = this.cursors.get(this.activeOpsPath);
    try {
      await this.backend.appendOps(this.activeOpsPath, ops as Operation[]);
    } catch (err) {
      if (cursor) cursor.dirty = true; // the backend may have left bytes it could not take back: read the file again
      throw err;
    }
    // After a torn tail the lines landed one newline further on: count them by reading the file again.
    if (cursor?.pending) cursor.dirty = true;
    if (cursor && !cursor.dirty) {
      for (const op of ops) cursor.offset += Buffer.byteLength(JSON.stringify(op) + "\n");
      cursor.lines += ops.length;
    }
  }

  private async _batch(fn: () => void): Promise<void> {
    this.batching = true;
    this.batchOps = [];
    try {
      fn();
      if (this.batchOps.length > 0) {
        await this.append(this.batchOps);
        this.ops = appendAll(this.ops, this.batchOps);
        if (this.ops.length >= this.opts.checkpointThreshold) await this._compact(false);
      }
    } catch (err) {
      for (const op of [...this.batchOps].reverse()) this.reverseOp(op);
      throw err;
    } finally {
      this.batching = false;
      this.batchOps = [];
    }
  }

  private async _undo(): Promise<boolean> {
    if (this.isMultiWriter()) {
      if (!this.ops.some((op) => op.agent === this.agentId)) return false;
      await this.backend.truncateLastOp(this.activeOpsPath);
      await this.reload();
      return true;
    }
    const last = this.ops[this.ops.length - 1];
    if (!last) return false;
    await this.backend.truncateLastOp(this.activeOpsPath); // O(1): reads back from the end only
    this.reverseOp(last);
    this.ops.pop();
    const cursor = this.cursors.get(this.activeOpsPath);
    if (cursor) cursor.dirty = true;
    return true;
  }

  private async _compact(strict: boolean): Promise<void> {
    if (!this.isMultiWriter()) return this.checkpoint(() => this.backend.createOpsFile(), false);
    let lock: LockHandle;
    try {
      lock = await this.backend.acquireCompactionLock();
    } catch (err) {
      if (strict) throw err;
      return; // another agent is compacting: skip, as opslog does
    }
    try {
      await this.checkpoint(() => this.backend.createAgentOpsFile(this.agentId!), true);
    } finally {
      await this.backend.releaseCompactionLock(lock);
    }
  }

  /** Snapshot the state, start a new WAL, and point the manifest at both. */
  private async checkpoint(createWal: () => Promise<string>, multiWriter: boolean): Promise<void> {
    const snapshotPath = await this.backend.writeSnapshot(this.records as Map<string, unknown>, this.version);
    // The WAL is named after the snapshot, as opslog does, so its ms never sorts before the snapshot it continues.
    const opsPath = await createWal();
    const activeAgentOps = multiWriter ? { [this.agentId!]: opsPath } : undefined;
    const manifest: Manifest = {
      version: this.version,
      currentSnapshot: snapshotPath,
      activeOps: opsPath,
      ...(activeAgentOps ? { activeAgentOps } : {}),
      archiveSegments: this.archiveSegments,
      stats: {
        activeRecords: this.records.size,
        archivedRecords: this.archivedRecordCount,
        opsCount: 0,
        created: this.created,
        lastCheckpoint: new Date().toISOString(),
      },
    };
    await this.backend.writeManifest(manifest);
    this.manifest = manifest;
    this.activeOpsPath = opsPath;
    this.ops = [];
    this.cursors = new Map([[opsPath, { offset: 0, lines: 0, dirty: false }]]);
    this.manifestVersion = await this.backend.getManifestVersion();
  }

  private async _archive(predicate: (value: T, id: string) => boolean, segment?: string): Promise<number> {
    const toArchive = new Map<string, T>();
    for (const [id, value] of this.records) if (predicate(value, id)) toArchive.set(id, value);
    if (toArchive.size === 0) return 0;
    const path = await this.backend.writeArchiveSegment(segment ?? defaultPeriod(), toArchive as Map<string, unknown>);
    if (!this.archiveSegments.includes(path)) this.archiveSegments.push(path);
    for (const id of toArchive.keys()) this.records.delete(id);
    this.archivedRecordCount += toArchive.size;
    await this._compact(false);
    return toArchive.size;
  }

  // ------------------------------------------------------------ reading others' writes

  /** Re-read manifest, snapshot and WALs; registers this agent again if a compaction dropped its WAL. */
  private async reload(): Promise<void> {
    const manifest = await this.backend.readManifest();
    if (!manifest) throw new OpslogError("missing-file", `manifest.json not found in ${this.dir} during refresh`);
    this.manifest = manifest;
    this.archiveSegments = [...manifest.archiveSegments];
    this.archivedRecordCount = manifest.stats.archivedRecords;
    this.created = manifest.stats.created;
    await this.loadSnapshotAndOps(manifest);
    if (this.isMultiWriter()) await this.registerAgent(manifest);
    else this.activeOpsPath = manifest.activeOps;
    this.manifestVersion = await this.backend.getManifestVersion();
  }

  private async _tail(): Promise<Operation<T>[]> {
    if ((await this.backend.getManifestVersion()) !== this.manifestVersion || !canTail(this.backend)) {
      const before = this.ops.length;
      const manifestBefore = this.manifestVersion;
      await this.reload();
      return this.manifestVersion === manifestBefore ? this.ops.slice(before) : [...this.ops];
    }
    let fresh: Operation<T>[] = [];
    for (const path of this.walPaths(this.manifest!)) {
      const cursor = this.cursors.get(path) ?? { offset: 0, lines: 0, dirty: false };
      if (cursor.dirty && this.isMultiWriter()) return this.rebuild(); // one WAL's ops cannot be told apart from the merged list: read them all
      const from = cursor.dirty ? 0 : cursor.offset;
      const chunk = await this.backend.readOpsFrom(path, from, cursor.dirty ? 1 : cursor.lines + 1, (s) => this.reportSkipped(s));
      if (chunk.end === -1) return this.rebuild();
      const ops = chunk.ops as Operation<T>[];
      fresh = appendAll(fresh, cursor.dirty ? ops.slice(this.ops.length) : ops);
      this.cursors.set(path, { offset: chunk.end, lines: (cursor.dirty ? 0 : cursor.lines) + chunk.lines, dirty: false, pending: chunk.pending });
    }
    if (fresh.length === 0) return [];
    if (this.isMultiWriter()) {
      fresh.sort(compareOps);
      const last = this.ops[this.ops.length - 1];
      if (last && compareOps(fresh[0], last) < 0) return this.rebuild(); // arrived out of replay order
      this.clock = new LamportClock(Math.max(this.clock!.current, fresh[fresh.length - 1].clock ?? 0));
    }
    for (const op of fresh) this.applyOp(op);
    this.ops = appendAll(this.ops, fresh);
    return fresh;
  }

  private async rebuild(): Promise<Operation<T>[]> {
    await this.reload();
    return [...this.ops];
  }

  // ------------------------------------------------------------ helpers

  private ensureOpen(): void {
    if (!this.opened) throw new OpslogError("not-open", "Store is not open. Call open() first.");
  }

  private ensureWritable(): void {
    if (this.opts.readOnly) throw new OpslogError("read-only", "Store is read-only. Cannot perform mutations.");
  }

  private applyOp(op: Operation<T>): void {
    if (op.op === "set" && op.data !== undefined) this.records.set(op.id, op.data);
    else if (op.op === "delete") this.records.delete(op.id);
  }

  private reverseOp(op: Operation<T>): void {
    const prev = fullPrev(op as Operation) as T | null;
    if (prev === null) this.records.delete(op.id);
    else this.records.set(op.id, prev);
  }
}

/** a.push(...b) overflows the stack past ~100k items; this does not. */
function appendAll<X>(a: X[], b: X[]): X[] {
  if (a.length === 0) return b;
  for (const item of b) a.push(item);
  return a;
}

function defaultPeriod(): string {
  const now = new Date();
  return `${now.getFullYear()}-Q${Math.ceil((now.getMonth() + 1) / 3)}`;
}
