/**
 * The contract implemented over a session, in plain Node: both transports
 * (Electron IPC and HTTP) call dispatch(). Every argument is validated by its
 * schema; every failure leaves as a ContractError the UI can show as it is.
 */
import { resolve } from "node:path";
import { OpslogError } from "../engine/src/errors.js";
import type { OpslogErrorCode } from "../engine/src/errors.js";
import { schemas } from "./schemas.js";
import type { CallName, CallResults, ContractError, ContractErrorCode, Envelope, OpenResult, PendingOpen, SessionMode, StoreChangedEvent } from "./contract.js";
import { ExplorerSession, LOCKED_READ_ONLY } from "./session.js";
import type { AppData } from "./appdata.js";
import type { ThreadOptions } from "../engine/src/inspect/thread.js";

export interface HandlerOptions {
  appData: AppData;
  /** A native folder picker (Electron); absent in browser mode */
  pickDirectory?: () => Promise<string | null>;
  pollMs?: number;
  /** The inspector thread's call deadline (default 30 s), and tests' hooks */
  inspectorThread?: ThreadOptions;
  /** Started with --read-only: every writable open and every write call is refused, whatever the client asks */
  lockedReadOnly?: boolean;
}

/** The calls that write to a store: refused outright when the explorer was started with --read-only. */
const WRITE_CALLS: ReadonlySet<string> = new Set<CallName>(["actions.undo", "actions.compact", "actions.archive", "actions.set", "actions.delete", "actions.revert"]);

type Args = { [N in CallName]: ReturnType<(typeof schemas)[N]["parse"]> };
type Implementations = { [N in CallName]: (arg: Args[N]) => Promise<CallResults[N]> };

export class Handlers {
  private session: ExplorerSession | null = null;
  private listeners = new Set<(event: StoreChangedEvent) => void>();
  private detach: (() => void) | null = null;
  private pending: PendingOpen | null = null;

  constructor(private options: HandlerOptions) {}

  /** Open a store in this window/server, replacing the current one. */
  async open(dir: string, mode?: SessionMode, agentId?: string, confirm = false, demo = false): Promise<OpenResult> {
    const held = this.session;
    // The explorer's own lock would stop it reopening the store it writes to: let go first, and take it back if the new open fails.
    if (held && held.info.mode !== "read-only" && resolve(dir) === held.info.dir) {
      const was = held.info;
      await this.closeSession({ quietly: true });
      try {
        return await this.openNew(dir, mode, agentId, confirm, demo);
      } catch (err) {
        await this.openNew(was.dir, was.mode, was.agentId ?? undefined, true, was.demo).catch(() => undefined);
        throw err;
      }
    }
    return this.openNew(dir, mode, agentId, confirm, demo);
  }

  /**
   * The open the command line asks for. Agent mode on a single-writer store
   * needs the user's confirmation: without --yes the explorer starts with no
   * store and the UI asks (store.pending), instead of exiting.
   */
  async openFromCommandLine(dir: string, mode?: SessionMode, agentId?: string, yes = false): Promise<void> {
    try {
      await this.open(dir, mode, agentId, yes);
    } catch (err) {
      if (!(err instanceof OpslogError) || err.code !== "confirm-required") throw err;
      this.pending = { dir: resolve(dir), mode: mode ?? "read-only", agentId: agentId ?? null, reason: err.message };
    }
  }

  private async openNew(dir: string, mode?: SessionMode, agentId?: string, confirm = false, demo = false): Promise<OpenResult> {
    const session = await ExplorerSession.open({ dir, mode, agentId, confirmAgentOnSingleWriter: confirm, demo, pollMs: this.options.pollMs, thread: this.options.inspectorThread, lockedReadOnly: this.options.lockedReadOnly });
    await this.closeSession();
    this.pending = null;
    this.session = session;
    this.detach = session.onChange((event) => this.listeners.forEach((l) => l(event)));
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
    if (!this.session) throw new OpslogError("not-open", "No store is open. Open a store folder first.");
    return this.session;
  }

