/**
 * ExplorerSession: one open store in one mode.
 * - read-only: the inspector alone; never writes, never locks; tails live.
 * - writer (single-writer stores): a Store holding opslog's .lock.
 * - agent (multi-writer stores): a Store writing as its own agent id.
 * Every read goes through the inspector, in every mode: one read path.
 */
import { OpslogError } from "../engine/src/errors.js";
import { Store } from "../engine/src/store.js";
import { checkStore, compileFilter } from "../engine/src/inspect/index.js";
import type { InspectorApi, Page, PageRequest, RefreshResult, StoreCheck, StoreSummary, TimelineOp } from "../engine/src/inspect/index.js";
import type { ActionResult, CompactPreview, HistoryProgress, LostOwnWrites, LostWriteRef, LostWriteRow, ReapplyPreview, ReapplySeen, RevertPreview, SessionInfo, StoreChangedEvent, UndoPreview } from "./contract.js";
import { applyRevert, previewRevert } from "./revert.js";
import { checkCompactConfirmed, compactPreview, otherAgents } from "./compaction-risk.js";
import { OwnWritesWatch } from "./own-writes.js";
import { HistoryLoad } from "./session-history.js";
import { ReapplyLedger, checkSeen, previewReapply, writeReapply } from "./reapply.js";
import { storeSource } from "./store-source.js";
import type { OpenSource } from "./store-source.js";
import { holdOpenStore } from "./open-stores.js";
import type { FetchProgress } from "../engine/src/s3/index.js";
import { LOCKED_READ_ONLY, checkModeFits, modeReason, openInspectorOffThread } from "./session-open.js";
import type { OpenOptions } from "./session-open.js";
import type { RevertMode, RevertSeen } from "./revert.js";

type Doc = Record<string, unknown>;
type Listener = (event: StoreChangedEvent) => void;

export class ExplorerSession {
  private listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Agent mode: the explorer's own writes found lost (own-writes.ts) */
  private watch: OwnWritesWatch | null = null;
  /** Which op re-applied which lost write, in this session */
  private ledger = new ReapplyLedger();
  private beforeAppend: (() => Promise<void>) | undefined;
  /** The history still being fetched behind a current-period open (session-history.ts); null once the store is whole */
  private history: HistoryLoad | null = null;

  private constructor(
    readonly info: SessionInfo,
    readonly inspector: InspectorApi,
    private store: Store<Doc> | null,
    /** Where the store's files are (a folder, or an S3 mirror synced before every look at it) */
    private source: OpenSource,
    /** Counts this store as open (no export may land in it) until the session closes */
    private releaseOpen: () => void = () => {},
  ) {}

  static async open(options: OpenOptions): Promise<ExplorerSession> {
    const mode = options.mode ?? "read-only";
    const locked = options.lockedReadOnly === true;
    if (locked && mode !== "read-only") throw new OpslogError("read-only", LOCKED_READ_ONLY);
    const named = storeSource(options.dir);
    named.checkMode(mode);
    const source = await named.open({ cacheRoot: options.s3CacheRoot, limits: options.s3Limits, onProgress: options.progress && ((p) => options.progress!.fetched(p)) });
    const dir = source.dir;
    const releaseOpen = holdOpenStore(dir);
    let inspector: InspectorApi;
    try {
      inspector = await openInspectorOffThread(dir, options.thread, options.progress, options.indexCache ?? null);
    } catch (err) {
      releaseOpen();
      await source.close();
      throw err;
    }
    const kind = (await inspector.summary()).kind;
    try {
      checkModeFits(mode, kind, options.confirmAgentOnSingleWriter === true);
      const agentId = mode === "agent" ? (options.agentId ?? "explorer") : null;
      if (mode !== "read-only") options.beforeLock?.();
      const store = mode === "read-only" ? null : await source.openWritable(agentId);
      const info: SessionInfo = { dir: source.address, mode, agentId, modeReason: locked ? LOCKED_READ_ONLY : mode === "read-only" && named.readOnlyReason ? named.readOnlyReason : modeReason(mode, kind, agentId), demo: options.demo === true, lockedReadOnly: locked };
      const session = new ExplorerSession(info, inspector, store, source, releaseOpen);
      session.beforeAppend = options.beforeAppend;
      if (store) await session.catchUp(); // agent mode registered a WAL: show it
      if (store && agentId) session.watch = await OwnWritesWatch.start(inspector, agentId);
      if (source.historyPending()) session.loadHistory(options.beforeHistory);
      session.startPolling(options.pollMs ?? named.pollMs);
      return session;
    } catch (err) {
      releaseOpen();
      await inspector.close();
      await source.close();
      throw err;
    }
  }

