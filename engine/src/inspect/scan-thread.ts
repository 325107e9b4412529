/**
 * One scan worker (scan-worker.ts) as the build's thread sees it: the
 * segments it is reading, and its numbering. A worker numbers the records,
 * agents and fields it meets in its own order and sends each name once, so
 * this side keeps its names by number and turns its record numbers into the
 * index's as the ops are indexed. A RemoteSegment reads like a LaneReader,
 * but its ops come without data and prev, only with their hashes and the
 * short top-level values of their data as column codes (value-codes.ts).
 */
import type { Worker } from "node:worker_threads";
import { BATCH_F64, BATCH_I32, F_CLOCK, F_OFFSET, F_TS, FLAG_DELETE, FLAG_DELTA, FLAG_PREV, FLAG_TORN_BY_UNDO, I_AGENT, I_DATA0, I_DATA1, I_FLAGS, I_LENGTH, I_LINE, I_PREV0, I_PREV1, I_REC, ScanWorkerFailed, learnFields } from "./scan-protocol.js";
import type { ScanBatch, ScanReply, ScanRequest, ScannedField, SegmentEnd } from "./scan-protocol.js";
import { startEngineWorker } from "./workers.js";
import type { ScannedOp } from "./walscan.js";

export class ScanThread {
  private readonly segments = new Map<number, RemoteSegment>();
  /** Agent names by the worker's numbers (0: no agent) */
  readonly agentNames: (string | null)[] = [null];
  /** The fields the worker keeps, by its numbers; their values grow as batches arrive, in the order sent */
  readonly fields: ScannedField[] = [];
  /** Record ids by the worker's numbers */
  readonly ids: string[] = [];
  /** The index's record number + 1 for each of the worker's (0: not interned yet) */
  private recs = new Int32Array(1024);
  private nextId = 0;
  private failure: ScanWorkerFailed | null = null;
  private readonly ready: Promise<void>;

  constructor(private readonly worker: Worker) {
    this.ready = new Promise((resolve, reject) => {
      worker.on("message", (reply: ScanReply) => {
        if (reply.kind === "ready") resolve();
        else this.deliver(reply);
      });
      const fail = (why: string) => {
        this.failure ??= new ScanWorkerFailed(`the WAL scan workers: one ${why}`);
        reject(this.failure);
        for (const segment of this.segments.values()) segment.fail(this.failure);
      };
      worker.on("error", (err) => fail(`failed: ${err.message}`));
      worker.on("exit", (code) => fail(`exited (code ${code})`));
    });
    this.ready.catch(() => undefined); // awaited by the first segment
  }

  static start(): ScanThread {
    try {
      return new ScanThread(startEngineWorker("scan-worker"));
    } catch (err) {
      throw new ScanWorkerFailed(`the WAL scan workers: one cannot start: ${(err as Error).message}`);
    }
  }

  /** Read the lines of a WAL that start in [from, to), `credit` chunks ahead. */
  async segment(dir: string, path: string, fileIdx: number, from: number, to: number | null, credit: number): Promise<RemoteSegment> {
    await this.ready;
    if (this.failure) throw this.failure;
    const id = this.nextId++;
    const segment = new RemoteSegment(this, id, fileIdx);
    this.segments.set(id, segment);
    this.send({ kind: "open", lane: id, dir, path, fileIdx, from, to, credit });
    return segment;
  }

  send(req: ScanRequest): void {
    if (!this.failure) this.worker.postMessage(req);
  }

  forget(id: number): void {
    this.segments.delete(id);
  }

  private deliver(reply: Exclude<ScanReply, { kind: "ready" }>): void {
    if (reply.kind === "batch") {
      for (const name of reply.newAgents) this.agentNames.push(name);
      for (const id of reply.newIds) this.ids.push(id);
      // Here, not when the batch is taken: segments are taken in replay order, but codes were given in the order sent.
      learnFields(this.fields, reply);
    }
    this.segments.get(reply.lane)?.deliver(reply);
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

/** One segment of a WAL as a worker reads it: ops in chunks, in file order, their lines counted on from `lineBase`. */
export class RemoteSegment {
  ended: SegmentEnd | null = null;
  batch: ScanBatch | null = null;
  /** The number of the segment's first line in its WAL, known once the segments before it are read */
  lineBase = 1;
  private readonly queue: ScanBatch[] = [];
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(
    readonly thread: ScanThread,
    private readonly id: number,
    private readonly fileIdx: number,
  ) {}

  deliver(reply: Exclude<ScanReply, { kind: "ready" }>): void {
    if (reply.kind === "batch") this.queue.push(reply);
    else if (reply.kind === "end") {
      this.ended = reply;
      this.thread.forget(this.id);
    } else this.fail(new ScanWorkerFailed(`the WAL scan workers: one could not read a WAL: ${reply.message}`));
    this.wake?.();
  }

  fail(err: Error): void {
    this.failure = err;
    this.wake?.();
  }

  /** The next chunk's ops, or null once the segment is read (see `ended`). */
  async next(): Promise<ScannedOp[] | null> {
    while (this.queue.length === 0 && !this.ended && !this.failure) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = null;
    if (this.failure) throw this.failure;
    const batch = this.queue.shift();
    this.batch = batch ?? null;
    if (!batch) return null;
    this.thread.send({ kind: "credit", lane: this.id, n: 1 });
    return this.decode(batch);
  }

  private decode(batch: ScanBatch): ScannedOp[] {
    const { n, f64, i32 } = batch;
    const ids = this.thread.ids;
    const names = this.thread.agentNames;
    const lines = this.lineBase - 1;
    const ops: ScannedOp[] = new Array(n);
    for (let j = 0; j < n; j++) {
      const f = j * BATCH_F64;
      const i = j * BATCH_I32;
      const flags = i32[i + I_FLAGS];
      const clock = f64[f + F_CLOCK];
      ops[j] = {
        fileIdx: this.fileIdx,
        line: lines + i32[i + I_LINE],
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
    for (const [j, hash] of batch.lineHashes) ops[j].lineHash = hash;
    return ops;
  }

  /** Stop reading (it may not be read to its end). */
  close(): void {
    if (this.ended) return;
    this.ended = { kind: "end", lane: this.id, skipped: [], end: -1, nextLine: 1, unreadable: null };
    this.thread.send({ kind: "close", lane: this.id });
    this.thread.forget(this.id);
  }
}
