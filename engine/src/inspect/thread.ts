/**
 * The inspector in a thread of its own: openInspectorThread(dir) starts
 * inspect-worker.ts, opens the store there, and gives back an InspectorApi
 * whose every call is a message to it. Answers are plain data (structured
 * clones); an OpslogError thrown there is an OpslogError here, code and file
 * included. Every call has a deadline: past it the call answers "timeout",
 * the thread is terminated and the store reopened in a new one. If the thread
 * cannot start, the caller opens the inspector in its own thread instead
 * (EngineWorkerFailed). A call whose signal aborts (superseded by a newer
 * one) fails at once with "cancelled", and the thread is told to stop it.
 */
import type { Worker } from "node:worker_threads";
import { OpslogError } from "../errors.js";
import type { OpslogErrorCode } from "../errors.js";
import type { InspectorApi, QueryOptions } from "./api.js";
import type { InspectOptions } from "./inspector.js";
import { queryNames } from "./queries.js";
import type { QueryName } from "./queries.js";
import type { RefreshResult } from "./types.js";
import { cancelled } from "./checkpoint.js";
import type { BuildProgress, OnBuildProgress } from "./progress.js";
import { EngineWorkerFailed, startEngineWorker } from "./workers.js";

type Method = Exclude<keyof InspectorApi, "dir">;

/** What the thread answers: every query of the registry, and the inspector's own refresh and close. */
export const INSPECTOR_METHODS: ReadonlySet<string> = new Set<Method>([...queryNames, "refresh", "close"]);

export interface ThreadOptions {
  /** How long one call may take (ms) before the thread is stopped and restarted; 0 = no deadline */
  deadlineMs?: number;
  /** Tests only: the thread spins for ever on this method, standing for a call that never ends */
  spinOn?: Method;
  /** Told how far the index build has come while the store opens */
  onProgress?: OnBuildProgress;
}

/** A call taking longer than this is cancelled (a filter too costly for the store, a bug that loops). */
export const DEFAULT_DEADLINE_MS = 30_000;

type Outgoing = { kind: "open"; dir: string; options: InspectOptions; spinOn?: Method } | { kind: "call"; method: Method; arg: unknown }
  /** Stop call `id` (its own id): dropped if it has not started, stopped at its next chunk if it has */
  | { kind: "cancel" };
export type ThreadRequest = Outgoing & { id: number };

interface WireError {
  name: string;
  message: string;
  code?: OpslogErrorCode;
  file?: string;
  line?: number;
}

export type ThreadReply = { id: number; value: unknown; error?: undefined; progress?: undefined } | { id: number; error: WireError; progress?: undefined }
  /** How far the open's index build has come: the open itself is not answered yet */
  | { id: number; progress: BuildProgress };

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
    return proxyOf(inspector);
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
  /** Posted to the thread now running (a restart posts it again) */
  posted: boolean;
  /** Stop listening to its signal */
  unlisten: (() => void) | null;
}

class InspectorThread {
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
        } else if (reply.progress) this.thread.onProgress?.(reply.progress);
        else this.settle(reply);
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
  send(req: Outgoing, now = false, signal?: AbortSignal): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    if (signal?.aborted) return Promise.reject(cancelled());
    return new Promise((resolve, reject) => {
      const call: Call = { message: { ...req, id: this.nextId++ }, resolve, reject, deadline: null, posted: false, unlisten: null };
      this.calls.set(call.message.id, call);
      if (signal) {
        const abort = () => this.cancel(call);
        signal.addEventListener("abort", abort, { once: true });
        call.unlisten = () => signal.removeEventListener("abort", abort);
      }
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
    call.posted = true;
    const ms = this.thread.deadlineMs ?? DEFAULT_DEADLINE_MS;
    if (call.message.kind === "call" && ms > 0) call.deadline = setTimeout(() => this.timedOut(call, ms), ms).unref();
  }

  /** Forget a call that is answered, timed out or cancelled. */
  private forget(call: Call): void {
    this.calls.delete(call.message.id);
    if (call.deadline) clearTimeout(call.deadline);
    call.unlisten?.();
    this.updateRef();
  }

  /** A call superseded by a newer one: it fails now; the thread drops it, or stops it at its next chunk. */
  private cancel(call: Call): void {
    if (!this.calls.has(call.message.id)) return;
    this.forget(call);
    if (call.posted && this.worker && !this.restarting) this.worker.postMessage({ kind: "cancel", id: call.message.id } satisfies ThreadRequest);
    call.reject(cancelled());
  }

  private settle(reply: Exclude<ThreadReply, { progress: BuildProgress }>): void {
    const call = this.calls.get(reply.id);
    if (!call) return;
    this.forget(call);
    if (reply.error) call.reject(errorFromWire(reply.error));
    else call.resolve(reply.value);
  }

  private timedOut(call: Call, ms: number): void {
    this.forget(call);
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
      call.posted = false;
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

  call<T>(method: Method, arg?: unknown, options?: QueryOptions): Promise<T> {
    return this.send({ kind: "call", method, arg }, false, options?.signal) as Promise<T>;
  }

  async terminate(): Promise<void> {
    this.fail(new OpslogError("not-open", "The inspector was closed."));
    await this.restarting;
    await this.worker?.terminate();
  }

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

/** The thread as an InspectorApi: one method per query of the registry, each a message to the thread. */
function proxyOf(thread: InspectorThread): InspectorApi {
  const calls = Object.fromEntries(queryNames.map((name: QueryName) => [name, (arg: unknown, options?: QueryOptions) => thread.call(name, arg, options)]));
  // The cast is where the mapped type (api.ts) meets the names; dir is read through, as a restart may set it.
  return Object.defineProperties(calls, {
    dir: { get: () => thread.dir, enumerable: true },
    refresh: { value: () => thread.refresh() },
    close: { value: () => thread.close() },
  }) as unknown as InspectorApi;
}
