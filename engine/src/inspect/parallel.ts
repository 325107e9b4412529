/**
 * The parallel scan, build side: two worker threads (scan-worker.ts) read
 * and parse the WALs while this thread merges and indexes what they send.
 * Each WAL is cut into segments (wal-segments.ts) dealt to the workers in
 * turn, so both parse all the time, whether the store has one WAL or many;
 * a SplitLane reads the segments back in file order, their lines numbered
 * on, and reads like a LaneReader. If a worker cannot start, the build reads
 * in this thread instead (ScanWorkerFailed).
 */
import { ScanThread } from "./scan-thread.js";
import type { RemoteSegment } from "./scan-thread.js";
import { BATCH_BYTES } from "./scan-protocol.js";
import type { ScanBatch } from "./scan-protocol.js";
import { SEGMENT_BYTES, segmentCuts } from "./wal-segments.js";
import type { WalCuts } from "./wal-segments.js";
import type { ScannedOp, SkippedWalLine, UnreadableFile } from "./walscan.js";

/** Scan workers: with this thread merging, the two keep both cores of a small machine parsing. */
const THREADS = 2;
/** Segments of a WAL in flight at once, dealt to the workers in turn: one each (more, and the workers juggle more buffers than they parse: 1.3 x the CPU time at 1M ops) */
const WINDOW = THREADS;
/** Batches a segment may be read ahead of what this thread has taken: all of it */
const CREDIT = SEGMENT_BYTES / BATCH_BYTES + 1;

/** What the build reads a WAL through: a LaneReader, or a SplitLane. */
export interface LaneSource {
  next(): Promise<ScannedOp[] | null>;
  /** The worker's batch the last next() came from (its hashes and columns); null when its ops were parsed here */
  readonly batch: ScanBatch | null;
  /** The worker that sent it (its numbering) */
  readonly thread?: ScanThread;
  close(): Promise<void>;
  readonly skipped: SkippedWalLine[];
  readonly end: number;
  readonly nextLine: number;
  readonly unreadable: UnreadableFile | null;
}

export class ParallelScan {
  private lanes = 0;

  private constructor(
    private readonly threads: ScanThread[],
    private readonly cuts: WalCuts | undefined,
  ) {}

  /** Start the workers (one that cannot start fails the first segment it is given). `cuts`: tests only. */
  static start(cuts?: WalCuts): ParallelScan {
    const threads: ScanThread[] = [];
    try {
      while (threads.length < THREADS) threads.push(ScanThread.start());
    } catch (err) {
      for (const thread of threads) void thread.close();
      throw err;
    }
    return new ParallelScan(threads, cuts);
  }

  /** Read one WAL (`bytes` long when the store was scanned) through the workers. */
  lane(dir: string, path: string, fileIdx: number, bytes: number): LaneSource {
    // Each WAL deals its first segment to the next worker: the workers share the first segments of many WALs too.
    return new SplitLane(this.threads, this.lanes++, dir, path, fileIdx, segmentCuts(bytes, this.cuts?.[path]));
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.close()));
  }
}

/** One WAL read as segments by the workers in turn, taken back in file order. */
class SplitLane implements LaneSource {
  skipped: SkippedWalLine[] = [];
  end = 0;
  nextLine = 1;
  unreadable: UnreadableFile | null = null;
  batch: ScanBatch | null = null;
  thread?: ScanThread;
  /** The segments asked for, in file order; the first is being read */
  private readonly asked: Promise<RemoteSegment>[] = [];
  private k = 0;

  constructor(
    private readonly threads: ScanThread[],
    private readonly first: number,
    private readonly dir: string,
    private readonly path: string,
    private readonly fileIdx: number,
    private readonly cuts: number[],
  ) {
    this.askMore();
  }

  private askMore(): void {
    for (; this.asked.length < WINDOW && this.k < this.cuts.length; this.k++) {
      const to = this.k + 1 < this.cuts.length ? this.cuts[this.k + 1] : null;
      // Inside a line read already (a long line runs through it): no line starts there, and its bytes were read.
      if (to !== null && to <= this.end) continue;
      const thread = this.threads[(this.first + this.k) % this.threads.length];
      const segment = thread.segment(this.dir, this.path, this.fileIdx, this.cuts[this.k], to, CREDIT);
      segment.catch(() => undefined); // a worker's failure is thrown when its segment is read
      this.asked.push(segment);
    }
  }

  async next(): Promise<ScannedOp[] | null> {
    while (this.asked.length > 0) {
      const segment = await this.asked[0];
      segment.lineBase = this.nextLine;
      const ops = await segment.next();
      if (ops) {
        this.batch = segment.batch;
        this.thread = segment.thread;
        return ops;
      }
      this.asked.shift();
      const { end, nextLine, skipped, unreadable } = segment.ended!;
      if (end !== -1) {
        this.end = end;
        for (const s of skipped) this.skipped.push({ ...s, line: s.line + this.nextLine - 1 });
        this.nextLine += nextLine - 1;
      }
      if (unreadable) {
        this.unreadable = unreadable; // the ops read so far stand, as a single reader's do
        await this.close();
        return null;
      }
      this.askMore();
    }
    return null;
  }

  async close(): Promise<void> {
    this.k = this.cuts.length;
    const asked = this.asked.splice(0);
    for (const segment of asked) (await segment.catch(() => null))?.close();
  }
}
