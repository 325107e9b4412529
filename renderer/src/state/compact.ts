/**
 * The agent-mode compaction dialog: what the compaction (or an archive, which
 * compacts) does to the other agents whose WALs the manifest names, the
 * user's explicit acknowledgement, and the call, which names those agents
 * back (the main process refuses it otherwise).
 */
import { create } from "zustand";
import type { CompactPreview, Doc } from "../../../electron/contract";
import { api, errorText } from "../api/client";
import type { ShownError } from "../api/client";
import { runAction } from "../lib/runAction";
import { useUi } from "./ui";
import { forgetOnOpen } from "./perStore";

/** What is to run once confirmed: a compaction, or an archive by filter (which compacts). */
export type CompactKind = { kind: "compact" } | { kind: "archive"; filter: Doc };

interface CompactState {
  action: CompactKind | null;
  preview: CompactPreview | null;
  error: ShownError | null;
  /** The user ticked "their next writes will be lost until they refresh" */
  acknowledged: boolean;
  busy: boolean;
  open(action: CompactKind): Promise<void>;
  acknowledge(yes: boolean): void;
  apply(): Promise<void>;
  close(): void;
}

export const useCompact = forgetOnOpen(create<CompactState>()((set, get) => ({
  action: null,
  preview: null,
  error: null,
  acknowledged: false,
  busy: false,
  async open(action) {
    set({ action, preview: null, error: null, acknowledged: false, busy: false });
    try {
      const preview = await api.call("actions.compactPreview", {});
      if (get().action === action) set({ preview });
    } catch (err) {
      if (get().action === action) set({ error: errorText(err) });
    }
  },
  acknowledge: (acknowledged) => set({ acknowledged }),
  async apply() {
    const { action, preview } = get();
    if (!action || !preview) return;
    const confirmAgents = preview.otherAgents.map((a) => a.agent);
    set({ busy: true });
    if (action.kind === "compact") await runAction("Compact", () => api.call("actions.compact", { confirmAgents }), useUi.getState().toast);
    else await runAction("Archive", () => api.call("actions.archive", { filter: action.filter, confirmAgents }), useUi.getState().toast);
    set({ action: null, preview: null, busy: false });
  },
  close: () => set({ action: null, preview: null, error: null, busy: false, acknowledged: false }),
})));