  private readonly calls: Implementations = {
    "store.open": (a) => this.open(a.dir, a.mode, a.agentId, a.confirmAgentOnSingleWriter === true),
    "store.summary": async () => ({ session: this.current().info, summary: await this.current().inspector.summary() }),
    "store.close": async () => {
      await this.closeSession();
      return { closed: true };
    },
    "store.recent": () => this.options.appData.recent(),
    "store.pickDirectory": async () => ({ dir: this.options.pickDirectory ? await this.options.pickDirectory() : null }),
    "store.pending": async () => (this.session ? null : this.pending),
    "records.page": (a) => this.current().inspector.records(a),
    "records.get": async (a) => {
      const inspector = this.current().inspector;
      return { id: a.id, value: await inspector.record(a.id, a.at), history: await inspector.recordHistory(a.id) };
    },
    "records.columns": (a) => this.current().inspector.columns(a.at),
    "ops.page": (a) => this.current().inspector.ops(a),
    "ops.get": async (a) => {
      const op = await this.current().inspector.op(a.pos);
      if (!op) throw new OpslogError("not-found", `There is no op at position ${a.pos}.`);
      return op;
    },
    "agents.list": () => this.current().inspector.lanes(),
    "agents.ops": (a) => this.current().inspector.laneOps(a.path, a),
    "conflicts.page": (a) => this.current().inspector.conflicts(a),
    "lostWrites.page": (a) => this.current().inspector.lostWrites(a),
    "archive.list": () => this.current().inspector.archiveSegments(),
    "archive.page": (a) => this.current().inspector.archivePage(a.path, a),
    "timeline.info": () => this.current().inspector.timelineInfo(),
    "timeline.diff": (a) => this.current().inspector.diff(a.a, a.b, a),
    "timeline.events": (a) => this.current().inspector.timelineEvents(a),
    "timeline.posAtTime": async (a) => ({ pos: await this.current().inspector.posAtTime(a.ts) }),
    "timeline.buckets": (a) => this.current().inspector.buckets(a),
    "actions.undoPreview": () => this.current().undoPreview(),
    "actions.undo": () => this.current().undo(),
    "actions.compact": () => this.current().compact(),
    "actions.archive": (a) => this.current().archive(a.filter, a.segment),
    "actions.set": (a) => this.current().set(a.id, a.value),
    "actions.delete": (a) => this.current().delete(a.id),
    "actions.revertPreview": (a) => this.current().revertPreview(a.pos),
    "actions.revert": (a) => this.current().revert(a.pos, a.mode, a.seen),
    "actions.refresh": () => this.current().refresh(),
  };

  /** Validate, run, and wrap: never throws, never leaks a stack trace. */
  async dispatch(name: string, arg: unknown): Promise<Envelope<unknown>> {
    if (!Object.hasOwn(schemas, name)) return failure("unknown-call", `There is no call named "${name}".`);
    if (this.options.lockedReadOnly && WRITE_CALLS.has(name)) return failure("read-only", LOCKED_READ_ONLY);
    const parsed = schemas[name as CallName].safeParse(arg ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue.path.length ? `"${issue.path.join(".")}"` : "the argument";
      const code = issue.code === "custom" && issue.params?.code === "bad-filter" ? "bad-filter" : "bad-argument"; // a filter beyond its limits
      return failure(code, `${name}: ${where} ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}.`);
    }
    try {
      const run = this.calls[name as CallName] as (a: unknown) => Promise<unknown>;
      return { ok: true, value: await run(parsed.data) };
    } catch (err) {
      return { ok: false, error: toContractError(err) };
    }
  }
}

/** The engine's codes cross as they are, but "not-open", which the UI calls "no-store" (checked by the compiler, no cast). */
function contractCode(code: OpslogErrorCode): ContractErrorCode {
  return code === "not-open" ? "no-store" : code;
}

export function toContractError(err: unknown): ContractError {
  if (err instanceof OpslogError) {
    const code = contractCode(err.code);
    return { code, message: err.message, ...(err.file ? { detail: err.line ? `${err.file}:${err.line}` : err.file } : {}) };
  }
  const e = err as NodeJS.ErrnoException;
  if (e?.code === "ENOENT" || e?.code === "EACCES" || e?.code === "EPERM") {
    return { code: "io", message: `${e.code === "ENOENT" ? "Not found" : "Permission denied"}: ${e.path ?? "a file"}.`, detail: e.message };
  }
  return { code: "internal", message: "Something went wrong inside the explorer. The store was not changed by this error.", detail: e?.message ?? String(err) };
}

function failure(code: ContractErrorCode, message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}
