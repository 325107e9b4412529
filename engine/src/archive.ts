/**
 * Archive segments: records moved out of the live state, one JSON file per period.
 * Archiving into an existing period merges into its file; the write is atomic
 * (tmp + rename), so a crash leaves the old segment intact.
 */
import { readFile, readdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { OpslogError } from "./errors.js";
import { validateArchiveSegment } from "./validate.js";
import type { ArchiveSegment } from "./types.js";

export async function writeArchiveSegment(dir: string, period: string, records: Map<string, unknown>): Promise<string> {
  const filename = `archive-${period}.json`;
  const path = join(dir, "archive", filename);
  let existing: Record<string, unknown> = {};
  try {
    existing = validateArchiveSegment(JSON.parse(await readFile(path, "utf-8"))).records;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const segment: ArchiveSegment<unknown> = {
    version: 1,
    period,
    timestamp: new Date().toISOString(),
    records: { ...existing, ...Object.fromEntries(records) },
  };
  const tmpPath = path + ".tmp";
  await writeFile(tmpPath, JSON.stringify(segment, null, 2), "utf-8");
  await rename(tmpPath, path); // atomic replace
  return `archive/${filename}`;
}

export async function readArchiveSegmentFile(path: string): Promise<ArchiveSegment<unknown>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, "utf-8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw err;
    throw new OpslogError("bad-archive", `Archive segment ${path} is not valid JSON (${(err as Error).message}).`, { file: path, cause: err });
  }
  try {
    return validateArchiveSegment(raw) as ArchiveSegment<unknown>;
  } catch (err) {
    throw new OpslogError("bad-archive", `${path}: ${(err as Error).message}.`, { file: path, cause: err });
  }
}

export async function loadArchiveSegment(dir: string, relativePath: string): Promise<Map<string, unknown>> {
  const segment = await readArchiveSegmentFile(join(dir, relativePath));
  return new Map(Object.entries(segment.records));
}

export async function listArchiveSegments(dir: string): Promise<string[]> {
  try {
    const files = await readdir(join(dir, "archive"));
    return files.filter((f) => f.startsWith("archive-") && f.endsWith(".json")).map((f) => `archive/${f}`);
  } catch {
    return [];
  }
}
