/**
 * The export calls over the window's store (declared in export-calls.ts).
 * An export never writes to the store: a read-only session may export. It is
 * written where the user says (the save dialog in the desktop app, a `path`
 * or `dir` otherwise) through a temporary file put in place at the end, so a
 * failed export leaves no half file, and never over a file that is there
 * (unless the user chose to overwrite it in the save dialog). It never lands
 * inside an open store: paths are compared with every store open in this
 * process, links resolved. In browser mode it is a download (export.download,
 * which serve.ts streams to the browser like any download call). Either way, one
 * page of rows at a time, with backpressure: a million records never sit in
 * memory at once.
 */
import { once } from "node:events";
import { lstat, open, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import type { Writable } from "node:stream";
import type { z } from "zod";
import { OpslogError } from "../engine/src/errors.js";
import { exportFileName, exportText } from "../engine/src/inspect/index.js";
import type { ExportFormat, ExportSource } from "../engine/src/inspect/index.js";
import { exportStore } from "../engine/src/inspect/index.js";
import { placeFile, realNewFile, refuseInsideStores } from "../engine/src/inspect/export-target.js";
import { openStoreFolders } from "./open-stores.js";
import type { InspectorApi } from "../engine/src/inspect/index.js";
import type { Download, EXPORT_CALLS, ExportCallResults } from "./export-calls.js";
import type { ExplorerSession } from "./session.js";

/** The desktop app's dialogs for choosing where an export goes; absent in browser mode and in tests. */
export interface ExportDialogs {
  /** A file to save to (the dialog asks before overwriting); null = cancelled */
  saveFile(defaultName: string): Promise<string | null>;
  /** A folder for a new store (made in the dialog, or empty); null = cancelled */
  newStoreFolder(): Promise<string | null>;
}

type Args = { [N in keyof typeof EXPORT_CALLS]: z.output<(typeof EXPORT_CALLS)[N]["schema"]> };
type ExportHandlers = { [N in keyof ExportCallResults]: (arg: Args[N]) => Promise<ExportCallResults[N]> };

/** Write the chunks to `out`, waiting whenever it is full; the byte count written. */
export async function pump(chunks: AsyncIterable<string>, out: Writable): Promise<number> {
  let bytes = 0;
  const failed = once(out, "error").then(([err]) => Promise.reject(err as Error));
  failed.catch(() => {});
  // A download the browser gave up on closes without an error: stop there rather than wait for a drain that never comes.
  const gone = () => out.errored ?? new Error("the export's destination closed before it was complete");
  const closed = once(out, "close").then(() => Promise.reject(gone()));
  closed.catch(() => {});
  for await (const chunk of chunks) {
    if (out.destroyed) throw gone(); // its own error (a folder that does not exist) when it had one
    const buffer = Buffer.from(chunk, "utf-8");
    bytes += buffer.length;
    if (!out.write(buffer)) await Promise.race([once(out, "drain"), failed, closed]);
  }
  out.end();
  await Promise.race([once(out, "finish"), failed, closed]);
  return bytes;
}

export interface ExportFileOptions {
  /** The user chose to replace the file at `path` (the save dialog asked): else an existing file is never replaced */
  overwrite?: boolean;
  /** Folders of the other stores open in the explorer, besides the one exported */
  openStores?: readonly string[];
  /** CSV cells that a spreadsheet would run as a formula get a leading ' (OWASP); on unless false */
  csvFormulaGuard?: boolean;
}

/** Write an export to `path` through a temporary file beside it, put in place once complete. */
export async function writeExportFile(inspector: InspectorApi, source: ExportSource, format: ExportFormat, path: string, options: ExportFileOptions = {}): Promise<{ rows: number; bytes: number; fieldsLeftOut: number }> {
  const real = await realNewFile(path); // a folder that does not exist is resolved as far as it goes; making the file fails below
  await refuseInsideStores(real, path, [inspector.dir, ...(options.openStores ?? [])]);
  const tmp = join(dirname(real), `.${basename(real)}.${process.pid}.tmp`);
  let rows = 0;
  let fieldsLeftOut = 0;
  let out: Writable | null = null;
  let made = false;
  try {
    const file = await open(tmp, "wx"); // a folder that does not exist fails here, before a page is read
    made = true;
    out = file.createWriteStream();
    const bytes = await pump(exportText(inspector, source, format, { onRows: (n) => (rows += n), csvFormulaGuard: options.csvFormulaGuard ?? true, onFieldsLeftOut: (n) => (fieldsLeftOut = n) }), out);
    await placeFile(tmp, real, { overwrite: options.overwrite });
    return { rows, bytes, fieldsLeftOut };
  } catch (err) {
    out?.destroy(); // closes the file: a source that failed midway (a timeout) leaves no open handle
    if (made) await rm(tmp, { force: true });
    throw err;
  }
}

/** Whether anything is at `path`, a link too (even one that leads nowhere). */
async function exists(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => null)) !== null;
}

