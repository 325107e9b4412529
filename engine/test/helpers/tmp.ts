// Temporary store directories and file hashes for tests.
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach } from "vitest";

const made: string[] = [];

/** A fresh empty directory, removed after the test. */
export async function tempDir(prefix = "opslog-test-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** sha256 of every file under dir (names and contents), for "nothing was written" checks. */
export async function hashTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(current: string): Promise<void> {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        out[relative(dir, path) + "/"] = "dir";
        await walk(path);
      } else out[relative(dir, path)] = createHash("sha256").update(await readFile(path)).digest("hex");
    }
  }
  await walk(dir);
  return out;
}

export function sortedEntries<T>(entries: [string, T][]): [string, T][] {
  return [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
