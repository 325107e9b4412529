/**
 * The store of one window (or one browser-mode server): its lifecycle, and
 * nothing of the calls. Opening (replacing the store open), reopening the
 * same store in another mode (its own lock let go first, taken back if the
 * new open fails), the command line's open behind a window that already
 * answers, the open waiting for the user's confirmation (pending), the open
 * in flight (loading), and dispose, which closes whatever is open or still
 * opening. The calls reach the store through session() (dispatch.ts).
 */
import { OpslogError } from "../engine/src/errors.js";
import type { IndexCacheOptions, ThreadOptions } from "../engine/src/inspect/index.js";
import type { S3Limits } from "../engine/src/s3/index.js";
import type { AppData } from "./appdata.js";
import type { HistoryProgress, LoadProgress, OpenResult, PendingOpen, SessionMode, SnapshotPreview, StoreChangedEvent } from "./contract.js";
import { LoadingStore, StoreLoading, checkQuickly } from "./loading-store.js";
import { EndpointPolicy } from "./s3-endpoints.js";
import { ExplorerSession } from "./session.js";
import { storeSource } from "./store-source.js";

export interface WindowStoreOptions {
  appData: AppData;
  pollMs?: number;
  /** The inspector thread's call deadline (default 30 s), and tests' hooks */
  inspectorThread?: ThreadOptions;
  /** Started with --read-only: every writable open is refused, whatever the client asks */
  lockedReadOnly?: boolean;
  /** Where S3 stores' local mirrors live (default: the user's cache folder) */
  s3CacheRoot?: string;
  /** Where built indexes are kept between opens (engine index-cache.ts); none when absent (--no-index-cache, tests) */
  indexCache?: IndexCacheOptions | null;
  /** S3 requests' deadlines and attempts (default: DEFAULT_S3_LIMITS; tests shorten them) */
  s3Limits?: S3Limits;
  /** The desktop app: its window's opens come from the person at the machine, so they may name any S3 endpoint (s3-endpoints.ts) */
  callersChooseEndpoints?: boolean;
  /** Tests only: each open, its index built, waits for this before the store is open (the loading state held as long as a test needs) */
  holdOpen?: () => Promise<void>;
  /** Tests only: runs inside each write between the Store's refresh and its append (see OpenOptions.beforeAppend) */
  beforeAppend?: () => Promise<void>;
  /** Tests only: the history behind an S3 store's current-period open waits for this before it is fetched */
  holdHistory?: () => Promise<void>;
}

/** How an open is asked for: the mode, the agent id, and the confirmation of agent mode on a single-writer store. */
export interface OpenRequest {
  mode?: SessionMode;
  agentId?: string;
  confirm?: boolean;
  /** Show the current snapshot's first records while the index builds (the command line's open) */
  preview?: boolean;
}

export class WindowStore {
  private opened: ExplorerSession | null = null;
  private listeners = new Set<(event: StoreChangedEvent) => void>();
  private detach: (() => void) | null = null;
  private pending: PendingOpen | null = null;
  /** The open in flight, for store.loading and store.preview */
  private loading: LoadingStore | null = null;
  /** The command line's open, while it runs behind a server that already answers */
  private background: Promise<void> | null = null;
  /** Why the command line's open failed after the server was ready: summary() throws it until another store opens */
  private backgroundFailure: unknown = null;
  /** The window or server is gone: an open still in flight closes its store as soon as it is open */
  private disposed = false;
  /** Opens in flight that may take a lock (past their index build): dispose() waits for them, so that such a store is closed (and unlocked) before the process exits */
  private locking = new Set<Promise<unknown>>();
  /** Which S3 endpoints the machine's credentials may go to */
  private endpoints: EndpointPolicy;

  constructor(private options: WindowStoreOptions) {
    const appData = options.appData;
    this.endpoints = new EndpointPolicy({ callersChoose: options.callersChooseEndpoints === true, allowList: () => appData.allowedS3Endpoints(), settingsFile: appData.settingsFile });
  }

  /** Open a store in this window/server, replacing the current one; the same store in another mode is a reopen. */
  async open(dir: string, request: OpenRequest = {}): Promise<OpenResult> {
    const held = this.opened;
    // The explorer's own lock would stop it reopening the store it writes to: let go first, and take it back if the new open fails.
    if (held && held.info.mode !== "read-only" && storeSource(dir).address === held.info.dir) {
      const was = held.info;
      await this.closeSession({ quietly: true });
      try {
        return await this.openNew(dir, request);
      } catch (err) {
        await this.openNew(was.dir, { mode: was.mode, agentId: was.agentId ?? undefined, confirm: true }).catch(() => undefined);
        throw err;
      }
    }
    return this.openNew(dir, request);
  }

  /** The built-in demo store (built on first use). */
  async openDemo(): Promise<OpenResult> {
    return this.open(await this.options.appData.demoStore());
  }

  /**
   * The open the command line asks for. Agent mode on a single-writer store
   * needs the user's confirmation: without --yes the explorer starts with no
   * store and the UI asks (pendingOpen()), instead of exiting.
   */
  async openFromCommandLine(dir: string, mode?: SessionMode, agentId?: string, yes = false, preview = false): Promise<void> {
    this.endpoints.nameOnCommandLine(dir); // the person at the machine typed it: its endpoint may have the credentials
    try {
      await this.open(dir, { mode, agentId, confirm: yes, preview });
    } catch (err) {
      if (!(err instanceof OpslogError) || err.code !== "confirm-required") throw err;
      this.pending = { dir: storeSource(dir).address, mode: mode ?? "read-only", agentId: agentId ?? null, reason: err.message };
    }
  }