/** The calls' implementations, for own-calls.ts; `session` throws when no store is open. */
export function exportHandlers(session: () => ExplorerSession, dialogsNow: () => ExportDialogs | undefined): ExportHandlers {
  return {
    "export.save": async (a) => {
      const inspector = await wholeStore(session());
      const dialogs = dialogsNow();
      let path = a.path ? resolve(a.path) : null;
      let overwrite = false;
      if (path) {
        if (await exists(path)) throw new OpslogError("bad-argument", `${path} already exists; choose a new name, so that nothing is overwritten.`, { file: path });
      } else if (dialogs) {
        path = await dialogs.saveFile(exportFileName(a.source, a.format));
        overwrite = path !== null && (await exists(path)); // the dialog asked the user before answering with a file that is there
      } else throw new OpslogError("bad-argument", "Name the file to export to: there is no save dialog here (in browser mode the export is a download).");
      if (!path) return { path: null, rows: 0, bytes: 0, fieldsLeftOut: 0 };
      return { path, ...(await writeExportFile(inspector, a.source, a.format, path, { overwrite, openStores: openStoreFolders(), csvFormulaGuard: a.csvFormulaGuard })) };
    },
    "export.store": async (a) => {
      const inspector = await wholeStore(session());
      const dialogs = dialogsNow();
      const dir = a.dir ?? (dialogs ? await dialogs.newStoreFolder() : null);
      if (!dir) {
        if (dialogs) return { dir: null, records: 0 };
        throw new OpslogError("bad-argument", "Name a new or empty folder for the new store.");
      }
      const written = await exportStore(inspector, dir, a.at, { openStores: openStoreFolders() });
      return { dir: written.dir, records: written.records };
    },
    "export.download": async (a) => exportDownload(await wholeStore(session()), a.source, a.format, a.csvFormulaGuard ?? true),
  };
}

/** The session's inspector once its history is in: an export speaks for the whole store, never for the current period alone. */
async function wholeStore(session: ExplorerSession): Promise<ExplorerSession["inspector"]> {
  await session.whole();
  return session.inspector;
}

const CONTENT_TYPES: Record<ExportFormat, string> = { csv: "text/csv; charset=utf-8", json: "application/json; charset=utf-8", jsonl: "application/x-ndjson; charset=utf-8" };

/**
 * An export as a download: its first chunk is made here, so that what fails
 * before a byte is sent (no store, a bad filter) is an ordinary error answer;
 * a CSV with named columns that leaves fields out says how many in the
 * header x-export-fields-left-out.
 */
async function exportDownload(inspector: InspectorApi, source: ExportSource, format: ExportFormat, csvFormulaGuard: boolean): Promise<Download> {
  let fieldsLeftOut = 0;
  const chunks = exportText(inspector, source, format, { csvFormulaGuard, onFieldsLeftOut: (n) => (fieldsLeftOut = n) })[Symbol.asyncIterator]();
  const first = await chunks.next();
  const rest = (async function* () {
    if (!first.done) yield first.value;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
  })();
  return { fileName: exportFileName(source, format), contentType: CONTENT_TYPES[format], headers: { "x-export-fields-left-out": String(fieldsLeftOut) }, chunks: rest };
}