  /** The local folder that holds the store's files (an S3 store's mirror): what blob calls read, never the s3:// address */
  get filesDir(): string {
    return this.source.dir;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One thing at a time: polls and actions never interleave. */
  private exclusive<R>(fn: () => Promise<R>): Promise<R> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private startPolling(ms: number): void {
    if (ms <= 0) return;
    this.timer = setInterval(() => void this.poll().catch(() => undefined), ms);
    this.timer.unref();
  }

  /** Pick up other processes' writes; tell listeners what changed. */
  poll(): Promise<void> {
    return this.exclusive(async () => {
      if (this.closed) return;
      await this.announce(await this.catchUp()); // an S3 store's new batches are appended to its mirror: the inspector tails them as a local WAL
    });
  }

  /** Tell listeners what a look at the store changed. */
  private async announce(result: RefreshResult): Promise<void> {
    if (result.newOps === 0 && !result.rebuilt && !result.summaryChanged) return;
    const summary = await this.inspector.summary();
    this.emit({ what: changeOf(result), newOps: result.newOps, summary, ...(await this.lostOwnWrites(summary)) });
  }

  /** The history still being fetched behind a current-period open; null once the store is whole. */
  historyProgress(): HistoryProgress | null {
    return this.history?.current() ?? null;
  }

  /** Resolves once the history behind a current-period open is in (at once when there is none): what speaks for the whole store (the doctor, exports) waits for it. */
  async whole(): Promise<void> {
    if (this.history) await this.exclusive(async () => undefined);
  }

  /** Fetch the history behind the current period, queued as a poll is; once it is in, the index takes it and every view hears "rebuilt". */
  private loadHistory(hold?: () => Promise<void>): void {
    const history = new HistoryLoad();
    this.history = history;
    void this.exclusive(async () => {
      await hold?.();
      if (this.closed) return;
      try {
        await this.announce(await this.catchUp(history.fetched));
      } catch (err) {
        if (!this.closed) history.failed(err); // the next poll's whole sync tries again
      }
    }).catch(() => undefined);
  }

  /** Agent mode: the explorer's own writes this change shows lost, told once each (as an event's or a result's field). */
  private async lostOwnWrites(summary: StoreSummary): Promise<{ lostOwnWrites?: LostOwnWrites }> {
    if (!this.watch || !this.store) return {};
    const lost = await this.watch.check(this.inspector, summary, this.store.walPath());
    return lost ? { lostOwnWrites: lost } : {};
  }

  private emit(event: StoreChangedEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** The store doctor's report, as `npm run check` prints it (an S3 store's lock objects read now: the mirror has none). */
  async check(): Promise<StoreCheck> {
    await this.whole();
    return checkStore(this.inspector, { store: this.info.dir, locks: await this.source.locks() });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    // Not queued: a poll waiting on a spinning inspector call would hold the close; closing stops its thread.
    const inspectorClosed = this.inspector.close();
    this.source.stop(); // a history or poll still fetching ends at its next object, so the queue drains at once
    await this.exclusive(async () => {
      if (this.store) await this.store.close();
    });
    await inspectorClosed;
    this.releaseOpen();
    await this.source.close();
    this.emit({ what: "closed", newOps: 0, summary: null });
  }

  // ------------------------------------------------------------ actions

  private writable(): Store<Doc> {
    if (!this.store) {
      if (this.info.lockedReadOnly) throw new OpslogError("read-only", LOCKED_READ_ONLY);
      throw new OpslogError("read-only", "This store is open read-only, so nothing can change it. Reopen it in writer mode (single-writer stores: --writer) or agent mode (multi-writer stores: --agent ID) to undo, compact, archive or edit.");
    }
    return this.store;
  }

  /** Bring the inspector up to date: an S3 store's mirror first (list, fetch what is new), then the inspector's own tail. */
  private async catchUp(onFetched?: (progress: FetchProgress) => void): Promise<RefreshResult> {
    await this.source.sync(onFetched);
    const result = await this.inspector.refresh();
    if (!this.history || this.source.historyPending()) return result;
    this.history = null; // the whole store is in (the history's own load, or a poll after it failed): every view hears "rebuilt"
    return { ...result, rebuilt: true };
  }

  /**
   * Run a write, then bring the inspector up to date and tell listeners.
   * `check` runs first, before anything is written (a refresh in agent mode
   * may register a WAL). In agent mode the answer says so when the
   * explorer's own writes turn out lost: never a silent success.
   */
  private act(fn: (store: Store<Doc>) => Promise<string>, check?: () => Promise<void>): Promise<ActionResult> {
    return this.exclusive(async () => {
      const store = this.writable();
      await check?.();
      if (this.info.mode === "agent") await store.refresh(); // see other agents' writes first: LWW needs our clock ahead
      await this.beforeAppend?.();
      const done = await fn(store);
      await this.catchUp();
      const summary = await this.inspector.summary();
      const { lostOwnWrites: lost } = await this.lostOwnWrites(summary);
      this.emit({ what: "action", newOps: 0, summary, ...(lost ? { lostOwnWrites: lost } : {}) });
      return lost ? { message: `${done} BUT: ${lost.message}`, summary, lost } : { message: done, summary };
    });
  }

  /** The op undo would remove: the writer's last op, or this agent's last op. */
  async undoPreview(): Promise<UndoPreview> {
    if (!this.store) return { op: null, message: "Undo needs writer or agent mode; this store is open read-only." };
    const op = await this.lastOwnOp();
    if (!op) return { op: null, message: this.info.mode === "agent" ? `Agent ${this.info.agentId} has no op of its own since the last compaction: nothing to undo.` : "The active WAL is empty (nothing since the last compaction): nothing to undo." };
    return { op, message: `Undo removes the last line of ${op.file}: the ${op.op} of "${op.id}" (op #${op.pos + 1})${op.prev ? ", restoring its previous value" : op.op === "set" ? ", which created it, so the record disappears" : ""}.` };
  }

  private async lastOwnOp(): Promise<TimelineOp | null> {
    const summary = await this.inspector.summary();
    const manifest = summary.manifest!;
    const wal = this.info.mode === "agent" ? manifest.activeAgentOps?.[this.info.agentId!] : manifest.activeOps;
    const lane = summary.lanes.find((l) => l.path === wal);
    if (!lane || lane.ops === 0) return null;
    const last = (await this.inspector.laneOps({ path: lane.path, offset: lane.ops - 1, limit: 1 })).rows[0];
    return last?.pos != null ? await this.inspector.op({ pos: last.pos }) : null;
  }

  undo(): Promise<ActionResult> {
    return this.act(async (store) => {
      const target = await this.lastOwnOp();
      if (!(await store.undo()) || !target) throw new OpslogError("nothing-to-undo", "Nothing to undo: there is no op of this session's writer since the last compaction.");
      return `Undid the ${target.op} of "${target.id}" (removed ${target.file}:${target.line}).`;
    });
  }

  /** What a compaction would do; in agent mode, to each other agent whose WAL the manifest names (their next writes are lost until they refresh). */
  compactPreview(): Promise<CompactPreview> {
    return this.exclusive(() => this.currentCompactPreview());
  }

  private async currentCompactPreview(): Promise<CompactPreview> {
    if (this.info.mode === "agent") await this.catchUp(); // the agents named now, not at the last poll
    const summary = await this.inspector.summary();
    return compactPreview(this.info, this.info.mode === "agent" ? await otherAgents(summary, this.info, this.source.writeTimesDir) : []);
  }

  /** Agent mode: `confirmAgents` must name every other agent whose WAL the manifest names (see compaction-risk.ts). */
  compact(confirmAgents?: string[]): Promise<ActionResult> {
    return this.act(async (store) => {
      const before = (await this.inspector.summary()).counts.activeOps;
      if (this.info.mode === "agent") await store.compactOrThrow();
      else await store.compact();
      return `Compacted: ${before} op(s) folded into a new snapshot; the old snapshot and WAL stay on disk as history.`;
    }, async () => checkCompactConfirmed(await this.currentCompactPreview(), confirmAgents, "compact"));
  }

  archive(filter: Doc, segment?: string, confirmAgents?: string[]): Promise<ActionResult> {
    const predicate = compileFilter(filter);
    if (!predicate) throw new OpslogError("bad-filter", "Archive needs a filter that selects records, e.g. {\"status\": \"done\"}; an empty filter would archive everything.");
    return this.act(async (store) => {
      const count = await store.archive((value) => predicate(value), segment);
      return count === 0 ? "No record matches the filter: nothing was archived." : `Archived ${count} record(s)${segment ? ` into segment ${segment}` : ""}, then compacted.`;
    }, async () => checkCompactConfirmed(await this.currentCompactPreview(), confirmAgents, "archive"));
  }

  set(id: string, value: Doc): Promise<ActionResult> {
    return this.act(async (store) => {
      const existed = store.has(id);
      await store.set(id, value);
      return existed ? `Saved "${id}".` : `Added "${id}".`;
    });
  }

  delete(id: string): Promise<ActionResult> {
    return this.act(async (store) => {
      if (!store.has(id)) throw new OpslogError("not-found", `There is no record "${id}" to delete.`);
      await store.delete(id);
      return `Deleted "${id}".`;
    });
  }

  /** What reverting the op at pos would do, each way: now, after, and the later ops it would override. */
  revertPreview(pos: number): Promise<RevertPreview> {
    return this.exclusive(() => previewRevert(this.inspector, pos));
  }

  /** Undo an op's effect with a new, compensating write (history stays intact): only its own change, or in full. */
  revert(pos: number, mode: RevertMode, seen?: RevertSeen): Promise<ActionResult> {
    return this.act(async (store) => {
      await this.catchUp(); // decide on what the store now holds, other agents' latest writes included
      return applyRevert(store, await previewRevert(this.inspector, pos), mode, seen);
    });
  }

  /** What re-applying these lost writes would do: per record, now, after, and the later ops it overrides. */
  reapplyPreview(writes: LostWriteRef[]): Promise<ReapplyPreview> {
    return this.exclusive(() => previewReapply(this.inspector, writes));
  }

  /** Write the lost writes' values anew (new ops), refusing if a record moved on since the preview (`seen`). */
  reapply(writes: LostWriteRef[], seen: ReapplySeen[]): Promise<ActionResult> {
    return this.act(async (store) => {
      await this.catchUp(); // decide on what the store now holds
      const preview = await previewReapply(this.inspector, writes);
      checkSeen(preview, seen);
      const written = await writeReapply(store, preview);
      await this.catchUp();
      const wal = store.walPath();
      const lane = (await this.inspector.summary()).lanes.find((l) => l.path === wal);
      const ops = lane && written.length ? (await this.inspector.laneOps({ path: wal, offset: lane.ops - written.length, limit: written.length })).rows : [];
      const told = preview.records.map((r) => {
        const index = written.indexOf(r.id);
        const op = index >= 0 ? ops[index] : undefined;
        if (!op || !lane) return `"${r.id}" already held that value (nothing written)`;
        for (const w of r.writes) this.ledger.note(w, { file: wal, index: lane.ops - written.length + index, line: op.line });
        return `"${r.id}" as op #${op.pos === null ? "?" : op.pos + 1}`;
      });
      const count = preview.records.reduce((n, r) => n + r.writes.length, 0);
      return `Re-applied ${count} lost write(s): ${told.join(", ")}.`;
    });
  }

  /** The lost writes, a page, each with the op that re-applied it in this session, if any. */
  async lostWrites(req: PageRequest): Promise<Page<LostWriteRow>> {
    // Not queued behind polls and actions: a read, like every forwarded query.
    const page = await this.inspector.lostWrites(req);
    const rows = await Promise.all(page.rows.map(async (w): Promise<LostWriteRow> => ({ ...w, reappliedAs: await this.ledger.find(this.inspector, w) })));
    return { ...page, rows };
  }

  refresh(): Promise<ActionResult> {
    return this.exclusive(async () => {
      if (this.store) await this.store.refresh();
      const historyWasLoading = this.history !== null;
      const result = await this.catchUp();
      const summary: StoreSummary = await this.inspector.summary();
      if (result.newOps > 0 || result.rebuilt || result.summaryChanged) this.emit({ what: changeOf(result), newOps: result.newOps, summary, ...(await this.lostOwnWrites(summary)) });
      if (historyWasLoading && !this.history) return { message: "Reloaded: the store's history is in.", summary };
      return { message: result.rebuilt ? "Reloaded: the store was compacted, reorganised or rewritten (an undo) elsewhere." : `Up to date (${result.newOps} new op(s)).`, summary };
    });
  }
}

/** What a refresh found, for listeners. */
function changeOf(result: RefreshResult): StoreChangedEvent["what"] {
  return result.rebuilt ? "rebuilt" : result.newOps > 0 ? "ops" : "summary";
}
