/**
 * The contract implemented over a session, in plain Node: both transports
 * (Electron IPC and HTTP) call dispatch(). Every argument is validated by its
 * schema; every failure leaves as a ContractError the UI can show as it is.
 */
import { OpslogError } from "../engine/src/errors.js";
import type { OpslogErrorCode } from "../engine/src/errors.js";
import type { z } from "zod";
import { callNames, calls } from "./calls.js";
import type { CallName, CallOptions, CallResults, ContractError, ContractErrorCode, Envelope, ForwardedCall, ForwardedQuery, OpenResult, OwnCall, PendingOpen, SessionMode, StoreChangedEvent } from "./contract.js";
import { ExplorerSession, LOCKED_READ_ONLY } from "./session.js";
import type { AppData } from "./appdata.js";
import type { QueryArg, QueryOptions, ThreadOptions } from "../engine/src/inspect/index.js";
import type { IndexCacheOptions, InspectorApi } from "../engine/src/inspect/index.js";
import { clearIndexCacheCall } from "./index-cache-call.js";
import { exportCalls } from "./export.js";
import type { ExportDialogs } from "./export.js";
import { LoadingStore, StoreLoading, checkQuickly } from "./loading-store.js";
import { storeSource } from "./store-source.js";
import { listFolders } from "./folders.js";
import { EndpointNotAllowed, EndpointPolicy } from "./s3-endpoints.js";
import type { S3Limits } from "../engine/src/s3/index.js";

export interface HandlerOptions {
  appData: AppData;
  /** A native folder picker (Electron); absent in browser mode */
  pickDirectory?: () => Promise<string | null>;
  pollMs?: number;
  /** The inspector thread's call deadline (default 30 s), and tests' hooks */
  inspectorThread?: ThreadOptions;
  /** Started with --read-only: every writable open and every write call is refused, whatever the client asks */
  lockedReadOnly?: boolean;
  /** Where S3 stores' local mirrors live (default: the user's cache folder) */
  s3CacheRoot?: string;
  /** Where built indexes are kept between opens (engine index-cache.ts); none when absent (--no-index-cache, tests) */
  indexCache?: IndexCacheOptions | null;
  /** S3 requests' deadlines and attempts (default: DEFAULT_S3_LIMITS; tests shorten them) */
  s3Limits?: S3Limits;
  /** The desktop app: its window's opens come from the person at the machine, so they may name any S3 endpoint (s3-endpoints.ts) */
  callersChooseEndpoints?: boolean;
  /** The save dialogs of an export (Electron); absent in browser mode, where an export is a download */
  exportDialogs?: ExportDialogs;
  /** Tests only: each open, its index built, waits for this before the store is open (the loading state held as long as a test needs) */
  holdOpen?: () => Promise<void>;
  /** Tests only: runs inside each write between the Store's refresh and its append (see OpenOptions.beforeAppend) */
  beforeAppend?: () => Promise<void>;
}

/** The calls that write to a store (declared with write() in calls.ts): refused outright when the explorer was started with --read-only. */
const WRITE_CALLS: ReadonlySet<string> = new Set(callNames.filter((name) => calls[name].writes));

type Args = { [N in CallName]: z.output<(typeof calls)[N]["schema"]> };
/** The main process's own calls: every call not forwarded to a query has exactly one here. */
type OwnImplementations = { [N in OwnCall]: (arg: Args[N]) => Promise<CallResults[N]> };

/** Whether a forwarded call's parsed argument is what its query takes (a query without an argument ignores the empty object). */
type ArgFits<N extends ForwardedCall> = QueryArg<ForwardedQuery<N>> extends undefined ? true : Args[N] extends QueryArg<ForwardedQuery<N>> ? true : false;
type Assert<T extends true> = T;
/** Compile-time check: a call declared with a query whose argument does not fit it fails to compile here. */
export type EveryForwardedArgFits = Assert<{ [N in ForwardedCall]: ArgFits<N> }[ForwardedCall]>;

export class Handlers {
  private session: ExplorerSession | null = null;
  private listeners = new Set<(event: StoreChangedEvent) => void>();
  private detach: (() => void) | null = null;
  private pending: PendingOpen | null = null;
  /** The call running under each supersede key: a newer call with the key aborts it */
  private superseding = new Map<string, AbortController>();
  /** The open in flight, for store.loading and store.preview */
  private loading: LoadingStore | null = null;
  /** The command line's open, while it runs behind a server that already answers */
  private background: Promise<void> | null = null;
  /** Why the command line's open failed after the server was ready: store.summary answers it until another store opens */
  private backgroundFailure: unknown = null;
  /** The window or server is gone: an open still in flight closes its store as soon as it is open */
  private disposed = false;
  /** Opens in flight that may take a lock (past their index build): dispose() waits for them, so that such a store is closed (and unlocked) before the process exits */
  private locking = new Set<Promise<unknown>>();

