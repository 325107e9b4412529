/**
 * The mirror's file work on its own folder: who owns the cache folder (an
 * owner file naming a live process), and the WAL copies' tail read, append
 * in place and cut back, each on one open file handle.
 */
import { mkdir, open, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Create `home/owner` with our pid; take it over when its process is gone. False when a live process holds it. */
export async function takeOwnership(home: string): Promise<boolean> {
  await mkdir(home, { recursive: true });
  const owner = join(home, "owner");
  try {
    await writeFile(owner, String(process.pid), { flag: "wx" });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const pid = Number(await readFile(owner, "utf-8").catch(() => ""));
  if (pid > 0 && pid !== process.pid && isAlive(pid)) return false;
  await writeFile(owner, String(process.pid)); // a crashed explorer's, or this process's from a mirror never released
  return true;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function readTail(path: string, bytes: number): Promise<Buffer | null> {
  const file = await open(path, "r").catch(() => null);
  if (!file) return null;
  try {
    const size = (await file.stat()).size;
    if (size < bytes) return null;
    const buf = Buffer.alloc(bytes);
    await file.read(buf, 0, bytes, size - bytes);
    return buf;
  } finally {
    await file.close();
  }
}

/** Write `body` at `offset`, cutting the file there first: appending in place lets the inspector's live tail pick it up. */
export async function appendAt(path: string, offset: number, body: Buffer): Promise<void> {
  const file = await open(path, "a+").then(async (f) => { await f.close(); return open(path, "r+"); });
  try {
    await file.truncate(offset);
    await file.write(body, 0, body.length, offset);
  } finally {
    await file.close();
  }
}

export async function truncateTo(path: string, size: number): Promise<void> {
  const file = await open(path, "r+").catch(() => null);
  if (!file) return;
  try {
    await file.truncate(size);
  } finally {
    await file.close();
  }
}
