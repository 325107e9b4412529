/**
 * "Export the state at this position as a new store": the records alive at a
 * timeline position, written into a NEW folder as a fresh opslog store (one
 * JSON snapshot, an empty single-writer WAL, a manifest naming both), which
 * opslog 0.3.0 and the newest release both open. The source store is only
 * read (pages from the inspector); the snapshot is streamed a page at a time.
 * Archived records are not part of a state, so the new store has no archive.
 * The manifest is written last, by rename: until it exists the folder is not
 * a store, and a failed export removes what it wrote.
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join, relative, resolve, isAbsolute } from "node:path";
import { OpslogError } from "../errors.js";
import { createDefaultManifest, writeManifest } from "../manifest.js";
import { exportPages } from "./export.js";
import type { InspectorApi } from "./api.js";
import type { RecordRow } from "./types.js";

export interface StoreExport {
  dir: string;
  records: number;
  snapshot: string;
  wal: string;
}

/** The folder to write to: absent (made) or empty, and not inside the store being read. */
async function checkTarget(target: string, source: string): Promise<{ made: boolean }> {
  const inside = relative(resolve(source), target);
  if (inside === "" || (!inside.startsWith("..") && !isAbsolute(inside))) {
    throw new OpslogError("bad-argument", `${target} is inside the store being read; choose a folder outside it, so that the store is not touched.`, { file: target });
  }
  const info = await stat(target).catch(() => null);
  if (!info) {
    await mkdir(target, { recursive: true });
    return { made: true };
  }
  if (!info.isDirectory()) throw new OpslogError("bad-argument", `${target} is a file; choose a new or empty folder for the new store.`, { file: target });
  if ((await readdir(target)).length > 0) throw new OpslogError("bad-argument", `${target} is not empty; choose a new or empty folder, so that nothing in it is overwritten.`, { file: target });
  return { made: false };
}

/** The state's records as a JSON snapshot ({version, timestamp, records}), streamed with backpressure. */
async function writeSnapshotFrom(pages: AsyncIterable<RecordRow[]>, path: string, version: number): Promise<number> {
  const tmpPath = path + ".tmp";
  const out = createWriteStream(tmpPath, "utf-8");
  const failed = once(out, "error").then(([err]) => Promise.reject(err as Error));
  failed.catch(() => {});
  let count = 0;
  let chunk = JSON.stringify({ version, timestamp: new Date().toISOString() }).slice(0, -1) + ',"records":{';
  try {
    for await (const rows of pages) {
      for (const row of rows) chunk += (count++ === 0 ? "\n" : ",\n") + JSON.stringify(row.id) + ":" + JSON.stringify(row.data);
      if (!out.write(chunk)) await Promise.race([once(out, "drain"), failed]);
      chunk = "";
    }
    out.end(chunk + "\n}}\n");
    await Promise.race([once(out, "finish"), failed]);
  } catch (err) {
    out.destroy();
    throw err;
  }
  await rename(tmpPath, path); // a snapshot is whole under its name or absent
  return count;
}

/** Write the state after `at` ops (default: now) of the inspected store as a new store in `target`. */
export async function exportStore(inspector: InspectorApi, target: string, at?: number): Promise<StoreExport> {
  const dir = resolve(target);
  const summary = await inspector.summary();
  const total = (await inspector.timelineInfo()).total;
  const pos = at ?? total;
  if (!Number.isInteger(pos) || pos < 0 || pos > total) throw new OpslogError("bad-argument", `Position ${pos} is outside the timeline (0..${total}).`);
  const { made } = await checkTarget(dir, inspector.dir);
  const stamp = Date.now();
  const snapshot = `snapshots/snap-${stamp}.json`;
  const wal = `ops/ops-${stamp}.jsonl`;
  try {
    await mkdir(join(dir, "snapshots"));
    await mkdir(join(dir, "ops"));
    await mkdir(join(dir, "archive"));
    const records = await writeSnapshotFrom(exportPages(inspector, { kind: "records", at: pos }) as AsyncIterable<RecordRow[]>, join(dir, snapshot), summary.manifest?.version ?? 1);
    await writeFile(join(dir, wal), "", { flag: "wx" });
    const manifest = createDefaultManifest(snapshot, wal);
    manifest.version = summary.manifest?.version ?? 1;
    manifest.stats.activeRecords = records;
    await writeManifest(dir, manifest);
    return { dir, records, snapshot, wal };
  } catch (err) {
    // Leave the folder as it was: gone if this export made it, empty if it was.
    if (made) await rm(dir, { recursive: true, force: true });
    else for (const name of await readdir(dir).catch(() => [])) await rm(join(dir, name), { recursive: true, force: true });
    throw err;
  }
}
