// A real full disk for tests: a small tmpfs mounted on a temporary folder
// (needs root, or CAP_SYS_ADMIN), and a filler file that takes all of its
// space but a few pages. Where mounting is impossible, mountTmpfs says why,
// so the test can skip with that reason printed.
import { execFile } from "node:child_process";
import { mkdtemp, open, rm, truncate } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface SmallDisk {
  dir: string;
  /** Unmount and remove the mount point */
  unmount(): Promise<void>;
}

/** A tmpfs of `bytes` mounted on a new temporary folder, or the reason it could not be mounted. */
export async function mountTmpfs(bytes: number): Promise<SmallDisk | { cannot: string }> {
  if (process.platform !== "linux") return { cannot: `tmpfs needs Linux (this is ${process.platform})` };
  const dir = await mkdtemp(join(tmpdir(), "opslog-explorer-tmpfs-"));
  try {
    await run("mount", ["-t", "tmpfs", "-o", `size=${bytes}`, "tmpfs", dir]);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    return { cannot: `mount -t tmpfs failed (${((err as { stderr?: string }).stderr ?? (err as Error).message).trim()}): run the tests as root to cover a real full disk` };
  }
  return {
    dir,
    unmount: async () => {
      // Lazy: a test that failed may still hold a file open there (a store's .lock); the mount goes once it is closed.
      await run("umount", ["--lazy", dir]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Fill the disk holding `dir` with `dir/filler` until it is full, then free `leave` bytes (whole pages) of it. */
export async function fillDisk(dir: string, leave: number): Promise<string> {
  const path = join(dir, "filler");
  const fh = await open(path, "w");
  const chunk = Buffer.alloc(4096, 0x2e);
  let size = 0;
  try {
    for (;;) size += (await fh.write(chunk)).bytesWritten;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOSPC") throw err;
  } finally {
    await fh.close();
  }
  await truncate(path, Math.max(0, size - leave));
  return path;
}
