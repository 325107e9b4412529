/**
 * The column sweep: once the index is built, a worker thread (the scan
 * worker, on the other core) reads every op's line once more and keeps the
 * short top-level values of its data (strings up to 256 characters, numbers,
 * booleans, null) as columns, one per field, so that the first filter on
 * those fields, at any position, reads nothing from disk (columns.ts). Values
 * it does not keep (objects, arrays, long strings, fields past the first 32)
 * stay NOT_KEPT and are read lazily as before. It also keeps each op's data
 * hash, so that a diff tells changed records from unchanged ones without
 * reading them (columns.ts: knownDifferent). Lines are checked to still
 * hold the op the index has (its id); if one does not, or the worker fails,
 * the sweep is dropped and every value is read lazily. Reads only.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { isAscii } from "node:buffer";
import { join } from "node:path";
import { hashValue } from "./hash.js";
import type { History } from "./history.js";
import { startEngineWorker } from "./workers.js";

/** Codes in a swept column: the field is absent from the op's data, or its value was not kept. */
export const ABSENT_FIELD = 0;
export const NOT_KEPT = -1;
/** The value is a number: in the field's `numbers` */
export const NUMBER = -2;

const MAX_FIELDS = 32;
const MAX_STRING = 256;
const READ_BYTES = 8 * 1024 * 1024;

export interface ColumnSweepRequest {
  kind: "columns";
  dir: string;
  /** Each WAL's ops to read, in file order */
  files: { path: string; offsets: Float64Array; lengths: Int32Array; recs: Int32Array }[];
  ids: string[];
}

/** One field's values over the swept ops (the files' ops in request order). */
export interface SweptField {
  /** ABSENT_FIELD, NOT_KEPT, NUMBER, or 1 + the index of the value in `values` */
  codes: Int32Array;
  values: unknown[];
  numbers: Float64Array | null;
}

/** Each swept op's data hash (hash.ts: equal for equal values), [2i, 2i + 1], where hashed[i] is 1 */
export interface SweptHashes {
  hashes: Int32Array;
  hashed: Uint8Array;
}

export type ColumnSweepReply = ({ kind: "columns"; fields: Record<string, SweptField>; capped: boolean } & SweptHashes) | { kind: "columns-failed"; message: string };

/** The sweep's result, by op entry. */
export interface SweptColumns extends SweptHashes {
  /** Swept op index -> op entry */
  entries: Int32Array;
  fields: Map<string, SweptField>;
  /** More than MAX_FIELDS fields were seen: a field not here may still be in some op's data */
  capped: boolean;
}

/** A sweep under way: its result (null if it could not finish), and a way to stop it. */
export interface ColumnSweep {
  result: Promise<SweptColumns | null>;
  stop(): void;
}

/** WALs smaller than this together are read lazily: a worker would not repay starting it. */
const SWEEP_MIN_BYTES = 8 * 1024 * 1024;

/** Whether to sweep h's WALs: "auto" when they are big enough, as the parallel scan decides. */
export function wantsSweep(h: History, mode: "auto" | "always" | "never"): boolean {
  return mode === "always" || (mode === "auto" && h.scan.wals.reduce((sum, w) => sum + w.bytes, 0) >= SWEEP_MIN_BYTES);
}

/** Start the sweep of the WALs of h (in dir) in a worker. */
export function startColumnSweep(dir: string, h: History): ColumnSweep {
  const { table, versions } = h;
  const files: ColumnSweepRequest["files"] = [];
  const order: number[] = [];
  for (const lane of h.lanes) {
    const n = lane.entries.length;
    const req = { path: lane.entry.path, offsets: new Float64Array(n), lengths: new Int32Array(n), recs: new Int32Array(n) };
    for (let i = 0; i < n; i++) {
      const e = lane.entries.get(i);
      req.offsets[i] = table.offset(e);
      req.lengths[i] = table.length_(e);
      req.recs[i] = table.rec(e);
      order.push(e);
    }
    files.push(req);
  }
  let worker: ReturnType<typeof startEngineWorker> | null = null;
  const result = new Promise<SweptColumns | null>((resolve) => {
    try {
      worker = startEngineWorker("scan-worker");
    } catch {
      return resolve(null);
    }
    const running = worker;
    const finish = (swept: SweptColumns | null) => {
      resolve(swept);
      void running.terminate();
    };
    running.on("error", () => finish(null));
    running.on("exit", () => resolve(null)); // a no-op once resolved
    running.on("message", (reply: { kind: string } | ColumnSweepReply) => {
      if (reply.kind === "ready") {
        const req: ColumnSweepRequest = { kind: "columns", dir, files, ids: versions.ids };
        running.postMessage(req, files.flatMap((f) => [f.offsets.buffer, f.lengths.buffer, f.recs.buffer]) as ArrayBuffer[]);
      } else if (reply.kind === "columns") {
        const swept = reply as Extract<ColumnSweepReply, { kind: "columns" }>;
        finish({ entries: Int32Array.from(order), fields: new Map(Object.entries(swept.fields)), capped: swept.capped, hashes: swept.hashes, hashed: swept.hashed });
      } else if (reply.kind === "columns-failed") finish(null);
    });
  });
  return { result, stop: () => void (worker as ReturnType<typeof startEngineWorker> | null)?.terminate() };
}

