/**
 * Where an export lands, and how it gets there without harm.
 * - Paths are compared as real paths: the deepest part of a destination that
 *   exists is resolved through its links (a new file's parent, a new folder's
 *   nearest existing ancestor), so "/tmp/alias/x.jsonl" with /tmp/alias a link
 *   to a store is seen to be inside that store, and refused.
 * - A finished file is put in place with link() and then the temporary file is
 *   unlinked: link() fails with EEXIST where anything has appeared meanwhile,
 *   so nothing is replaced. Only an overwrite the user chose renames over it.
 */
import { constants } from "node:fs";
import { copyFile, link, realpath, rename, rm } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { OpslogError } from "../errors.js";

/** The real path `path` has or would have: its deepest existing ancestor resolved through links, the rest appended. */
export async function realDestination(path: string): Promise<string> {
  const absolute = resolve(path);
  const rest: string[] = [];
  for (let at = absolute; ; at = dirname(at)) {
    try {
      return join(await realpath(at), ...rest.reverse());
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT" || dirname(at) === at) throw err;
      rest.push(basename(at));
    }
  }
}

/** The real path of a new file: its folder resolved through links, its own name kept (a link by that name is replaced, never followed). */
export async function realNewFile(path: string): Promise<string> {
  const absolute = resolve(path);
  return join(await realDestination(dirname(absolute)), basename(absolute));
}

/** Whether `path` is `folder` or lies inside it (both absolute). */
export function isWithin(folder: string, path: string): boolean {
  const inside = relative(folder, path);
  return inside === "" || (!inside.startsWith("..") && !isAbsolute(inside));
}

/**
 * Refuse a destination (a real path) that is inside one of `stores` (folders,
 * resolved here): the store being exported, and every other store open in
 * the explorer, so that an export never writes into a store.
 */
export async function refuseInsideStores(destination: string, shown: string, stores: readonly string[]): Promise<void> {
  for (const store of stores) {
    const real = await realDestination(store).catch(() => resolve(store));
    if (isWithin(real, destination)) {
      const through = isWithin(resolve(store), resolve(shown)) ? "" : ` (through a symbolic link, it is ${destination})`;
      throw new OpslogError("bad-argument", `${shown} is inside the store ${store}${through}, which is open in the explorer; choose a place outside every open store, so that no store is touched.`, { file: shown });
    }
  }
}

/** Codes of a file system that has no hard links: the file is copied instead, still never over another. */
const NO_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EMLINK"]);

/**
 * Put the finished `tmp` at `path` (same folder) and remove `tmp`. Without
 * `overwrite`, anything already at `path` (made meanwhile by another program)
 * is kept and this fails with "bad-argument"; `tmp` is removed either way.
 */
export async function placeFile(tmp: string, path: string, options: { overwrite?: boolean } = {}): Promise<void> {
  if (options.overwrite) {
    await rename(tmp, path); // the user chose to replace it
    return;
  }
  try {
    await linkOrCopy(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    if ((err as NodeJS.ErrnoException).code === "EEXIST") {
      throw new OpslogError("bad-argument", `${path} appeared while the export was being written (another program made it); it was left as it is. Choose a new name, so that nothing is overwritten.`, { file: path });
    }
    throw err;
  }
  await rm(tmp, { force: true });
}

async function linkOrCopy(tmp: string, path: string): Promise<void> {
  try {
    await link(tmp, path); // fails with EEXIST rather than replace what is there
  } catch (err) {
    if (!NO_LINKS.has((err as NodeJS.ErrnoException).code ?? "")) throw err;
    try {
      await copyFile(tmp, path, constants.COPYFILE_EXCL);
    } catch (copyErr) {
      // A copy cut short leaves a part under the new name, which this call made (EXCL): remove it, but never a file that was there.
      if ((copyErr as NodeJS.ErrnoException).code !== "EEXIST") await rm(path, { force: true });
      throw copyErr;
    }
  }
}