  /** Which S3 endpoints the machine's credentials may go to */
  private endpoints: EndpointPolicy;

  constructor(private options: HandlerOptions) {
    const appData = options.appData;
    this.endpoints = new EndpointPolicy({ callersChoose: options.callersChooseEndpoints === true, allowList: () => appData.allowedS3Endpoints(), settingsFile: appData.settingsFile });
  }

  /** Open a store in this window/server, replacing the current one. */
  async open(dir: string, mode?: SessionMode, agentId?: string, confirm = false, demo = false, preview = false): Promise<OpenResult> {
    const held = this.session;
    // The explorer's own lock would stop it reopening the store it writes to: let go first, and take it back if the new open fails.
    if (held && held.info.mode !== "read-only" && storeSource(dir).address === held.info.dir) {
      const was = held.info;
      await this.closeSession({ quietly: true });
      try {
        return await this.openNew(dir, mode, agentId, confirm, demo, preview);
      } catch (err) {
        await this.openNew(was.dir, was.mode, was.agentId ?? undefined, true, was.demo).catch(() => undefined);
        throw err;
      }
    }
    return this.openNew(dir, mode, agentId, confirm, demo, preview);
  }

  /**
   * The open the command line asks for. Agent mode on a single-writer store
   * needs the user's confirmation: without --yes the explorer starts with no
   * store and the UI asks (store.pending), instead of exiting.
   */
  async openFromCommandLine(dir: string, mode?: SessionMode, agentId?: string, yes = false, preview = false): Promise<void> {
    this.endpoints.nameOnCommandLine(dir); // the person at the machine typed it: its endpoint may have the credentials
    try {
      await this.open(dir, mode, agentId, yes, false, preview);
    } catch (err) {
      if (!(err instanceof OpslogError) || err.code !== "confirm-required") throw err;
      this.pending = { dir: storeSource(dir).address, mode: mode ?? "read-only", agentId: agentId ?? null, reason: err.message };
    }
  }

  /**
   * The command line's open, behind: what is quick is checked now (a clear
   * error at once for a folder that is not a store), then this returns while
   * the index builds. Calls needing the store answer "loading" meanwhile;
   * listeners hear "opened", or "open-failed" (store.summary then says why).
   */
  async startFromCommandLine(dir: string, mode?: SessionMode, agentId?: string, yes = false): Promise<void> {
    this.endpoints.nameOnCommandLine(dir);
    await checkQuickly(dir);
    this.backgroundFailure = null;
    const settled = this.openFromCommandLine(dir, mode, agentId, yes, true).then(
      async () => {
        const session = this.session;
        if (!session) return this.tell({ what: "open-failed", newOps: 0, summary: null });
        // Closed meanwhile (a signal, a window closing): its inspector refuses, and "closed" is what listeners hear.
        const summary = await session.inspector.summary().catch(() => null);
        if (summary && this.session === session) this.tell({ what: "opened", newOps: 0, summary });
      },
      (err: unknown) => {
        this.backgroundFailure = err;
        this.tell({ what: "open-failed", newOps: 0, summary: null });
      },
    );
    this.background = settled.finally(() => (this.background = null));
  }

  /** Resolves once the command line's open (startFromCommandLine) has opened the store or failed. */
  async settled(): Promise<void> {
    await this.background;
  }

  private tell(event: StoreChangedEvent): void {
    this.listeners.forEach((listener) => listener(event));
  }

  private openNew(dir: string, mode?: SessionMode, agentId?: string, confirm = false, demo = false, preview = false): Promise<OpenResult> {
    // Once disposed, no open takes a lock; one that took it before is waited for by dispose().
    const beforeLock = () => {
      if (this.disposed) throw new OpslogError("not-open", "The explorer was closed while the store was opening.");
      this.locking.add(open);
    };
    const open = this.openNewUntracked(dir, mode, agentId, confirm, demo, preview, beforeLock);
    void open.catch(() => undefined).finally(() => this.locking.delete(open));
    return open;
  }

