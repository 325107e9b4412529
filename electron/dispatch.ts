/**
 * The call dispatcher (VS Code's ChannelServer is the model: it only
 * routes). Every call, from either transport, passes the same gate: its name
 * is looked up in the one declaration (calls.ts), its argument parsed by
 * its schema, a write refused under --read-only; then it is forwarded to the
 * inspector (a call declared with a query) or to its own implementation
 * (own-calls.ts), and any failure leaves as a ContractError the UI shows as
 * it is. A download call (browser mode's files) passes the same gate.
 */
import type { InspectorApi, QueryArg, QueryOptions } from "../engine/src/inspect/index.js";
import type { CallName, CallOptions, ContractErrorCode, Download, DownloadCall, Envelope, ForwardedCall, ForwardedQuery, OwnCall } from "./contract.js";
import type { Args, OwnImplementations } from "./own-calls.js";
import { toContractError } from "./contract-error.js";
import { callNames, calls } from "./calls.js";
import { LOCKED_READ_ONLY } from "./session-open.js";

/** The calls that write to a store (declared with write()): refused outright when the explorer was started with --read-only. */
const WRITE_CALLS: ReadonlySet<string> = new Set(callNames.filter((name) => calls[name].writes));
/** The calls answered with a file (declared with download()): only the download route takes them. */
const DOWNLOAD_CALLS: ReadonlySet<string> = new Set(callNames.filter((name) => "download" in calls[name]));

/** Whether a forwarded call's parsed argument is what its query takes (a query without an argument ignores the empty object). */
type ArgFits<N extends ForwardedCall> = QueryArg<ForwardedQuery<N>> extends undefined ? true : Args[N] extends QueryArg<ForwardedQuery<N>> ? true : false;
type Assert<T extends true> = T;
/** Compile-time check: a call declared with a query whose argument does not fit it fails to compile here. */
export type EveryForwardedArgFits = Assert<{ [N in ForwardedCall]: ArgFits<N> }[ForwardedCall]>;

/** A call past the gate: its name, and its argument as its schema parsed it */
interface Parsed {
  name: CallName;
  arg: unknown;
}

export interface DispatchOptions {
  /** Started with --read-only: every write call is refused */
  lockedReadOnly?: boolean;
}

export class CallDispatcher {
  /** The call running under each supersede key: a newer call with the key aborts it */
  private superseding = new Map<string, AbortController>();

  /** `inspector` throws when no store is open (or one is loading): that answer is the call's */
  constructor(private own: OwnImplementations, private inspector: () => InspectorApi, private options: DispatchOptions = {}) {}

  /** A call (IPC, or POST /api/call/<name>): validate, run, and wrap; never throws, never leaks a stack trace. A call with a supersede key stops the older call with that key. */
  async dispatch(name: string, arg: unknown, options: CallOptions = {}): Promise<Envelope<unknown>> {
    if (DOWNLOAD_CALLS.has(name)) return failure("unknown-call", `${name} answers with a file: it is a download (GET /api/download/${name}), not a call.`);
    const passed = this.gate(name, arg);
    if (!passed.ok) return passed;
    const key = supersedeKey(options);
    const controller = key === null ? null : this.supersede(key);
    try {
      return await this.run(passed.value, controller?.signal);
    } finally {
      if (key !== null && this.superseding.get(key) === controller) this.superseding.delete(key);
    }
  }

  /** A download (browser mode's GET /api/download/<name>): the same gate and the same errors as a call; the file, or the error, as an Envelope. */
  async download(name: string, arg: unknown): Promise<Envelope<Download>> {
    if (Object.hasOwn(calls, name) && !DOWNLOAD_CALLS.has(name)) return failure("unknown-call", `${name} is a call (POST /api/call/${name}), not a download.`);
    const passed = this.gate(name, arg);
    if (!passed.ok) return passed;
    return (await this.run(passed.value)) as Envelope<Download>;
  }

  /** The one gate: a declared name, --read-only, the argument parsed by its schema. */
  private gate(name: string, arg: unknown): Envelope<Parsed> {
    if (!Object.hasOwn(calls, name)) return failure("unknown-call", `There is no call named "${name}".`);
    if (this.options.lockedReadOnly && WRITE_CALLS.has(name)) return failure("read-only", LOCKED_READ_ONLY);
    const parsed = calls[name as CallName].schema.safeParse(arg ?? {});
    if (parsed.success) return { ok: true, value: { name: name as CallName, arg: parsed.data } };
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? `"${issue.path.join(".")}"` : "the argument";
    const code = issue.code === "custom" && issue.params?.code === "bad-filter" ? "bad-filter" : "bad-argument"; // a filter beyond its limits
    return failure(code, `${name}: ${where} ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}.`);
  }

  /** Forward a parsed call to the inspector (declared with a query) or to its own implementation; a failure as a ContractError. */
  private async run({ name, arg }: Parsed, signal?: AbortSignal): Promise<Envelope<unknown>> {
    const declared = calls[name];
    try {
      const value = "query" in declared ? await this.forward(declared.query, arg, { signal }) : await (this.own[name as OwnCall] as (a: unknown, signal?: AbortSignal) => Promise<unknown>)(arg, signal);
      return { ok: true, value };
    } catch (err) {
      return { ok: false, error: toContractError(err) };
    }
  }

  /** A call declared with a query: the inspector answers it, argument as parsed. */
  private forward(query: ForwardedQuery<ForwardedCall>, arg: unknown, options?: QueryOptions): Promise<unknown> {
    const inspector = this.inspector();
    return (inspector[query] as (arg: unknown, options?: QueryOptions) => Promise<unknown>)(arg, options);
  }

  /** Stop the call running under `key`, if any, and register the one starting. */
  private supersede(key: string): AbortController {
    this.superseding.get(key)?.abort();
    const controller = new AbortController();
    this.superseding.set(key, controller);
    return controller;
  }
}

/** Whether `name` is declared as a download call. */
export function isDownloadCall(name: string): name is DownloadCall {
  return DOWNLOAD_CALLS.has(name);
}

/** A supersede key as the transports pass it: a short string, or none (anything else from a client is ignored). */
function supersedeKey(options: unknown): string | null {
  const key = (options as CallOptions | null)?.supersede;
  return typeof key === "string" && key.length > 0 && key.length <= 200 ? key : null;
}

function failure(code: ContractErrorCode, message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}