  /**
   * The command line's open, behind: what is quick is checked now (a clear
   * error at once for a folder that is not a store), then this returns while
   * the index builds. Calls needing the store answer "loading" meanwhile;
   * listeners hear "opened", or "open-failed" (summary() then says why).
   */
  async startFromCommandLine(dir: string, mode?: SessionMode, agentId?: string, yes = false): Promise<void> {
    this.endpoints.nameOnCommandLine(dir);
    await checkQuickly(dir);
    this.backgroundFailure = null;
    const settled = this.openFromCommandLine(dir, mode, agentId, yes, true).then(
      async () => {
        const session = this.opened;
        if (!session) return this.tell({ what: "open-failed", newOps: 0, summary: null });
        // Closed meanwhile (a signal, a window closing): its inspector refuses, and "closed" is what listeners hear.
        const summary = await session.inspector.summary().catch(() => null);
        if (summary && this.opened === session) this.tell({ what: "opened", newOps: 0, summary });
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

  onChange(listener: (event: StoreChangedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private tell(event: StoreChangedEvent): void {
    this.listeners.forEach((listener) => listener(event));
  }

  private openNew(dir: string, request: OpenRequest): Promise<OpenResult> {
    // Once disposed, no open takes a lock; one that took it before is waited for by dispose().
    const beforeLock = () => {
      if (this.disposed) throw new OpslogError("not-open", "The explorer was closed while the store was opening.");
      this.locking.add(open);
    };
    const open = this.openNewUntracked(dir, request, beforeLock);
    void open.catch(() => undefined).finally(() => this.locking.delete(open));
    return open;
  }

  private async openNewUntracked(dir: string, request: OpenRequest, beforeLock: () => void): Promise<OpenResult> {
    await this.endpoints.check(dir); // before any request: a refused endpoint receives nothing, credentials least of all
    const source = storeSource(dir);
    const loading = new LoadingStore(source, request.preview === true);
    this.loading = loading;
    void loading.firstRecords(); // read now, before the build takes the CPU: the UI asks for it first
    // The demo is the demo however it is opened (the Open screen, a reopen in another mode, the recent list).
    const demo = source.address === storeSource(this.options.appData.demoFolder).address;
    let session: ExplorerSession;
    try {
      const o = this.options;
      session = await ExplorerSession.open({ dir, mode: request.mode, agentId: request.agentId, confirmAgentOnSingleWriter: request.confirm === true, demo, pollMs: o.pollMs, thread: o.inspectorThread, lockedReadOnly: o.lockedReadOnly, s3CacheRoot: o.s3CacheRoot, indexCache: o.indexCache, s3Limits: o.s3Limits, beforeLock, progress: loading.progress, beforeAppend: o.beforeAppend, beforeHistory: o.holdHistory });
      await o.holdOpen?.().catch(async (err: unknown) => {
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
    this.opened = session;
    this.detach = session.onChange((event) => this.tell(event));
    await this.options.appData.remember(session.info.dir).catch(() => undefined);
    return { session: session.info, summary: await session.inspector.summary() };
  }

  /** For good (the window or server is gone): close the open store, and any store still opening once it is open. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.allSettled([...this.locking]); // each sees `disposed` once open, and closes its store
    await this.closeSession();
  }

  /** Close the open store; `quietly` when another opens in its place at once (no "closed" event to the UI). */
  async closeSession(options: { quietly?: boolean } = {}): Promise<void> {
    const session = this.opened;
    this.opened = null;
    if (options.quietly) this.detachListeners();
    await session?.close(); // its "closed" event still reaches the listeners
    this.detachListeners();
  }

  private detachListeners(): void {
    this.detach?.();
    this.detach = null;
  }

  /** The open store's session; "loading" while one opens, "no store" when none is open. */
  session(): ExplorerSession {
    if (this.opened) return this.opened;
    if (this.loading) throw new StoreLoading(this.loading.progress.current());
    throw new OpslogError("not-open", "No store is open. Open a store folder first.");
  }

  /** What store.summary answers: the open store, or why the command line's open failed (until another store opens). */
  async summary(): Promise<OpenResult> {
    if (!this.opened && !this.loading && this.backgroundFailure) throw this.backgroundFailure;
    const session = this.session();
    return { session: session.info, summary: await session.inspector.summary() };
  }

  /** The command line's open waiting for the user's confirmation, while no store is open. */
  pendingOpen(): PendingOpen | null {
    return this.opened ? null : this.pending;
  }

  /** How far the open in flight has come; null when none is. */
  loadingProgress(): LoadProgress | null {
    return this.loading?.progress.current() ?? null;
  }

  /** The open store's history still being fetched (an S3 store opened on its current period); null when it is whole or none is open. */
  historyProgress(): HistoryProgress | null {
    return this.opened?.historyProgress() ?? null;
  }

  /** The first records of the loading store's current snapshot; null when none is loading. */
  async loadingPreview(): Promise<SnapshotPreview | null> {
    return this.loading ? this.loading.firstRecords() : null;
  }
}
