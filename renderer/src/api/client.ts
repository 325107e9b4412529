/**
 * The contract client: it owns the transport and, in browser mode, the
 * token. In Electron the preload's bridge carries calls over IPC and the
 * main process saves files itself; in browser mode, fetch carries calls, an
 * EventSource the events, and the browser downloads files (downloadUrl).
 * The rest of the UI cannot tell which.
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

function bridgeClient(bridge: Bridge): ContractClient {
  return {
    call: async (name, arg, options) => unwrap(await bridge.invoke(name, arg, options)),
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
      let response: Response;
      const headers: Record<string, string> = { "content-type": "application/json", "x-opslog-token": token, ...(options?.supersede ? { "x-opslog-supersede": options.supersede } : {}) };
      try {
        response = await fetch(`/api/call/${name}`, { method: "POST", headers, body: JSON.stringify(arg) });
      } catch {
        throw new CallError({ code: "io", message: "The explorer's server does not answer. Is `npm run serve` still running?" });
      }
      return unwrap<CallResult<N>>((await response.json()) as Envelope<unknown>);
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
