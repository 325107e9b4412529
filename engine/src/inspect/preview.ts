/**
 * The first records of the current snapshot, read from the start of its file
 * (PREVIEW_BYTES at most, never the whole file): something true to show while
 * the index of a big store builds. Which snapshot forms allow it (FORMAT.md):
 * - JSONL (opslog 0.7+): a header line, then one `{id, data}` per line.
 * - JSON written one record per line (this project's writer): a first line
 *   ending in `"records":{`, then `"id":{…},` per line.
 * - Any snapshot small enough to be read whole within PREVIEW_BYTES.
 * Other JSON forms (compact on one line, or pretty-printed) can be read only
 * whole: the preview says so. The WALs named by the manifest are not
 * applied: the preview names them and their size. Reads only.
 */
import { open, stat } from "node:fs/promises";
import { join } from "node:path";
import { readManifestTolerantly } from "./scan.js";
import type { Doc } from "./types.js";

export interface SnapshotPreview {
  /** The current snapshot's path, relative to the store */
  snapshot: string;
  /** The time the snapshot was taken, when its first line says */
  timestamp: string | null;
  format: "jsonl" | "json" | null;
  /** Its first records, in file order */
  rows: { id: string; value: Doc }[];
  /** Whether rows are every record of the snapshot (it was read to its end) */
  complete: boolean;
  /** Why there are no rows, in the user's words; null when there are */
  unavailable: string | null;
  /** The WALs the manifest names (their ops are not applied to rows), and their size */
  walFiles: number;
  walBytes: number;
}

const PREVIEW_BYTES = 64 * 1024;
export const PREVIEW_ROWS = 200;

const isDoc = (v: unknown): v is Doc => typeof v === "object" && v !== null && !Array.isArray(v);

export async function previewSnapshot(dir: string, limit = PREVIEW_ROWS): Promise<SnapshotPreview> {
  const { manifest } = await readManifestTolerantly(dir);
  const wals = manifest.activeAgentOps ? Object.values(manifest.activeAgentOps) : [manifest.activeOps];
  const sizes = await Promise.all(wals.map((wal) => stat(join(dir, wal)).then((s) => s.size, () => 0)));
  const base = { snapshot: manifest.currentSnapshot, walFiles: wals.length, walBytes: sizes.reduce((a, b) => a + b, 0) };
  let head: { text: string; whole: boolean };
  try {
    head = await readHead(join(dir, manifest.currentSnapshot));
  } catch (err) {
    return { ...base, timestamp: null, format: null, rows: [], complete: false, unavailable: `The snapshot could not be read (${(err as Error).message}): records appear when indexing completes.` };
  }
  return { ...base, ...parseHead(head.text, head.whole, limit) };
}

/** The file's first PREVIEW_BYTES, cut after its last complete line unless the file ended. */
async function readHead(path: string): Promise<{ text: string; whole: boolean }> {
  const file = await open(path, "r");
  try {
    const buffer = Buffer.alloc(PREVIEW_BYTES);
    const { bytesRead } = await file.read(buffer, 0, PREVIEW_BYTES, 0);
    const whole = bytesRead < PREVIEW_BYTES || (await file.stat()).size === bytesRead;
    const text = buffer.subarray(0, bytesRead).toString("utf-8");
    return { text: whole ? text : text.slice(0, text.lastIndexOf("\n") + 1), whole };
  } finally {
    await file.close();
  }
}

type Parsed = Pick<SnapshotPreview, "timestamp" | "format" | "rows" | "complete" | "unavailable">;

function parseHead(text: string, whole: boolean, limit: number): Parsed {
  const lines = text.split("\n");
  const first = parseJson(lines[0]);
  if (isDoc(first) && !("records" in first)) {
    const rows: Parsed["rows"] = [];
    for (const line of lines.slice(1)) {
      if (rows.length >= limit) break;
      const entry = parseJson(line);
      if (isDoc(entry) && typeof entry.id === "string" && isDoc(entry.data)) rows.push({ id: entry.id, value: entry.data });
    }
    return { timestamp: timestampOf(first), format: "jsonl", rows, complete: whole && rows.length < limit, unavailable: null };
  }
  if (whole) {
    const all = parseJson(text);
    if (isDoc(all) && isDoc(all.records)) {
      const rows = Object.entries(all.records).slice(0, limit).filter((e): e is [string, Doc] => isDoc(e[1])).map(([id, value]) => ({ id, value }));
      return { timestamp: timestampOf(all), format: "json", rows, complete: Object.keys(all.records).length <= limit, unavailable: null };
    }
  }
  if (lines[0].endsWith('"records":{')) return recordPerLine(lines, limit);
  return { timestamp: null, format: "json", rows: [], complete: false, unavailable: "This snapshot is one JSON document (opslog before 0.7), readable only whole: its records appear when indexing completes." };
}

/** JSON with one `"id":{…},` per line after a first line opening "records". */
function recordPerLine(lines: string[], limit: number): Parsed {
  const header = parseJson(lines[0] + "}}");
  const rows: Parsed["rows"] = [];
  for (const line of lines.slice(1)) {
    if (rows.length >= limit) break;
    const entry = parseJson(`{${line.replace(/,$/, "")}}`);
    const [id, value] = isDoc(entry) ? (Object.entries(entry)[0] ?? []) : [];
    if (typeof id === "string" && isDoc(value)) rows.push({ id, value });
  }
  return { timestamp: isDoc(header) ? timestampOf(header) : null, format: "json", rows, complete: false, unavailable: null };
}

function timestampOf(doc: Doc): string | null {
  return typeof doc.timestamp === "string" ? doc.timestamp : null;
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
