/**
 * The parallel scan, main-thread side: a worker thread (scan-worker.ts) reads
 * and parses the WALs while this thread merges and indexes what it sends. A
 * RemoteLane reads like a LaneReader, but its ops come without data and
 * prev, only with their hashes and the short top-level values of their data
 * as column codes (value-codes.ts): the build compares the hashes for
 * conflicts, keeps them and the columns for filters and diffs
 * (kept-columns.ts), and reads back the records it keeps. If the worker
 * cannot start, the build reads in this thread instead.
 */
import type { Worker } from "node:worker_threads";
import { startEngineWorker } from "./workers.js";
import type { BatchColumns } from "./value-codes.js";
import type { ScannedOp, SkippedWalLine, UnreadableFile } from "./walscan.js";

/** Float64 fields per op in a batch */
export const BATCH_F64 = 3;
export const F_OFFSET = 0;
export const F_CLOCK = 1;
export const F_TS = 2;
/** Int32 fields per op in a batch */
export const BATCH_I32 = 9;
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

/** Chunks a lane may be read ahead of what this thread has taken */
const READ_AHEAD = 8;

export type ScanRequest =
  | { kind: "open"; lane: number; dir: string; path: string; fileIdx: number; credit: number }
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
  /** Agents first seen in this batch, numbered on from the last one seen (1, 2, ...) */
  newAgents: string[];
  /** The top-level values of the ops' data, by field */
  columns: BatchColumns;
  /** Fields first named in this batch, numbered on from the last one named (0, 1, ...) */
  newFields: string[];
}

/** A field the worker keeps: its name, and its values by code (code c is values[c - 1]). */
export interface ScannedField {
  name: string;
  values: unknown[];
}

export type ScanReply =
  | { kind: "ready" }
  | ScanBatch
  | { kind: "end"; lane: number; skipped: SkippedWalLine[]; end: number; nextLine: number; unreadable: UnreadableFile | null }
  | { kind: "error"; lane: number; message: string };

/** Add the fields a batch names, and the values it codes first, to those known from the batches before it. */
export function learnFields(fields: ScannedField[], batch: Pick<ScanBatch, "newFields" | "columns">): void {
  for (const name of batch.newFields) fields.push({ name, values: [] });
  for (const [field, values] of batch.columns.newValues) for (const value of values) fields[field].values.push(value);
}

/** What the build reads a WAL through: a LaneReader, or a RemoteLane. */
export interface LaneSource {
  next(): Promise<ScannedOp[] | null>;
  /** The worker's batch the last next() came from (its hashes and columns); null when its ops were parsed here */
  readonly batch: ScanBatch | null;
  close(): Promise<void>;
  readonly skipped: SkippedWalLine[];
  readonly end: number;
  readonly nextLine: number;
  readonly unreadable: UnreadableFile | null;
}

/** The worker failed (or never started): the build starts over in this thread. */
export class ScanWorkerFailed extends Error {}

export class ParallelScan {
  private readonly lanes = new Map<number, RemoteLane>();
  /** Agent names by the worker's numbers (0: no agent) */
  readonly agentNames: (string | null)[] = [null];
  /** The fields the worker keeps, by its numbers; their values grow as batches arrive, in the order sent */
  readonly fields: ScannedField[] = [];
  /** Record ids by the worker's numbers */
  readonly ids: string[] = [];
  /** The index's record number + 1 for each of the worker's (0: not interned yet) */
  private recs = new Int32Array(1024);
  private nextLane = 0;
  private failure: ScanWorkerFailed | null = null;
  private readonly ready: Promise<void>;

  private constructor(private readonly worker: Worker) {
    this.ready = new Promise((resolve, reject) => {
      worker.on("message", (reply: ScanReply) => {
        if (reply.kind === "ready") resolve();
        else this.deliver(reply);
      });
      const fail = (why: string) => {
        this.failure ??= new ScanWorkerFailed(`the WAL scan worker ${why}`);
        reject(this.failure);
        for (const lane of this.lanes.values()) lane.fail(this.failure);
      };
      worker.on("error", (err) => fail(`failed: ${err.message}`));
      worker.on("exit", (code) => fail(`exited (code ${code})`));
    });
    this.ready.catch(() => undefined); // awaited by the first lane
  }

  /** Start the worker (it fails the first lane opened if it cannot start). */
  static start(): ParallelScan {
    try {
      return new ParallelScan(startEngineWorker("scan-worker"));
    } catch (err) {
      throw new ScanWorkerFailed(`the WAL scan worker cannot start: ${(err as Error).message}`);
    }
  }

