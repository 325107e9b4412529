/**
 * manifest.json: which snapshot and which WAL file(s) are current.
 * Written atomically: write manifest.json.tmp, then rename over the old one,
 * so a reader sees the old manifest or the new one, never half of either.
 * Every path it names must stay inside the store folder (relative, no "..",
 * no symbolic link leading out): a crafted manifest must not make a writer
 * append, or a reader read, anywhere else.
 */
import { readFile, realpath, rename, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { OpslogError } from "./errors.js";
import { validateManifest } from "./validate.js";
import type { Manifest } from "./types.js";

const MANIFEST_FILE = "manifest.json";

/** The manifest, or null for a fresh directory. A damaged one throws, saying what is wrong. */
export async function readManifest(dir: string): Promise<Manifest | null> {
  const path = join(dir, MANIFEST_FILE);
  let content: string;
  try {
    content = await readFile(path, "utf-8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch (err) {
    throw new OpslogError("bad-manifest", `${path} is not valid JSON (${(err as Error).message}). If manifest.json.tmp exists beside it, a write was interrupted: inspect both before renaming.`, { file: path, cause: err });
  }
  let manifest: Manifest;
  try {
    manifest = validateManifest(raw);
  } catch (err) {
    throw new OpslogError("bad-manifest", `${path}: ${(err as Error).message}.`, { file: path, cause: err });
  }
  await checkManifestPaths(dir, manifest);
  return manifest;
}

/** Each path field of a manifest, named as the user would find it in the file. */
export function manifestPaths(manifest: Manifest): [field: string, value: string][] {
  const out: [string, string][] = [["currentSnapshot", manifest.currentSnapshot], ["activeOps", manifest.activeOps]];
  for (const [agent, path] of Object.entries(manifest.activeAgentOps ?? {})) out.push([`activeAgentOps[${JSON.stringify(agent)}]`, path]);
  manifest.archiveSegments.forEach((path, i) => out.push([`archiveSegments[${i}]`, path]));
  return out;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * Throws bad-manifest, naming the field and its value, if a path of the
 * manifest is absolute, climbs out of `dir`, or leads out through a symbolic
 * link (checked on the deepest part of the path that exists). Reads no file.
 */
export async function checkManifestPaths(dir: string, manifest: Manifest): Promise<void> {
  const file = join(dir, MANIFEST_FILE);
  const outside = (field: string, value: string, how: string) =>
    new OpslogError("bad-manifest", `${file}: ${field} is ${JSON.stringify(value)}, which ${how}. Paths in manifest.json must stay inside the store folder (e.g. "ops/ops-1700000000000.jsonl"); nothing was read or written through it. Fix the field, or restore manifest.json from a backup.`, { file });
  const root = resolve(dir);
  let realRoot: string | null = null;
  for (const [field, value] of manifestPaths(manifest)) {
    if (isAbsolute(value) || /^[a-zA-Z]:[\\/]/.test(value)) throw outside(field, value, "is an absolute path");
    const target = resolve(root, value);
    if (!isInside(root, target)) throw outside(field, value, `points outside the store folder ${root}`);
    realRoot ??= await realpath(root).catch(() => root);
    const real = await realExisting(target, root);
    if (real !== null && !isInside(realRoot, real) && real !== realRoot) throw outside(field, value, `leads outside the store folder through a symbolic link (to ${real})`);
  }
}

/** The real path of `path`, or of its deepest existing ancestor below `root`; null if none exists. */
async function realExisting(path: string, root: string): Promise<string | null> {
  for (let at = path; at !== root && isInside(root, at); at = dirname(at)) {
    try {
      return await realpath(at);
    } catch {
      // not there (yet): a writer would create it in the folder above
    }
  }
  return null;
}

export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  const path = join(dir, MANIFEST_FILE);
  const tmpPath = path + ".tmp";
  await writeFile(tmpPath, JSON.stringify(manifest, null, 2), "utf-8");
  await rename(tmpPath, path); // atomic replace
}

export function createDefaultManifest(snapshotPath: string, opsPath: string): Manifest {
  const now = new Date().toISOString();
  return {
    version: 1,
    currentSnapshot: snapshotPath,
    activeOps: opsPath,
    archiveSegments: [],
    stats: { activeRecords: 0, archivedRecords: 0, opsCount: 0, created: now, lastCheckpoint: now },
  };
}