  private async openNewUntracked(dir: string, mode: SessionMode | undefined, agentId: string | undefined, confirm: boolean, demo: boolean, preview: boolean, beforeLock: () => void): Promise<OpenResult> {
    await this.endpoints.check(dir); // before any request: a refused endpoint receives nothing, credentials least of all
    const loading = new LoadingStore(storeSource(dir), preview);
    this.loading = loading;
    void loading.firstRecords(); // read now, before the build takes the CPU: the UI asks for it first
    let session: ExplorerSession;
    try {
      session = await ExplorerSession.open({ dir, mode, agentId, confirmAgentOnSingleWriter: confirm, demo, pollMs: this.options.pollMs, thread: this.options.inspectorThread, lockedReadOnly: this.options.lockedReadOnly, s3CacheRoot: this.options.s3CacheRoot, indexCache: this.options.indexCache, s3Limits: this.options.s3Limits, beforeLock, progress: loading.progress, beforeAppend: this.options.beforeAppend });
      await this.options.holdOpen?.().catch(async (err: unknown) => {
        await session.close();
        throw err;
      });
      if (this.disposed) {
        await session.close();
        throw new OpslogError("not-open", "The explorer was closed while the store was opening.");
      }
    } finally {
      if (this.loading === loading) this.loading = null;
    }
    await this.closeSession();
    this.pending = null;
    this.backgroundFailure = null;
    this.session = session;
    this.detach = session.onChange((event) => this.tell(event));
    await this.options.appData.remember(session.info.dir).catch(() => undefined);
    return { session: session.info, summary: await session.inspector.summary() };
  }

  async openDemo(): Promise<OpenResult> {
    return this.open(await this.options.appData.demoStore(), undefined, undefined, false, true);
  }

