/**
 * "Export the state at this position as a new store": the records alive at a
 * timeline position, written into a NEW folder as a fresh opslog store (one
 * JSON snapshot, an empty single-writer WAL, a manifest naming both), which
 * opslog 0.3.0 and the newest release both open. The source store is only
 * read (pages from the inspector); the snapshot is streamed a page at a time.
 * Archived records are not part of a state, so the new store has no archive.
 * The manifest is written last, without replacing anything: until it exists
 * the folder is not a store. The destination is compared by real path (links
 * resolved) with the store being read and every other open store, and
 * refused inside any of them. A failed export removes what it wrote, and only
 * that: a file another program put in the folder meanwhile stays.
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, readdir, realpath, rm, rmdir, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { OpslogError } from "../errors.js";
import { createDefaultManifest } from "../manifest.js";
import { exportPages } from "./export.js";
import { placeFile, realDestination, refuseInsideStores } from "./export-target.js";
import type { InspectorApi } from "./api.js";
import type { RecordRow } from "./types.js";

export interface StoreExport {
  dir: string;
  records: number;
  snapshot: string;
  wal: string;
}

export interface StoreExportOptions {
  /** Folders of the other stores open in the explorer: the new store must not land inside any of them */
  openStores?: readonly string[];
}

/** What this export made, in order, so that a failure removes exactly that. */
class Made {
  private paths: { path: string; folder: boolean }[] = [];
  file(path: string): string {
    this.paths.push({ path, folder: false });
    return path;
  }
  folder(path: string): string {
    this.paths.push({ path, folder: true });
    return path;
  }
  /** Remove what was made, newest first; a folder only if it is empty (another program may have written in it). */
  async undo(): Promise<void> {
    for (const { path, folder } of this.paths.reverse()) {
      if (folder) await rmdir(path).catch(() => undefined);
      else await rm(path, { force: true });
    }
  }
}

/** The folder to write to (a real path): absent (made, with any missing parents) or empty. */
async function prepareTarget(target: string, shown: string, made: Made): Promise<void> {
  const info = await stat(target).catch(() => null);
  if (!info) {
    const first = await mkdir(target, { recursive: true });
    // Every folder from the first one made down to the target was made here.
    const folders: string[] = [];
    for (let at = target; first !== undefined && at.length >= first.length; at = dirname(at)) folders.unshift(at);
    for (const folder of folders) made.folder(folder);
    if ((await realpath(target)) !== target) throw new OpslogError("bad-argument", `${shown} changed while it was being made (a symbolic link appeared on its way); nothing was exported.`, { file: shown });
    return;
  }
  if (!info.isDirectory()) throw new OpslogError("bad-argument", `${shown} is a file; choose a new or empty folder for the new store.`, { file: shown });
  if ((await readdir(target)).length > 0) throw new OpslogError("bad-argument", `${shown} is not empty; choose a new or empty folder, so that nothing in it is overwritten.`, { file: shown });
}

/** A new file with `data`, never over one that is there; counted as made once it is created. */
async function writeNew(path: string, data: string, made: Made): Promise<void> {
  try {
    await writeFile(path, data, { encoding: "utf-8", flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") await rm(path, { force: true }); // created, then cut short (a full disk)
    throw err;
  }
  made.file(path);
}

/** The state's records as a JSON snapshot ({version, timestamp, records}), streamed with backpressure. */
async function writeSnapshotFrom(pages: AsyncIterable<RecordRow[]>, path: string, version: number, made: Made): Promise<number> {
  const tmpPath = path + ".tmp";
  const out = createWriteStream(tmpPath, { encoding: "utf-8", flags: "wx" });
  const failed = once(out, "error").then(([err]) => Promise.reject(err as Error));
  failed.catch(() => {});
  await Promise.race([once(out, "open"), failed]); // made here (wx): from now on it is this export's to remove
  made.file(tmpPath);
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
  await placeFile(tmpPath, path); // a snapshot is whole under its name or absent
  made.file(path);
  return count;
}

/** Write the state after `at` ops (default: now) of the inspected store as a new store in `target`. */
export async function exportStore(inspector: InspectorApi, target: string, at?: number, options: StoreExportOptions = {}): Promise<StoreExport> {
  const summary = await inspector.summary();
  const total = (await inspector.timelineInfo()).total;
  const pos = at ?? total;
  if (!Number.isInteger(pos) || pos < 0 || pos > total) throw new OpslogError("bad-argument", `Position ${pos} is outside the timeline (0..${total}).`);
  const dir = await realDestination(target);
  await refuseInsideStores(dir, target, [inspector.dir, ...(options.openStores ?? [])]);
  const made = new Made();
  const stamp = Date.now();
  const snapshot = `snapshots/snap-${stamp}.json`;
  const wal = `ops/ops-${stamp}.jsonl`;
  try {
    await prepareTarget(dir, target, made);
    for (const sub of ["snapshots", "ops", "archive"]) {
      await mkdir(join(dir, sub)); // fails if another program made it meanwhile: then it is not ours to remove
      made.folder(join(dir, sub));
    }
    const records = await writeSnapshotFrom(exportPages(inspector, { kind: "records", at: pos }) as AsyncIterable<RecordRow[]>, join(dir, snapshot), summary.manifest?.version ?? 1, made);
    await writeNew(join(dir, wal), "", made);
    const manifest = createDefaultManifest(snapshot, wal);
    manifest.version = summary.manifest?.version ?? 1;
    manifest.stats.activeRecords = records;
    const manifestPath = join(dir, "manifest.json");
    await writeNew(manifestPath + ".tmp", JSON.stringify(manifest, null, 2), made);
    await placeFile(manifestPath + ".tmp", manifestPath); // last: the folder becomes a store whole, or not at all
    made.file(manifestPath);
    return { dir, records, snapshot, wal };
  } catch (err) {
    await made.undo(); // only what this export made: the folder as it was, with anything others wrote since
    throw err;
  }
}
