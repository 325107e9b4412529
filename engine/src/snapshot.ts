/**
 * Snapshots: the full state at a checkpoint, immutable once named.
 * - Written to `<name>.tmp`, then renamed: a crash never leaves a half snapshot under its real name.
 * - Written as one JSON object (the form every opslog release reads), one
 *   record per line, streamed: a state larger than V8's longest string still writes.
 * - Reads every generation: compact or pretty-printed JSON (0.1–0.6) and JSONL (0.7+),
 *   streaming past MAX_WHOLE_FILE bytes.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { access, readFile, rename, stat } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { once } from "node:events";
import { chain } from "stream-chain";
import { parser } from "stream-json";
import { pick } from "stream-json/filters/pick.js";
import { streamObject } from "stream-json/streamers/stream-object.js";
import { OpslogError } from "./errors.js";
import { validateSnapshot } from "./validate.js";

export interface SnapshotFile {
  version: number;
  timestamp: string | null;
  records: Map<string, unknown>;
  format: "json" | "jsonl";
}

/** Files up to this size are read whole (fastest); larger ones are streamed. */
const MAX_WHOLE_FILE = 256 * 1024 * 1024;
const WRITE_CHUNK = 1024 * 1024;

/** A new, unused snapshot file name: snap-<ms>.json (bumping ms on a collision). */
export async function newSnapshotName(dir: string): Promise<string> {
  for (let ms = Date.now(); ; ms++) {
    const name = `snap-${ms}.json`;
    try {
      await access(join(dir, "snapshots", name));
    } catch {
      return name;
    }
  }
}

/** Write records as a new snapshot; returns its path relative to dir. */
export async function writeSnapshot(dir: string, records: Map<string, unknown>, version: number): Promise<string> {
  const name = await newSnapshotName(dir);
  const path = join(dir, "snapshots", name);
  const tmpPath = path + ".tmp";
  const out = createWriteStream(tmpPath, "utf-8");
  const failed = once(out, "error").then(([err]) => Promise.reject(err));
  failed.catch(() => {});
  let pending = JSON.stringify({ version, timestamp: new Date().toISOString() }).slice(0, -1) + ',"records":{';
  let first = true;
  for (const [id, data] of records) {
    pending += (first ? "\n" : ",\n") + JSON.stringify(id) + ":" + JSON.stringify(data);
    first = false;
    if (pending.length >= WRITE_CHUNK) {
      // Respect backpressure so a huge state never sits in memory twice.
      if (!out.write(pending)) await Promise.race([once(out, "drain"), failed]);
      pending = "";
    }
  }
  out.end(pending + "\n}}\n");
  await Promise.race([once(out, "finish"), failed]);
  await rename(tmpPath, path); // atomic: the snapshot appears whole or not at all
  return `snapshots/${name}`;
}

/** opslog's loadSnapshot(dir, relativePath): records and schema version. */
export async function loadSnapshot(dir: string, relativePath: string): Promise<{ records: Map<string, unknown>; version: number }> {
  const { records, version } = await readSnapshotFile(join(dir, relativePath));
  return { records, version };
}

/** Told, now and then while a snapshot is parsed a line at a time, the share of it parsed so far (0 to 1). */
export type OnShareParsed = (share: number) => void;

/** How many lines between two reports of the share parsed. */
const REPORT_LINES = 20_000;

/** Read a snapshot of any generation. A missing file rejects with the ENOENT error. */
export async function readSnapshotFile(absPath: string, onShare?: OnShareParsed): Promise<SnapshotFile> {
  const { size } = await stat(absPath);
  try {
    return size <= MAX_WHOLE_FILE ? await readWhole(absPath, onShare) : await readStreaming(absPath);
  } catch (err) {
    if (err instanceof OpslogError) throw err;
    throw new OpslogError("bad-snapshot", `Snapshot ${absPath} cannot be read: ${(err as Error).message}. Restore it from a backup, or point manifest.json at an older snapshot.`, { file: absPath, cause: err });
  }
}

