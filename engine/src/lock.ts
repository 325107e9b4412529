/**
 * The advisory `.lock` of single-writer mode: the holder's PID as text,
 * created with O_EXCL so two writers can't both win. A lock whose PID is no
 * longer alive is stale (a crashed writer) and is taken over.
 */
import { open, readFile, unlink } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { OpslogError } from "./errors.js";

const LOCK_FILE = ".lock";

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Read a lock file's PID; null when absent or unreadable. */
export async function readLockPid(path: string): Promise<number | null> {
  try {
    const pid = parseInt(await readFile(path, "utf-8"), 10);
    return Number.isNaN(pid) ? null : pid;
  } catch {
    return null;
  }
}

export async function acquireLock(dir: string): Promise<FileHandle> {
  const lockPath = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fh = await open(lockPath, "wx"); // O_EXCL: exactly one creator wins
      await fh.writeFile(String(process.pid), "utf-8");
      return fh;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const pid = await readLockPid(lockPath);
    if (pid !== null && isProcessAlive(pid)) {
      throw new OpslogError("locked", `Store is locked by process ${pid}. If this is stale, delete ${lockPath}`, { file: lockPath, pid });
    }
    // Stale lock (crashed writer): remove it and try again.
    await unlink(lockPath).catch(() => {});
  }
  throw new OpslogError("locked", `Could not take ${lockPath}: another process keeps re-creating it.`, { file: lockPath });
}

export async function releaseLock(dir: string, fh: FileHandle): Promise<void> {
  await fh.close();
  await unlink(join(dir, LOCK_FILE)).catch(() => {});
}
