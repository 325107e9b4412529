/**
 * FsBackend: the filesystem StorageBackend (opslog 0.3.0's default), plus
 * readOpsFrom, which Store uses when present to tail a WAL by byte offset
 * and to report skipped lines.
 * Read-only initialisation creates nothing.
 */
import { mkdir, open, readdir, stat, unlink, writeFile } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { OpslogError } from "./errors.js";
import { appendOp, appendOps, parseWalBuffer, readOps, truncateLastOp, unreadableWal } from "./wal.js";
import type { SkipReporter, WalChunk } from "./wal.js";
import { loadSnapshot, writeSnapshot } from "./snapshot.js";
import { readManifest, writeManifest } from "./manifest.js";
import { listArchiveSegments, loadArchiveSegment, writeArchiveSegment } from "./archive.js";
import { acquireLock, isProcessAlive, readLockPid, releaseLock } from "./lock.js";
import type { LockHandle, Manifest, Operation, StorageBackend } from "./types.js";

class FsLockHandle implements LockHandle {
  constructor(
    readonly fh: FileHandle,
    readonly dir: string,
  ) {}
}

/** A backend that can read a WAL from a byte offset (for tailing) and report skipped lines. */
export interface TailingBackend {
  /** Ops on the complete lines after `offset`; end is -1 when the file is now shorter than offset. */
  readOpsFrom(relativePath: string, offset: number, firstLine: number, report?: SkipReporter): Promise<WalChunk>;
}

export function canTail(backend: StorageBackend): backend is StorageBackend & TailingBackend {
  return typeof (backend as Partial<TailingBackend>).readOpsFrom === "function";
}

/** A unique file name under ops/ with the current ms (bumped on a collision). */
async function createEmptyFile(dir: string, prefix: string): Promise<string> {
  for (let ms = Date.now(); ; ms++) {
    const relativePath = `ops/${prefix}${ms}.jsonl`;
    try {
      await writeFile(join(dir, relativePath), "", { encoding: "utf-8", flag: "wx" });
      return relativePath;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
}

export class FsBackend implements StorageBackend, TailingBackend {
  private dir = "";

  async initialize(dir: string, opts: { readOnly: boolean }): Promise<void> {
    this.dir = dir;
    if (opts.readOnly) return; // read-only never writes, not even a directory
    for (const sub of ["snapshots", "ops", "archive"]) await mkdir(join(dir, sub), { recursive: true });
  }

  async shutdown(): Promise<void> {}

  readManifest(): Promise<Manifest | null> {
    return readManifest(this.dir);
  }

  writeManifest(manifest: Manifest): Promise<void> {
    return writeManifest(this.dir, manifest);
  }

  writeSnapshot(records: Map<string, unknown>, version: number): Promise<string> {
    return writeSnapshot(this.dir, records, version);
  }

  loadSnapshot(relativePath: string): Promise<{ records: Map<string, unknown>; version: number }> {
    return loadSnapshot(this.dir, relativePath);
  }

  appendOps(relativePath: string, ops: Operation[]): Promise<void> {
    const path = join(this.dir, relativePath);
    return ops.length === 1 ? appendOp(path, ops[0]) : appendOps(path, ops);
  }

  readOps(relativePath: string): Promise<Operation[]> {
    return readOps(join(this.dir, relativePath));
  }

  async readOpsFrom(relativePath: string, offset: number, firstLine: number, report?: SkipReporter): Promise<WalChunk> {
    let fh: FileHandle;
    try {
      fh = await open(join(this.dir, relativePath), "r");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw unreadableWal(join(this.dir, relativePath), err);
      return { ops: [], end: offset, lines: 0, pending: 0 };
    }
    try {
      const { size } = await fh.stat();
      if (size < offset) return { ops: [], end: -1, lines: 0, pending: 0 }; // shrank (an undo elsewhere): caller reloads
      if (size === offset) return { ops: [], end: offset, lines: 0, pending: 0 };
      const buffer = Buffer.alloc(size - offset);
      await fh.read(buffer, 0, buffer.length, offset);
      // Not final: a partial last line may still be being written; leave it for the next read.
      const chunk = parseWalBuffer(buffer, relativePath, firstLine, false, report);
      return { ops: chunk.ops, end: offset + chunk.end, lines: chunk.lines, pending: chunk.pending };
    } finally {
      await fh.close();
    }
  }

  truncateLastOp(relativePath: string): Promise<boolean> {
    return truncateLastOp(join(this.dir, relativePath));
  }

  createOpsFile(): Promise<string> {
    return createEmptyFile(this.dir, "ops-");
  }

  writeArchiveSegment(period: string, records: Map<string, unknown>): Promise<string> {
    return writeArchiveSegment(this.dir, period, records);
  }

  loadArchiveSegment(relativePath: string): Promise<Map<string, unknown>> {
    return loadArchiveSegment(this.dir, relativePath);
  }

  listArchiveSegments(): Promise<string[]> {
    return listArchiveSegments(this.dir);
  }

  async acquireLock(): Promise<LockHandle> {
    return new FsLockHandle(await acquireLock(this.dir), this.dir);
  }

  releaseLock(handle: LockHandle): Promise<void> {
    const fsHandle = handle as FsLockHandle;
    return releaseLock(fsHandle.dir, fsHandle.fh);
  }

  createAgentOpsFile(agentId: string): Promise<string> {
    return createEmptyFile(this.dir, `agent-${agentId}-`);
  }

  async listOpsFiles(): Promise<string[]> {
    try {
      const files = await readdir(join(this.dir, "ops"));
      return files.filter((f) => f.endsWith(".jsonl")).map((f) => `ops/${f}`);
    } catch {
      return [];
    }
  }

  async acquireCompactionLock(): Promise<LockHandle> {
    const lockPath = join(this.dir, ".compact-lock");
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fh = await open(lockPath, "wx"); // O_EXCL: one compactor at a time
        await fh.writeFile(String(process.pid), "utf-8");
        return new FsLockHandle(fh, this.dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
      const pid = await readLockPid(lockPath);
      if (pid === null || isProcessAlive(pid)) {
        const who = pid === null ? "another agent" : `another agent (process ${pid})`;
        throw new OpslogError("compaction-locked", `Compaction lock held by ${who}: ${lockPath}`, { file: lockPath });
      }
      await unlink(lockPath).catch(() => {}); // stale: its holder crashed
    }
    throw new OpslogError("compaction-locked", `Compaction lock held by another agent: ${lockPath}`, { file: lockPath });
  }

  async releaseCompactionLock(handle: LockHandle): Promise<void> {
    const fsHandle = handle as FsLockHandle;
    await fsHandle.fh.close();
    await unlink(join(fsHandle.dir, ".compact-lock")).catch(() => {});
  }

  async getManifestVersion(): Promise<string | null> {
    try {
      return (await stat(join(this.dir, "manifest.json"))).mtimeMs.toString();
    } catch {
      return null;
    }
  }
}