/** What the worker posts back, and the buffers it hands over with it. */
export function sweepTransfer(reply: ColumnSweepReply): ArrayBuffer[] {
  if (reply.kind !== "columns") return [];
  return [reply.hashes.buffer, reply.hashed.buffer, ...Object.values(reply.fields).flatMap((f) => [f.codes.buffer, ...(f.numbers ? [f.numbers.buffer] : [])])] as ArrayBuffer[];
}

/** The worker's side: read the lines and keep the short values, field by field. */
export function sweepColumns(req: ColumnSweepRequest): ColumnSweepReply {
  const total = req.files.reduce((n, f) => n + f.offsets.length, 0);
  const fields = new Map<string, SweptField & { lookup: Map<unknown, number> }>();
  let capped = false;
  let at = 0;
  const hashes = new Int32Array(2 * total);
  const hashed = new Uint8Array(total);
  const hash = new Int32Array(2);
  const fieldOf = (name: string) => {
    let field = fields.get(name);
    if (!field && fields.size < MAX_FIELDS) fields.set(name, (field = { codes: new Int32Array(total), values: [], numbers: null, lookup: new Map() }));
    if (!field) capped = true;
    return field;
  };
  const keep = (data: Record<string, unknown>, i: number) => {
    for (const name in data) {
      const field = fieldOf(name);
      if (!field) continue;
      const value = data[name];
      if (typeof value === "number") {
        field.numbers ??= new Float64Array(total);
        field.numbers[i] = value;
        field.codes[i] = NUMBER;
      } else if (value === null || typeof value === "boolean" || (typeof value === "string" && value.length <= MAX_STRING)) {
        let code = field.lookup.get(value);
        if (code === undefined) field.lookup.set(value, (code = field.values.push(value)));
        field.codes[i] = code;
      } else field.codes[i] = NOT_KEPT;
    }
  };
  try {
    for (const file of req.files) {
      readLines(join(req.dir, file.path), file.offsets, file.lengths, (k, text) => {
        const op = JSON.parse(text) as { id?: unknown; data?: unknown };
        if (op?.id !== req.ids[file.recs[k]]) throw new Error(`${file.path}: a line no longer holds the op the index has`);
        if (op.data && typeof op.data === "object" && !Array.isArray(op.data)) {
          keep(op.data as Record<string, unknown>, at + k);
          hashValue(op.data, hash);
          hashes[2 * (at + k)] = hash[0];
          hashes[2 * (at + k) + 1] = hash[1];
          hashed[at + k] = 1;
        }
      });
      at += file.offsets.length;
    }
  } catch (err) {
    return { kind: "columns-failed", message: (err as Error).message };
  }
  const out: Record<string, SweptField> = {};
  for (const [name, { codes, values, numbers }] of fields) out[name] = { codes, values, numbers };
  return { kind: "columns", fields: out, capped, hashes, hashed };
}

/** Each line at these offsets (ascending), read in large sequential chunks. */
function readLines(path: string, offsets: Float64Array, lengths: Int32Array, each: (k: number, text: string) => void): void {
  const fd = openSync(path, "r");
  try {
    let buffer = Buffer.allocUnsafe(READ_BYTES);
    let start = 0;
    let end = 0;
    for (let k = 0; k < offsets.length; k++) {
      const from = offsets[k];
      const to = from + lengths[k];
      if (from < start || to > end) {
        if (lengths[k] > buffer.length) buffer = Buffer.allocUnsafe(lengths[k]);
        const got = readSync(fd, buffer, 0, buffer.length, from);
        if (got < lengths[k]) throw new Error(`${path} is shorter than when it was indexed`);
        start = from;
        end = from + got;
      }
      const line = buffer.subarray(from - start, to - start);
      each(k, line.toString(isAscii(line) ? "latin1" : "utf-8"));
    }
  } finally {
    closeSync(fd);
  }
}
