/**
 * The inspector in a thread of its own: openInspectorThread(dir) starts
 * inspect-worker.ts, opens the store there, and gives back an InspectorApi
 * whose every call is a message to it. Answers are plain data (structured
 * clones); an OpslogError thrown there is an OpslogError here, code and file
 * included. If the thread cannot start, the caller opens the inspector in its
 * own thread instead (EngineWorkerFailed).
 */
import type { Worker } from "node:worker_threads";
import { OpslogError } from "../errors.js";
import type { OpslogErrorCode } from "../errors.js";
import type { InspectOptions } from "./index.js";
import { EngineWorkerFailed, startEngineWorker } from "./workers.js";
import type {
  AgentLane, ArchiveSegmentInfo, Column, Conflict, ConflictsRequest, DiffPage, Doc, HistoryEntry, InspectorApi, LaneOp, LostWrite, OpsRequest, Page, PageRequest, Query,
  RecordRow, RecordsRequest, RefreshResult, StoreSummary, TimelineInfo, TimelineOp,
} from "./types.js";

type Method = Exclude<keyof InspectorApi, "dir">;

export const INSPECTOR_METHODS: ReadonlySet<string> = new Set<Method>([
  "summary", "timelineInfo", "ops", "op", "lanes", "laneOps", "records", "record", "columns", "diff", "recordHistory", "conflicts", "lostWrites", "archiveSegments", "archivePage", "posAtTime", "refresh", "close",
]);

type Outgoing = { kind: "open"; dir: string; options: InspectOptions } | { kind: "call"; method: Method; args: unknown[] };
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

/** Open the inspector of `dir` in a thread of its own. */
export async function openInspectorThread(dir: string, options: InspectOptions = {}): Promise<InspectorApi> {
  const thread = new InspectorThread(startEngineWorker("inspect-worker"));
  try {
    await thread.ready;
    const opened = (await thread.send({ kind: "open", dir, options })) as string;
    thread.dir = opened;
    return thread;
  } catch (err) {
    await thread.terminate();
    throw err;
  }
}

class InspectorThread implements InspectorApi {
  dir = "";
  readonly ready: Promise<void>;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  private failure: Error | null = null;

  constructor(private readonly worker: Worker) {
    // Idle, the thread never keeps the process alive; starting, or a call in flight, does.
    let started = false;
    this.ready = new Promise((resolve, reject) => {
      worker.on("message", (reply: ThreadReply) => {
        if (reply.id === -1) {
          started = true;
          if (this.pending.size === 0) worker.unref();
          resolve();
          return;
        }
        const call = this.pending.get(reply.id);
        if (!call) return;
        this.pending.delete(reply.id);
        if (this.pending.size === 0) worker.unref();
        if (reply.error) call.reject(errorFromWire(reply.error));
        else call.resolve(reply.value);
      });
      const fail = (why: string) => {
        this.failure ??= started
          ? new OpslogError("io", `The inspector's thread stopped (${why}). Open the store again.`)
          : new EngineWorkerFailed(`the inspector thread ${why}`);
        reject(this.failure);
        for (const call of this.pending.values()) call.reject(this.failure);
        this.pending.clear();
      };
      worker.on("error", (err) => fail(`failed: ${err.message}`));
      worker.on("exit", (code) => fail(`exited with code ${code}`));
    });
    this.ready.catch(() => undefined); // awaited by openInspectorThread
  }

  send(req: Outgoing): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id });
    });
  }

  private call<T>(method: Method, ...args: unknown[]): Promise<T> {
    return this.send({ kind: "call", method, args }) as Promise<T>;
  }

  async terminate(): Promise<void> {
    this.failure ??= new OpslogError("not-open", "The inspector was closed.");
    await this.worker.terminate();
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
  diff = (a: number, b: number, page: PageRequest) => this.call<DiffPage>("diff", a, b, page);
  recordHistory = (id: string) => this.call<HistoryEntry[]>("recordHistory", id);
  conflicts = (req: ConflictsRequest) => this.call<Page<Conflict>>("conflicts", req);
  lostWrites = (page: PageRequest) => this.call<Page<LostWrite>>("lostWrites", page);
  archiveSegments = () => this.call<ArchiveSegmentInfo[]>("archiveSegments");
  archivePage = (path: string, req: PageRequest & { filter?: Query; idContains?: string }) => this.call<Page<RecordRow>>("archivePage", path, req);
  posAtTime = (ts: string) => this.call<number>("posAtTime", ts);
  refresh = () => this.call<RefreshResult>("refresh");

  async close(): Promise<void> {
    if (this.failure) return;
    try {
      await this.call("close");
    } finally {
      await this.terminate();
    }
  }
}
