/**
 * The inspector in a thread of its own: openInspectorThread(dir) starts
 * inspect-worker.ts, opens the store there, and gives back an InspectorApi
 * whose every call is a message to it. Answers are plain data (structured
 * clones); an OpslogError thrown there is an OpslogError here, code and file
 * included. Every call has a deadline: past it the call answers "timeout",
 * the thread is terminated and the store reopened in a new one. If the thread
 * cannot start, the caller opens the inspector in its own thread instead
 * (EngineWorkerFailed).
 */
import type { Worker } from "node:worker_threads";
import { OpslogError } from "../errors.js";
import type { OpslogErrorCode } from "../errors.js";
import type { InspectOptions } from "./index.js";
import { EngineWorkerFailed, startEngineWorker } from "./workers.js";
import type {
  AgentLane, ArchiveSegmentInfo, Column, Conflict, ConflictsRequest, DiffPage, Doc, EventsRequest, HistoryEntry, InspectorApi, LaneOp, LostWrite, OpsRequest, Page, PageRequest, Query,
  RecordRow, RecordsRequest, RefreshResult, StoreSummary, TimelineEvent, TimelineInfo, TimelineOp, BucketsRequest, TimeBuckets, DiffRequest,
} from "./types.js";

type Method = Exclude<keyof InspectorApi, "dir">;

export const INSPECTOR_METHODS: ReadonlySet<string> = new Set<Method>([
  "summary", "timelineInfo", "ops", "op", "lanes", "laneOps", "records", "record", "columns", "diff", "recordHistory", "timelineEvents", "conflicts", "lostWrites", "archiveSegments", "archivePage", "posAtTime", "buckets", "refresh", "close",
]);

export interface ThreadOptions {
  /** How long one call may take (ms) before the thread is stopped and restarted; 0 = no deadline */
  deadlineMs?: number;
  /** Tests only: the thread spins for ever on this method, standing for a call that never ends */
  spinOn?: Method;
}

/** A call taking longer than this is cancelled (a filter too costly for the store, a bug that loops). */
export const DEFAULT_DEADLINE_MS = 30_000;

type Outgoing = { kind: "open"; dir: string; options: InspectOptions; spinOn?: Method } | { kind: "call"; method: Method; args: unknown[] };
export type ThreadRequest = Outgoing & { id: number };

interface WireError {
  name: string;
  message: string;
  code?: OpslogErrorCode;
  file?: string;
  line?: number;
}

export type ThreadReply = { id: number; value: unknown; error?: undefined } | { id: number; error: WireError };

export function errorToWire(err: unknown): WireError {
  if (err instanceof OpslogError) return { name: err.name, message: err.message, code: err.code, file: err.file, line: err.line };
  return { name: (err as Error)?.name ?? "Error", message: (err as Error)?.message ?? String(err) };
}

function errorFromWire(wire: WireError): Error {
  if (wire.name === "OpslogError" && wire.code) return new OpslogError(wire.code, wire.message, { file: wire.file, line: wire.line });
  const err = new Error(wire.message);
  err.name = wire.name;
  return err;
}

const duration = (ms: number) => (ms < 1000 ? `${ms} ms` : `${ms / 1000} s`);

/** Open the inspector of `dir` in a thread of its own. */
export async function openInspectorThread(dir: string, options: InspectOptions = {}, thread: ThreadOptions = {}): Promise<InspectorApi> {
  const inspector = new InspectorThread(options, thread);
  try {
    await inspector.start(dir);
    return inspector;
  } catch (err) {
    await inspector.terminate();
    throw err;
  }
}

interface Call {
  message: ThreadRequest;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  deadline: NodeJS.Timeout | null;
}

class InspectorThread implements InspectorApi {
  dir = "";
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly calls = new Map<number, Call>();
  private failure: Error | null = null;
  /** While a stopped thread's successor opens the store: calls wait, then go to it */
  private restarting: Promise<void> | null = null;

  constructor(
    private readonly options: InspectOptions,
    private readonly thread: ThreadOptions,
  ) {}

  /** Start the thread and open the store in it (its failure to start is EngineWorkerFailed). */
  async start(dir: string): Promise<void> {
    this.worker = startEngineWorker("inspect-worker");
    await this.listen(this.worker);
    this.dir = (await this.send({ kind: "open", dir, options: this.options, spinOn: this.thread.spinOn }, true)) as string;
  }

  /** Route a thread's answers; resolves once it is ready. A stopped thread's last words are ignored. */
  private listen(worker: Worker): Promise<void> {
    let started = false;
    return new Promise((resolve, reject) => {
      worker.on("message", (reply: ThreadReply) => {
        if (worker !== this.worker) return;
        if (reply.id === -1) {
          started = true;
          this.updateRef();
          resolve();
        } else this.settle(reply);
      });
      const fail = (why: string) => {
        if (worker !== this.worker) return;
        const failure = started ? new OpslogError("io", `The inspector's thread stopped (${why}). Open the store again.`) : new EngineWorkerFailed(`the inspector thread ${why}`);
        reject(failure);
        this.fail(failure);
      };
      worker.on("error", (err) => fail(`failed: ${err.message}`));
      worker.on("exit", (code) => fail(`exited with code ${code}`));
    });
  }

