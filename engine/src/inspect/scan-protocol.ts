/**
 * What the build's thread and the scan workers (scan-worker.ts) say to each
 * other: the requests (read a segment of a WAL, more credit, stop), and the
 * replies, chief of them the batch a worker sends for a chunk of ops (each
 * op's place and fields in typed arrays, hashes instead of records, names
 * and dictionary values once, when first seen). Plain data only: every
 * message is a structured clone, its typed arrays transferred.
 */
import type { BatchColumns } from "./value-codes.js";
import type { SkippedWalLine, UnreadableFile } from "./walscan.js";

/** A batch holds the ops of this many chunks of a WAL (64 KB each: a larger string is slower to make and to slice): fewer, larger messages */
export const BATCH_CHUNKS = 4;
/** Bytes a batch covers, about */
export const BATCH_BYTES = BATCH_CHUNKS * 64 * 1024;

/** Float64 fields per op in a batch */
export const BATCH_F64 = 3;
export const F_OFFSET = 0;
export const F_CLOCK = 1;
export const F_TS = 2;
/** Int32 fields per op in a batch */
export const BATCH_I32 = 9;
/** The op's line, counted from the segment's first line (1) */
export const I_LINE = 0;
export const I_LENGTH = 1;
export const I_FLAGS = 2;
export const I_AGENT = 3;
export const I_DATA0 = 4;
export const I_DATA1 = 5;
export const I_PREV0 = 6;
export const I_PREV1 = 7;
/** The worker's number for the op's record (see ScanBatch.newIds) */
export const I_REC = 8;
export const FLAG_DELETE = 1;
export const FLAG_DELTA = 2;
export const FLAG_PREV = 4;
/** The op has data: its hash is in I_DATA0, I_DATA1 */
export const FLAG_DATA = 8;
/** Its data is a plain object whose top-level values are in the batch's columns */
export const FLAG_KEPT = 16;
/** ... except some fields past the ones the worker keeps */
export const FLAG_OVERFLOW = 32;
/** Recovered from a line torn by opslog's undo: never replayed */
export const FLAG_TORN_BY_UNDO = 64;

/**
 * Read the lines of a WAL that start in [from, to) (to: null, to its end),
 * a line being where the file starts or after a newline: a segment (see
 * wal-segments.ts). Lines are counted from 1 at the segment's first.
 */
export type ScanRequest =
  | { kind: "open"; lane: number; dir: string; path: string; fileIdx: number; from: number; to: number | null; credit: number }
  | { kind: "credit"; lane: number; n: number }
  | { kind: "close"; lane: number };

export interface ScanBatch {
  kind: "batch";
  lane: number;
  n: number;
  f64: Float64Array;
  i32: Int32Array;
  /** Record ids first seen in this batch, numbered on from the last one seen (0, 1, ...) */
  newIds: string[];
  /** Ops whose ts is not canonical: [index in the batch, ts as written] */
  oddTs: [number, string][];
  /** Long lines' fingerprints (ScannedOp.lineHash): [index in the batch, hash] */
  lineHashes: [number, string][];
  /** Agents first seen in this batch, numbered on from the last one seen (1, 2, ...) */
  newAgents: string[];
  /** The top-level values of the ops' data, by field */
  columns: BatchColumns;
  /** Fields first named in this batch, numbered on from the last one named (0, 1, ...) */
  newFields: string[];
}

/** A field a worker keeps: its name, and its values by code (code c is values[c - 1]). */
export interface ScannedField {
  name: string;
  values: unknown[];
  /** On the build's side: each value's code in the build's own list (kept-columns.ts), by the worker's code */
  places?: number[];
}

/**
 * A segment is read: `end` is the byte after its last complete line and
 * `nextLine` the number of the line after it (lines counted from the
 * segment's first); `end` is -1 when no line starts in the segment.
 */
export interface SegmentEnd {
  kind: "end";
  lane: number;
  skipped: SkippedWalLine[];
  end: number;
  nextLine: number;
  unreadable: UnreadableFile | null;
}

export type ScanReply = { kind: "ready" } | ScanBatch | SegmentEnd | { kind: "error"; lane: number; message: string };

/** Add the fields a batch names, and the values it codes first, to those known from the batches before it. */
export function learnFields(fields: ScannedField[], batch: Pick<ScanBatch, "newFields" | "columns">): void {
  for (const name of batch.newFields) fields.push({ name, values: [] });
  for (const [field, values] of batch.columns.newValues) for (const value of values) fields[field].values.push(value);
}

/** A scan worker failed (or never started): the build starts over in its own thread. */
export class ScanWorkerFailed extends Error {}