  /** Read one WAL through the worker. */
  async lane(dir: string, path: string, fileIdx: number): Promise<RemoteLane> {
    await this.ready;
    if (this.failure) throw this.failure;
    const id = this.nextLane++;
    const lane = new RemoteLane(this, id, fileIdx);
    this.lanes.set(id, lane);
    this.send({ kind: "open", lane: id, dir, path, fileIdx, credit: READ_AHEAD });
    return lane;
  }

  send(req: ScanRequest): void {
    if (!this.failure) this.worker.postMessage(req);
  }

  forget(id: number): void {
    this.lanes.delete(id);
  }

  private deliver(reply: Exclude<ScanReply, { kind: "ready" }>): void {
    if (reply.kind === "batch") {
      for (const name of reply.newAgents) this.agentNames.push(name);
      for (const id of reply.newIds) this.ids.push(id);
      // Here, not when the batch is taken: lanes are taken in replay order, but codes were given in the order sent.
      learnFields(this.fields, reply);
    }
    this.lanes.get(reply.lane)?.deliver(reply);
  }

  /**
   * The index's record number for the worker's record `no`, interned in
   * `versions` the first time it is asked (as the ops are indexed, so records
   * are numbered as an in-thread build numbers them).
   */
  recOf(no: number, versions: { intern(id: string): number }): number {
    if (no >= this.recs.length) {
      const grown = new Int32Array(Math.max(no + 1, 2 * this.recs.length));
      grown.set(this.recs);
      this.recs = grown;
    }
    if (this.recs[no] === 0) this.recs[no] = versions.intern(this.ids[no]) + 1;
    return this.recs[no] - 1;
  }

  async close(): Promise<void> {
    this.failure ??= new ScanWorkerFailed("the WAL scan worker was closed");
    await this.worker.terminate();
  }
}

/** One WAL as the worker reads it: ops in chunks, in file order. */
export class RemoteLane implements LaneSource {
  skipped: SkippedWalLine[] = [];
  end = 0;
  nextLine = 1;
  unreadable: UnreadableFile | null = null;
  batch: ScanBatch | null = null;
  private readonly queue: ScanBatch[] = [];
  private done = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly scan: ParallelScan,
    private readonly id: number,
    private readonly fileIdx: number,
  ) {}

  deliver(reply: Exclude<ScanReply, { kind: "ready" }>): void {
    if (reply.kind === "batch") this.queue.push(reply);
    else if (reply.kind === "end") {
      this.skipped = reply.skipped;
      this.end = reply.end;
      this.nextLine = reply.nextLine;
      this.unreadable = reply.unreadable;
      this.done = true;
      this.scan.forget(this.id);
    } else this.fail(new ScanWorkerFailed(`the WAL scan worker could not read a WAL: ${reply.message}`));
    this.wake?.();
  }

  fail(err: Error): void {
    this.failure = err;
    this.wake?.();
  }

  async next(): Promise<ScannedOp[] | null> {
    while (this.queue.length === 0 && !this.done && !this.failure) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = null;
    if (this.failure) throw this.failure;
    const batch = this.queue.shift();
    this.batch = batch ?? null;
    if (!batch) return null;
    this.scan.send({ kind: "credit", lane: this.id, n: 1 });
    return this.decode(batch);
  }

  private decode(batch: ScanBatch): ScannedOp[] {
    const { n, f64, i32 } = batch;
    const ids = this.scan.ids;
    const names = this.scan.agentNames;
    const ops: ScannedOp[] = new Array(n);
    for (let j = 0; j < n; j++) {
      const f = j * BATCH_F64;
      const i = j * BATCH_I32;
      const flags = i32[i + I_FLAGS];
      const clock = f64[f + F_CLOCK];
      ops[j] = {
        fileIdx: this.fileIdx,
        line: i32[i + I_LINE],
        offset: f64[f + F_OFFSET],
        length: i32[i + I_LENGTH],
        ts: "",
        tsMs: f64[f + F_TS],
        agent: names[i32[i + I_AGENT]],
        clock: Number.isNaN(clock) ? null : clock,
        op: flags & FLAG_DELETE ? "delete" : "set",
        id: ids[i32[i + I_REC]],
        data: null,
        rawPrev: null,
        hasPrev: (flags & FLAG_PREV) !== 0,
        loaded: false,
        dataHash0: i32[i + I_DATA0],
        dataHash1: i32[i + I_DATA1],
        prevHash0: i32[i + I_PREV0],
        prevHash1: i32[i + I_PREV1],
        encoding: flags & FLAG_DELTA ? "delta" : "full",
        entry: -1,
        agentIdx: 0,
      };
      if (flags & FLAG_TORN_BY_UNDO) ops[j].tornByUndo = true;
    }
    for (const [j, ts] of batch.oddTs) ops[j].ts = ts;
    return ops;
  }

  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.scan.send({ kind: "close", lane: this.id });
    this.scan.forget(this.id);
  }
}
