/**
 * The contract client: it owns the transport and, in browser mode, the
 * token. In Electron the preload's bridge carries calls over IPC and the
 * main process saves files itself; in browser mode, fetch carries calls, an
 * EventSource the events, and the browser downloads files (downloadUrl).
 * The rest of the UI cannot tell which. Over both, a call superseded by a
 * newer one with its key (the cursor moved on) ends here at once, cancelled,
 * as the server stops it there: browser mode aborts its fetch, so a request
 * not yet sent is never sent and an answer not yet read is never parsed.
 */
import { CallError } from "../../../electron/call-error";
import type { CallArg, CallName, CallOptions, CallResult, ContractClient, DownloadCall, Envelope, EventName, Events } from "../../../electron/contract";

export { errorText } from "../lib/shownError";
export type { ShownError } from "../lib/shownError";

interface Bridge {
  invoke(name: string, arg: unknown, options?: CallOptions): Promise<Envelope<unknown>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  pathForFile(file: File): string | null;
}

declare global {
  interface Window {
    opslogBridge?: Bridge;
  }
}

function unwrap<T>(envelope: Envelope<unknown>): T {
  if (envelope.ok) return envelope.value as T;
  throw new CallError(envelope.error);
}

/** The newest call under each supersede key, and how to end it: a newer call with the key ends the older one. */
class Superseding {
  private running = new Map<string, AbortController>();

  /** The signal that says `options`' call was superseded (none without a key); ends the call it supersedes. */
  start(options: CallOptions | undefined): AbortSignal | undefined {
    const key = options?.supersede;
    if (!key) return undefined;
    this.running.get(key)?.abort();
    const controller = new AbortController();
    this.running.set(key, controller);
    return controller.signal;
  }

  /** The call with `signal` has its answer: forget it, unless a newer call has the key. */
  end(options: CallOptions | undefined, signal: AbortSignal | undefined): void {
    const key = options?.supersede;
    if (key && this.running.get(key)?.signal === signal) this.running.delete(key);
  }
}

/** What a superseded call answers, as the server would have: "cancelled". */
function cancelledHere(): CallError {
  return new CallError({ code: "cancelled", message: "This request was superseded by a newer one, so it was stopped." });
}

/** `ask`'s answer, unless `signal` says a newer call superseded it first: then "cancelled" at once, the answer ignored. */
function unlessSuperseded<T>(ask: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return ask;
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(cancelledHere());
    signal.addEventListener("abort", stop, { once: true });
    ask.then(resolve, reject).finally(() => signal.removeEventListener("abort", stop));
  });
}

function bridgeClient(bridge: Bridge): ContractClient {
  const superseding = new Superseding();
  return {
    async call(name, arg, options) {
      const signal = superseding.start(options);
      try {
        return unwrap(await unlessSuperseded(bridge.invoke(name, arg, options), signal));
      } finally {
        superseding.end(options, signal);
      }
    },
    on: (event, listener) => bridge.on(event, listener as (payload: unknown) => void),
    downloads: false,
    downloadUrl: (name) => {
      throw new CallError({ code: "unknown-call", message: `${name} is a download: the desktop app saves the file itself.` });
    },
  };
}

function httpClient(): ContractClient {
  const token = new URLSearchParams(window.location.search).get("token") ?? ""; // read once, here: every route needs it
  let source: EventSource | null = null;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const superseding = new Superseding();
  function ensureSource(): void {
    if (source) return;
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    source.addEventListener("store.changed", (e) => {
      const payload = JSON.parse((e as MessageEvent<string>).data) as unknown;
      listeners.get("store.changed")?.forEach((l) => l(payload));
    });
  }
  return {
    async call<N extends CallName>(name: N, arg: CallArg<N>, options?: CallOptions): Promise<CallResult<N>> {
      const headers: Record<string, string> = { "content-type": "application/json", "x-opslog-token": token, ...(options?.supersede ? { "x-opslog-supersede": options.supersede } : {}) };
      const signal = superseding.start(options);
      try {
        let response: Response;
        try {
          response = await fetch(`/api/call/${name}`, { method: "POST", headers, body: JSON.stringify(arg), signal });
        } catch {
          if (signal?.aborted) throw cancelledHere();
          throw new CallError({ code: "io", message: "The explorer's server does not answer. Is `npm run serve` still running?" });
        }
        const envelope = (await response.json().catch((err: unknown) => {
          throw signal?.aborted ? cancelledHere() : err;
        })) as Envelope<unknown>;
        return unwrap<CallResult<N>>(envelope);
      } finally {
        superseding.end(options, signal);
      }
    },
    downloads: true,
    downloadUrl<N extends DownloadCall>(name: N, arg: CallArg<N>): string {
      return `/api/download/${name}?${new URLSearchParams({ token, arg: JSON.stringify(arg) }).toString()}`;
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      ensureSource();
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
}

export const api: ContractClient = window.opslogBridge ? bridgeClient(window.opslogBridge) : httpClient();

/** The folder path of a dropped item: only Electron can tell it. */
export function pathOfDroppedFile(file: File): string | null {
  return window.opslogBridge?.pathForFile(file) ?? null;
}