  /** Idle, the thread never keeps the process alive; starting, or a call in flight, does. */
  private updateRef(): void {
    if (this.calls.size > 0 || this.restarting) this.worker?.ref();
    else this.worker?.unref();
  }

  /** `now`: post even while restarting (the restart's own open). */
  send(req: Outgoing, now = false): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const call: Call = { message: { ...req, id: this.nextId++ }, resolve, reject, deadline: null };
      this.calls.set(call.message.id, call);
      try {
        if (now || !this.restarting) this.post(call);
      } catch (err) {
        this.calls.delete(call.message.id); // an argument that cannot be cloned: this call fails, the thread goes on
        throw err;
      }
      this.updateRef();
    });
  }

  private post(call: Call): void {
    this.worker!.postMessage(call.message);
    const ms = this.thread.deadlineMs ?? DEFAULT_DEADLINE_MS;
    if (call.message.kind === "call" && ms > 0) call.deadline = setTimeout(() => this.timedOut(call, ms), ms).unref();
  }

  private settle(reply: ThreadReply): void {
    const call = this.calls.get(reply.id);
    if (!call) return;
    this.calls.delete(reply.id);
    if (call.deadline) clearTimeout(call.deadline);
    this.updateRef();
    if (reply.error) call.reject(errorFromWire(reply.error));
    else call.resolve(reply.value);
  }

  private timedOut(call: Call, ms: number): void {
    this.calls.delete(call.message.id);
    const method = call.message.kind === "call" ? call.message.method : call.message.kind;
    call.reject(new OpslogError("timeout", `The inspector took longer than ${duration(ms)} to answer (${method}), so that call was stopped and the store reopened. Try a narrower filter or a smaller page.`));
    this.restart();
  }

  /**
   * Stop the thread (it may be spinning: terminating frees its CPU) and open
   * the store again in a new one; the calls that were waiting on the old
   * thread go to the new one, each with a fresh deadline.
   */
  private restart(): void {
    const stopped = this.worker;
    this.worker = null;
    void stopped?.terminate();
    for (const call of this.calls.values()) {
      if (call.deadline) clearTimeout(call.deadline);
      call.deadline = null;
    }
    this.restarting = (async () => {
      this.worker = startEngineWorker("inspect-worker");
      await this.listen(this.worker);
      await this.send({ kind: "open", dir: this.dir, options: this.options, spinOn: this.thread.spinOn }, true);
    })().then(
      () => {
        this.restarting = null;
        for (const call of this.calls.values()) this.post(call);
        this.updateRef();
      },
      (err: unknown) => {
        this.restarting = null;
        this.fail(new OpslogError("io", `The inspector's thread was stopped after a call took too long, and could not open the store again (${(err as Error).message}). Open the store again.`));
      },
    );
  }

  /** No more calls: every waiting one gets `failure`. */
  private fail(failure: Error): void {
    this.failure ??= failure;
    for (const call of this.calls.values()) {
      if (call.deadline) clearTimeout(call.deadline);
      call.reject(this.failure);
    }
    this.calls.clear();
  }

  private call<T>(method: Method, ...args: unknown[]): Promise<T> {
    return this.send({ kind: "call", method, args }) as Promise<T>;
  }

  async terminate(): Promise<void> {
    this.fail(new OpslogError("not-open", "The inspector was closed."));
    await this.restarting;
    await this.worker?.terminate();
  }

  summary = () => this.call<StoreSummary>("summary");
  timelineInfo = () => this.call<TimelineInfo>("timelineInfo");
  ops = (req: OpsRequest) => this.call<Page<TimelineOp>>("ops", req);
  op = (pos: number) => this.call<TimelineOp | null>("op", pos);
  lanes = () => this.call<AgentLane[]>("lanes");
  laneOps = (path: string, page: PageRequest) => this.call<Page<LaneOp>>("laneOps", path, page);
  records = (req: RecordsRequest) => this.call<Page<RecordRow>>("records", req);
  record = (id: string, at?: number) => this.call<Doc | null>("record", id, at);
  columns = (at?: number) => this.call<Column[]>("columns", at);
  diff = (a: number, b: number, page: DiffRequest) => this.call<DiffPage>("diff", a, b, page);
  recordHistory = (id: string) => this.call<HistoryEntry[]>("recordHistory", id);
  timelineEvents = (req?: EventsRequest) => this.call<TimelineEvent[]>("timelineEvents", req);
  conflicts = (req: ConflictsRequest) => this.call<Page<Conflict>>("conflicts", req);
  lostWrites = (page: PageRequest) => this.call<Page<LostWrite>>("lostWrites", page);
  archiveSegments = () => this.call<ArchiveSegmentInfo[]>("archiveSegments");
  archivePage = (path: string, req: PageRequest & { filter?: Query; idContains?: string }) => this.call<Page<RecordRow>>("archivePage", path, req);
  posAtTime = (ts: string) => this.call<number>("posAtTime", ts);
  buckets = (req: BucketsRequest) => this.call<TimeBuckets>("buckets", req);
  refresh = () => this.call<RefreshResult>("refresh");

  async close(): Promise<void> {
    if (this.failure) return;
    // A call in flight may be spinning: stop the thread rather than queue a close behind it.
    if (this.calls.size > 0 || this.restarting) return this.terminate();
    try {
      await this.call("close");
    } finally {
      await this.terminate();
    }
  }
}
