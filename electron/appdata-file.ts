/**
 * One JSON file of the app data (queries.json, recent.json), changed safely
 * by every explorer that shares the folder: two windows, two servers, the app
 * and `npm run serve`. A change holds the file's lock (proper-lockfile: a
 * `<file>.lock` folder, taken over when its holder stops refreshing it),
 * reads the file as it is now, applies the change to that (so another
 * process's change is kept, not overwritten), writes a temp file of its own
 * name and renames it over the file (a reader sees the old or the new file,
 * never half of one).
 */
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import lockfile from "proper-lockfile";

// Another explorer holds the lock for a read and a write of a small file: wait for it, a few seconds at most.
const WAIT = { retries: 60, factor: 1.3, minTimeout: 5, maxTimeout: 200, randomize: true };
/** A lock not refreshed for this long is a dead holder's, and is taken over */
const STALE_MS = 10_000;

/** Run `change` holding `file`'s lock, across processes. */
export async function withFileLock<T>(file: string, change: () => Promise<T>): Promise<T> {
  await mkdir(dirname(file), { recursive: true });
  // realpath: false: the file itself may not exist yet (the first save).
  const release = await lockfile.lock(file, { realpath: false, retries: WAIT, stale: STALE_MS, lockfilePath: `${file}.lock` });
  try {
    return await change();
  } finally {
    await release().catch(() => undefined); // already released (taken over as stale): nothing of ours to undo
  }
}

/** Replace `file` with `text` in one step: a temp file named for this write alone, then a rename. */
export async function replaceFile(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}-${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temp, text);
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