async function readWhole(absPath: string, onShare?: OnShareParsed): Promise<SnapshotFile> {
  const content = await readFile(absPath, "utf-8");
  const firstNewline = content.indexOf("\n");
  const header = tryParse(firstNewline === -1 ? content : content.slice(0, firstNewline));
  if (header && !("records" in header)) return fromJsonlText(content, header, absPath, onShare);
  const own = firstNewline === -1 ? null : fromOwnLineText(content, firstNewline, onShare);
  if (own) return own;
  const snapshot = validateSnapshot(header ?? JSON.parse(content));
  return { version: snapshot.version, timestamp: snapshot.timestamp, records: toMap(snapshot.records), format: "json" };
}

/**
 * This engine's own form (header line, one `"id":{...},` per line, `}}`),
 * parsed a line at a time: one JSON.parse of a million-key object builds a
 * slow dictionary first. Null if the text is not exactly in that form (the
 * caller then parses it whole, as before).
 */
function fromOwnLineText(content: string, firstNewline: number, onShare?: OnShareParsed): SnapshotFile | null {
  const first = content.slice(0, firstNewline);
  if (!first.endsWith('"records":{')) return null;
  const head = tryParse(first + "}}");
  if (!head) return null;
  const header = validateSnapshot(head);
  const records = new Map<string, unknown>();
  let start = firstNewline + 1;
  let sawRecord = false;
  let commaOwed = false; // the last record line ended with a comma: another record must follow
  try {
    for (;;) {
      let end = content.indexOf("\n", start);
      if (end === -1) end = content.length;
      const line = content.slice(start, end);
      if (line === "}}") {
        const whole = !commaOwed && content.slice(end).trim() === "";
        return whole ? { version: header.version, timestamp: header.timestamp, records: inObjectOrder(records), format: "json" } : null;
      }
      if (end === content.length || (sawRecord && !commaOwed)) return null;
      sawRecord = true;
      if (onShare && records.size % REPORT_LINES === 0) onShare(start / content.length);
      commaOwed = line.endsWith(",");
      const body = commaOwed ? line.slice(0, -1) : line;
      const quote = body.charCodeAt(0) === 0x22 ? body.indexOf('"', 1) : -1;
      if (quote === -1 || body.charCodeAt(quote + 1) !== 0x3a /* : */) return null;
      const id = body.slice(1, quote);
      if (isPlainId(id)) records.set(id, JSON.parse(body.slice(quote + 2)));
      else {
        // Escapes or control characters in the id: JSON.parse reads it, as the one key of one object.
        const one = JSON.parse("{" + body + "}") as Record<string, unknown>;
        const keys = Object.keys(one);
        if (keys.length !== 1) return null;
        records.set(keys[0], one[keys[0]]);
      }
      start = end + 1;
    }
  } catch {
    return null; // not one record a line after all
  }
}

/**
 * The records in the order JSON.parse's object would list them (the order
 * opslog iterates a snapshot in): ids that are array indexes first, by value.
 */
function inObjectOrder(records: Map<string, unknown>): Map<string, unknown> {
  const indexes: string[] = [];
  for (const id of records.keys()) if (isArrayIndex(id)) indexes.push(id);
  if (indexes.length === 0) return records;
  indexes.sort((a, b) => Number(a) - Number(b));
  const ordered = new Map<string, unknown>();
  for (const id of indexes) ordered.set(id, records.get(id));
  for (const [id, value] of records) if (!ordered.has(id)) ordered.set(id, value);
  return ordered;
}

function isArrayIndex(id: string): boolean {
  const c = id.charCodeAt(0);
  if (c < 0x30 || c > 0x39 || (c === 0x30 && id.length > 1) || id.length > 10) return false;
  if (!/^\d+$/.test(id)) return false;
  return Number(id) < 4294967295;
}

/** An id written as is between its quotes: no escapes, no control characters. */
function isPlainId(id: string): boolean {
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c < 0x20 || c === 0x5c /* backslash */) return false;
  }
  return true;
}

function fromJsonlText(content: string, header: Record<string, unknown>, absPath: string, onShare?: OnShareParsed): SnapshotFile {
  const records = new Map<string, unknown>();
  let lineNo = 1;
  let start = content.indexOf("\n") + 1;
  while (start > 0 && start < content.length) {
    let end = content.indexOf("\n", start);
    if (end === -1) end = content.length;
    lineNo++;
    if (onShare && lineNo % REPORT_LINES === 0) onShare(start / content.length);
    const line = content.slice(start, end).trim();
    if (line) addJsonlEntry(records, line, absPath, lineNo);
    start = end + 1;
  }
  return jsonlResult(header, records, absPath);
}

