/** The open store: who we are (mode), its summary, and what is new since the user last looked. */
import { create } from "zustand";
import type { OpenResult, PendingOpen, SessionMode, StoreChangedEvent } from "../../../electron/contract";
import { api, errorText } from "../api/client";
import { takeFirstCalls } from "../api/firstCalls";
import type { ShownError } from "../api/client";
import { CallError } from "../../../electron/call-error";
import { forgetEveryStore } from "./perStore";
import { useAgentsAxis } from "./agentsAxis";
import { useStoreLoad } from "./storeLoad";
import { useHistoryLoad } from "./historyLoad";

export interface SessionState {
  /** "loading": asking the main process; "indexing": the store is still being opened there (state/storeLoad.ts has how far) */
  status: "loading" | "indexing" | "open" | "no-store";
  current: OpenResult | null;
  openError: ShownError | null;
  /** Bumped on every change to the store (live or action) and on each open: every query (state/query.ts) asks again on it */
  revision: number;
  /** Ops that arrived live since the user last acknowledged */
  newOps: number;
  lastChange: StoreChangedEvent["what"] | null;
  /** The explorer was started with --read-only (learnt from any open store; kept after it closes) */
  lockedReadOnly: boolean;
  /** The command line asked for an open that waits for the user's confirmation (agent mode on a single-writer store) */
  pendingOpen: PendingOpen | null;
  load(): Promise<void>;
  openStore(dir: string, mode?: SessionMode, agentId?: string, confirm?: boolean): Promise<boolean>;
  applyChange(event: StoreChangedEvent): void;
  acknowledge(): void;
}

export const useSession = create<SessionState>()((set, get) => ({
  status: "loading",
  current: null,
  openError: null,
  revision: 0,
  newOps: 0,
  lastChange: null,
  lockedReadOnly: false,
  pendingOpen: null,
  async load() {
    // The page's first load takes the calls main.tsx sent before React loaded; later loads ask again.
    const first = takeFirstCalls();
    // Asked at once beside the summary: a store still indexing shows these first records without another round trip.
    const preview = first?.preview ?? api.call("store.preview", {}).catch(() => null);
    try {
      const current = await (first?.summary ?? api.call("store.summary", {}));
      useStoreLoad.getState().stop();
      set({ status: "open", current, openError: null, lockedReadOnly: current.session.lockedReadOnly });
      useHistoryLoad.getState().check();
    } catch (err) {
      if (err instanceof CallError && err.code === "loading") {
        set({ status: "indexing", current: null, openError: null });
        return useStoreLoad.getState().watch(preview, () => void get().load());
      }
      useStoreLoad.getState().stop();
      const noStore = err instanceof CallError && err.code === "no-store";
      const pendingOpen = noStore ? await api.call("store.pending", {}).catch(() => null) : null;
      set({ status: "no-store", current: null, openError: noStore ? null : errorText(err), pendingOpen });
    }
  },
  async openStore(dir, mode, agentId, confirm) {
    try {
      const current = await useStoreLoad.getState().track(() => api.call("store.open", { dir, ...(mode ? { mode } : {}), ...(agentId ? { agentId } : {}), ...(confirm ? { confirmAgentOnSingleWriter: true } : {}) }));
      forgetPreviousStore();
      set({ status: "open", current, openError: null, revision: get().revision + 1, newOps: 0, lockedReadOnly: current.session.lockedReadOnly, pendingOpen: null });
      useHistoryLoad.getState().check();
      return true;
    } catch (err) {
      set({ openError: errorText(err) });
      return false;
    }
  },
  applyChange(event) {
    const { current, revision, newOps } = get();
    if (event.what === "closed") return set({ status: "no-store", current: null });
    if (event.what === "opened" || event.what === "open-failed") return void get().load();
    if (event.what === "rebuilt") useHistoryLoad.getState().check(); // the history may be what came in
    set({
      current: current && event.summary ? { ...current, summary: event.summary } : current,
      revision: revision + 1,
      newOps: event.what === "action" ? newOps : newOps + event.newOps,
      lastChange: event.what,
    });
  },
  acknowledge: () => set({ newOps: 0 }),
}));

/** Another store is open: selections, queries and the replay cursor of the old one mean nothing here. */
function forgetPreviousStore(): void {
  forgetEveryStore();
  useAgentsAxis.getState().fitAll();
}

export const selectSummary = (s: SessionState) => s.current?.summary ?? null;
export const selectInfo = (s: SessionState) => s.current?.session ?? null;
