/** The open store: who we are (mode), its summary, and what is new since the user last looked. */
import { create } from "zustand";
import type { OpenResult, SessionMode, StoreChangedEvent } from "../../../electron/contract";
import { api, errorText } from "../api/client";
import { CallError } from "../../../electron/contract";

export interface SessionState {
  status: "loading" | "open" | "no-store";
  current: OpenResult | null;
  openError: { message: string; detail?: string; code?: string } | null;
  /** Bumped on every change to the store (live or action): views refetch on it */
  revision: number;
  /** Ops that arrived live since the user last acknowledged */
  newOps: number;
  lastChange: StoreChangedEvent["what"] | null;
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
  async load() {
    try {
      set({ status: "open", current: await api.call("store.summary", {}), openError: null });
    } catch (err) {
      set({ status: "no-store", current: null, openError: err instanceof CallError && err.code === "no-store" ? null : errorText(err) });
    }
  },
  async openStore(dir, mode, agentId, confirm) {
    try {
      const current = await api.call("store.open", { dir, ...(mode ? { mode } : {}), ...(agentId ? { agentId } : {}), ...(confirm ? { confirmAgentOnSingleWriter: true } : {}) });
      set({ status: "open", current, openError: null, revision: get().revision + 1, newOps: 0 });
      return true;
    } catch (err) {
      set({ openError: { ...errorText(err), code: err instanceof CallError ? err.code : undefined } });
      return false;
    }
  },
  applyChange(event) {
    const { current, revision, newOps } = get();
    if (event.what === "closed") return set({ status: "no-store", current: null });
    set({
      current: current && event.summary ? { ...current, summary: event.summary } : current,
      revision: revision + 1,
      newOps: event.what === "action" ? newOps : newOps + event.newOps,
      lastChange: event.what,
    });
  },
  acknowledge: () => set({ newOps: 0 }),
}));

export const selectSummary = (s: SessionState) => s.current?.summary ?? null;
export const selectInfo = (s: SessionState) => s.current?.session ?? null;
