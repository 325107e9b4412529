/**
 * manifest.json: which snapshot and which WAL file(s) are current.
 * Written atomically: write manifest.json.tmp, then rename over the old one,
 * so a reader sees the old manifest or the new one, never half of either.
 */
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
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
  try {
    return validateManifest(raw);
  } catch (err) {
    throw new OpslogError("bad-manifest", `${path}: ${(err as Error).message}.`, { file: path, cause: err });
  }
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