  onChange(listener: (event: StoreChangedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** For good (the window or server is gone): close the open store, and any store still opening once it is open. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.allSettled([...this.locking]); // each sees `disposed` once open, and closes its store
    await this.closeSession();
  }

  /** Close the open store; `quietly` when another opens in its place at once (no "closed" event to the UI). */
  async closeSession(options: { quietly?: boolean } = {}): Promise<void> {
    const session = this.session;
    this.session = null;
    if (options.quietly) this.detachListeners();
    await session?.close(); // its "closed" event still reaches the listeners
    this.detachListeners();
  }

  private detachListeners(): void {
    this.detach?.();
    this.detach = null;
  }

  private current(): ExplorerSession {
    if (this.session) return this.session;
    if (this.loading) throw new StoreLoading(this.loading.progress.current());
    throw new OpslogError("not-open", "No store is open. Open a store folder first.");
  }

  /** The open store's inspector (browser mode's export download streams from it) */
  inspector(): InspectorApi {
    return this.current().inspector;
  }

  private readonly own: OwnImplementations = {
    "store.open": (a) => this.open(a.dir, a.mode, a.agentId, a.confirmAgentOnSingleWriter === true),
    "store.summary": async () => {
      if (!this.session && !this.loading && this.backgroundFailure) throw this.backgroundFailure;
      return { session: this.current().info, summary: await this.current().inspector.summary() };
    },
    "store.check": () => this.current().check(),
    "store.close": async () => {
      await this.closeSession();
      return { closed: true };
    },
    "store.recent": () => this.options.appData.recent(),
    "cache.clearIndex": () => clearIndexCacheCall(this.options.indexCache ?? null),
    "store.pickDirectory": async () => ({ dir: this.options.pickDirectory ? await this.options.pickDirectory() : null }),
    "store.folders": (a) => listFolders(a.path),
    "store.pending": async () => (this.session ? null : this.pending),
    "store.loading": async () => this.loading?.progress.current() ?? null,
    "store.preview": async () => (this.loading ? await this.loading.firstRecords() : null),
    "records.get": async (a) => {
      const inspector = this.current().inspector;
      return { id: a.id, value: await inspector.record(a), history: await inspector.recordHistory(a) };
    },
    "ops.get": async (a) => {
      const op = await this.current().inspector.op(a);
      if (!op) throw new OpslogError("not-found", `There is no op at position ${a.pos}.`);
      return op;
    },
    "timeline.posAtTime": async (a) => ({ pos: await this.current().inspector.posAtTime(a) }),
    "savedFilters.list": (a) => this.options.appData.queries.list(this.current().info.dir, a.box),
    "savedFilters.remember": (a) => this.options.appData.queries.remember(this.current().info.dir, a.box, a.text),
    "savedFilters.save": (a) => this.options.appData.queries.save(this.current().info.dir, a.box, a.name, a.text),
    "savedFilters.forget": (a) => this.options.appData.queries.forget(this.current().info.dir, a.box, a.name),
    "actions.undoPreview": () => this.current().undoPreview(),
    "actions.undo": () => this.current().undo(),
    "actions.compactPreview": () => this.current().compactPreview(),
    "actions.compact": (a) => this.current().compact(a.confirmAgents),
    "actions.archive": (a) => this.current().archive(a.filter, a.segment, a.confirmAgents),
    "actions.set": (a) => this.current().set(a.id, a.value),
    "actions.delete": (a) => this.current().delete(a.id),
    "actions.revertPreview": (a) => this.current().revertPreview(a.pos),
    "actions.revert": (a) => this.current().revert(a.pos, a.mode, a.seen),
    "actions.reapplyPreview": (a) => this.current().reapplyPreview(a.writes),
    "actions.reapply": (a) => this.current().reapply(a.writes, a.seen),
    "lostWrites.page": (a) => this.current().lostWrites(a),
    "actions.refresh": () => this.current().refresh(),
    ...exportCalls(() => this.current(), () => this.options.exportDialogs),
  };

  /** Stop the call running under `key`, if any, and register the one starting. */
  private supersede(key: string): AbortController {
    this.superseding.get(key)?.abort();
    const controller = new AbortController();
    this.superseding.set(key, controller);
    return controller;
  }

  /** A call declared with a query: the inspector answers it, argument as parsed. */
  private forward(query: ForwardedQuery<ForwardedCall>, arg: unknown, options?: QueryOptions): Promise<unknown> {
    const inspector = this.current().inspector;
    return (inspector[query] as (arg: unknown, options?: QueryOptions) => Promise<unknown>)(arg, options);
  }

  /** Validate, run, and wrap: never throws, never leaks a stack trace. A call with a supersede key stops the older call with that key. */
  async dispatch(name: string, arg: unknown, options: CallOptions = {}): Promise<Envelope<unknown>> {
    if (!Object.hasOwn(calls, name)) return failure("unknown-call", `There is no call named "${name}".`);
    if (this.options.lockedReadOnly && WRITE_CALLS.has(name)) return failure("read-only", LOCKED_READ_ONLY);
    const declared = calls[name as CallName];
    const parsed = declared.schema.safeParse(arg ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue.path.length ? `"${issue.path.join(".")}"` : "the argument";
      const code = issue.code === "custom" && issue.params?.code === "bad-filter" ? "bad-filter" : "bad-argument"; // a filter beyond its limits
      return failure(code, `${name}: ${where} ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}.`);
    }
    const key = supersedeKey(options);
    const controller = key === null ? null : this.supersede(key);
    try {
      const signal = controller?.signal;
      const value = "query" in declared ? await this.forward(declared.query, parsed.data, { signal }) : await (this.own[name as OwnCall] as (a: unknown) => Promise<unknown>)(parsed.data);
      return { ok: true, value };
    } catch (err) {
      return { ok: false, error: toContractError(err) };
    } finally {
      if (key !== null && this.superseding.get(key) === controller) this.superseding.delete(key);
    }
  }
}

/** A supersede key as the transports pass it: a short string, or none (anything else from a client is ignored). */
function supersedeKey(options: unknown): string | null {
  const key = (options as CallOptions | null)?.supersede;
  return typeof key === "string" && key.length > 0 && key.length <= 200 ? key : null;
}

/** The engine's codes cross as they are, but "not-open", which the UI calls "no-store" (checked by the compiler, no cast). */
function contractCode(code: OpslogErrorCode): ContractErrorCode {
  return code === "not-open" ? "no-store" : code;
}

export function toContractError(err: unknown): ContractError {
  if (err instanceof StoreLoading) return { code: "loading", message: err.message };
  if (err instanceof EndpointNotAllowed) return { code: "unauthorized", message: err.message };
  if (err instanceof OpslogError) {
    const code = contractCode(err.code);
    return { code, message: err.message, ...(err.file ? { detail: err.line ? `${err.file}:${err.line}` : err.file } : {}) };
  }
  const e = err as NodeJS.ErrnoException;
  if (e?.code === "ENOENT" || e?.code === "EACCES" || e?.code === "EPERM") {
    return { code: "io", message: `${e.code === "ENOENT" ? "Not found" : "Permission denied"}: ${e.path ?? "a file"}.`, detail: e.message };
  }
  if (e?.code === "ENOSPC" || e?.code === "EDQUOT") {
    // Not "nothing changed": a write other than a WAL append (a snapshot, an export) may have left a part behind.
    return { code: "disk-full", message: `The disk is full (${e.code}): ${e.path ?? "a file"} could not be written. Free some space on that disk, then try again.`, detail: e.message };
  }
  return { code: "internal", message: "Something went wrong inside the explorer. The store was not changed by this error.", detail: e?.message ?? String(err) };
}

function failure(code: ContractErrorCode, message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}