function addJsonlEntry(records: Map<string, unknown>, line: string, absPath: string, lineNo: number): void {
  let entry: { id?: unknown; data?: unknown };
  try {
    entry = JSON.parse(line);
  } catch (err) {
    throw new OpslogError("bad-snapshot", `Snapshot ${absPath}, line ${lineNo}: not JSON (${(err as Error).message}).`, { file: absPath, line: lineNo });
  }
  if (typeof entry.id !== "string") {
    throw new OpslogError("bad-snapshot", `Snapshot ${absPath}, line ${lineNo}: a record line needs a string "id".`, { file: absPath, line: lineNo });
  }
  records.set(entry.id, entry.data);
}

function jsonlResult(header: Record<string, unknown>, records: Map<string, unknown>, absPath: string): SnapshotFile {
  if (typeof header.version !== "number") {
    throw new OpslogError("bad-snapshot", `Snapshot ${absPath}: the first line has no numeric "version".`, { file: absPath, line: 1 });
  }
  const timestamp = typeof header.timestamp === "string" ? header.timestamp : null;
  return { version: header.version, timestamp, records, format: "jsonl" };
}

async function readStreaming(absPath: string): Promise<SnapshotFile> {
  const lines = createInterface({ input: createReadStream(absPath, "utf-8"), crlfDelay: Infinity });
  const iterator = lines[Symbol.asyncIterator]();
  const first = (await iterator.next()).value as string | undefined;
  const header = first === undefined ? null : tryParse(first);
  if (header && !("records" in header)) {
    const records = new Map<string, unknown>();
    let lineNo = 1;
    for await (const line of { [Symbol.asyncIterator]: () => iterator }) {
      lineNo++;
      if (line.trim()) addJsonlEntry(records, line.trim(), absPath, lineNo);
    }
    return jsonlResult(header, records, absPath);
  }
  lines.close();
  if (first !== undefined && first.endsWith('"records":{')) return readOwnLineFormat(absPath, first);
  return readWithTokenStream(absPath);
}

/** This engine's own form: header line, then one `"id":{...},` per line, then `}}`. */
async function readOwnLineFormat(absPath: string, first: string): Promise<SnapshotFile> {
  const header = validateSnapshot(JSON.parse(first + "}}"));
  const records = new Map<string, unknown>();
  const lines = createInterface({ input: createReadStream(absPath, "utf-8"), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const raw of lines) {
    if (++lineNo === 1) continue;
    const line = raw.endsWith(",") ? raw.slice(0, -1) : raw;
    if (line === "}}" || line === "") continue;
    const one = JSON.parse("{" + line + "}") as Record<string, unknown>;
    for (const id in one) records.set(id, one[id]);
  }
  return { version: header.version, timestamp: header.timestamp, records, format: "json" };
}

/** Any other huge single-object JSON (e.g. pretty-printed): a token stream over "records". */
async function readWithTokenStream(absPath: string): Promise<SnapshotFile> {
  const records = new Map<string, unknown>();
  const pipeline = chain([createReadStream(absPath), parser(), pick({ filter: "records" }), streamObject()]);
  pipeline.on("data", ({ key, value }: { key: string; value: unknown }) => records.set(key, value));
  await once(pipeline, "end");
  const head = await readHead(absPath);
  return { version: head.version, timestamp: head.timestamp, records, format: "json" };
}

async function readHead(absPath: string): Promise<{ version: number; timestamp: string | null }> {
  const head: { version?: number; timestamp?: string } = {};
  for (const key of ["version", "timestamp"] as const) {
    const pipeline = chain([createReadStream(absPath), parser(), pick({ filter: key, once: true })]);
    pipeline.on("data", (token: { name: string; value: string }) => {
      if (token.name === "numberValue") head.version = Number(token.value);
      if (token.name === "stringValue") head.timestamp = token.value;
    });
    await once(pipeline, "end");
  }
  if (typeof head.version !== "number") throw new Error('no numeric "version"');
  return { version: head.version, timestamp: head.timestamp ?? null };
}

function tryParse(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function toMap(records: Record<string, unknown>): Map<string, unknown> {
  const map = new Map<string, unknown>();
  for (const id in records) map.set(id, records[id]);
  return map;
}
