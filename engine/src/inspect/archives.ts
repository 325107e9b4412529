/**
 * The archive segments as they read now: each one's facts, and its records
 * by page. A segment is read once and kept while its file stays the same
 * (identity, size, times); one that cannot be read says why, once, however
 * often it is asked for.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { readArchiveSegmentFile } from "../archive.js";
import { OpslogError } from "../errors.js";
import type { QueryContext } from "./context.js";
import { filterInChunks } from "./checkpoint.js";
import { page } from "./context.js";
import { compileFilter } from "./filter.js";
import { compareIds } from "./versions.js";
import type { ArchivePageRequest, ArchiveSegmentInfo, Doc, Page, RecordRow } from "./types.js";

/** An archive segment as read: its records, or why it could not be read. */
export interface ArchiveEntry {
  records: RecordRow[];
  error: string | null;
  info: ArchiveSegmentInfo;
}

/** Every segment on disk, as it reads now. */
export async function archiveEntries(ctx: QueryContext): Promise<ArchiveEntry[]> {
  const out: ArchiveEntry[] = [];
  for (const file of ctx.archiveFiles()) out.push(await loadArchive(ctx, file.path, file.named));
  return out;
}

/** A segment as it reads now, from the cache while its file is unchanged. */
async function loadArchive(ctx: QueryContext, path: string, named: boolean): Promise<ArchiveEntry> {
  const full = join(ctx.dir, path);
  const info = await stat(full).catch(() => null);
  if (!info) throw new OpslogError("missing-file", `Archive segment ${path} is missing.`, { file: path });
  const key = `${info.ino}/${info.size}/${info.mtimeMs}/${info.ctimeMs}/${named}`;
  const cached = ctx.caches.get<ArchiveEntry>(`archive:${path}`, key);
  if (cached) return cached;
  let entry: ArchiveEntry;
  try {
    const segment = await readArchiveSegmentFile(full);
    const records = Object.keys(segment.records).sort(compareIds).map((id) => ({ id, data: segment.records[id] as Doc }));
    entry = { records, error: null, info: { path, period: segment.period, timestamp: segment.timestamp, records: records.length, bytes: info.size, named } };
  } catch (err) {
    entry = { records: [], error: (err as Error).message, info: { path, period: path.replace(/^archive\/archive-|\.json$/g, ""), timestamp: null, records: 0, bytes: info.size, named } };
  }
  return ctx.caches.set(`archive:${path}`, key, entry);
}

async function archiveSegments(ctx: QueryContext): Promise<ArchiveSegmentInfo[]> {
  return (await archiveEntries(ctx)).map((a) => a.info);
}

async function archivePage(ctx: QueryContext, req: ArchivePageRequest, signal?: AbortSignal): Promise<Page<RecordRow>> {
  const { path } = req;
  const file = ctx.archiveFiles().find((a) => a.path === path);
  if (!file) throw new OpslogError("not-found", `No archive segment ${path} in this store.`);
  let rows = (await loadArchive(ctx, path, file.named)).records;
  const predicate = compileFilter(req.filter);
  if (predicate) rows = await filterInChunks(rows, (r) => predicate(r.data), signal);
  if (req.idContains) rows = rows.filter((r) => r.id.includes(req.idContains!));
  return page(rows, req);
}

/** The archive segments, and one segment's records (filtered, by page). */
export const archiveQueries = { archiveSegments, archivePage };
