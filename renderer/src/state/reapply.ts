/**
 * Re-applying lost writes: the ones the user ticked in the Agents view, the
 * preview of what re-applying them writes (per record: now, after, the later
 * ops it overrides), and the write, which carries what the preview showed so
 * that the main process refuses it if a record moved on since.
 */
import { create } from "zustand";
import type { LostWriteRef, ReapplyPreview } from "../../../electron/contract";
import { api, errorText } from "../api/client";
import type { ShownError } from "../api/client";
import { runAction } from "../lib/runAction";
import { useUi } from "./ui";
import { forgetOnOpen } from "./perStore";

export const refKey = (r: LostWriteRef) => `${r.file}:${r.line}`;

interface ReapplyState {
  /** Lost writes ticked in the Agents view, by file:line */
  selected: Record<string, LostWriteRef>;
  /** The writes the dialog is about; null when it is closed */
  refs: LostWriteRef[] | null;
  preview: ReapplyPreview | null;
  error: ShownError | null;
  busy: boolean;
  toggle(ref: LostWriteRef, on: boolean): void;
  open(refs: LostWriteRef[]): Promise<void>;
  apply(): Promise<void>;
  close(): void;
}

export const useReapply = forgetOnOpen(create<ReapplyState>()((set, get) => ({
  selected: {},
  refs: null,
  preview: null,
  error: null,
  busy: false,
  toggle(ref, on) {
    const selected = { ...get().selected };
    if (on) selected[refKey(ref)] = { file: ref.file, line: ref.line };
    else delete selected[refKey(ref)];
    set({ selected });
  },
  async open(refs) {
    const writes = refs.map(({ file, line }) => ({ file, line }));
    set({ refs: writes, preview: null, error: null, busy: false });
    try {
      const preview = await api.call("actions.reapplyPreview", { writes });
      if (get().refs === writes) set({ preview });
    } catch (err) {
      if (get().refs === writes) set({ error: errorText(err) });
    }
  },
  async apply() {
    const { refs, preview } = get();
    if (!refs || !preview) return;
    set({ busy: true });
    // `seen`: the main process refuses if any record moved on since this preview.
    await runAction("Re-apply", () => api.call("actions.reapply", { writes: refs, seen: preview.records.map((r) => r.seen) }), useUi.getState().toast);
    set({ refs: null, preview: null, busy: false, selected: {} });
  },
  close: () => set({ refs: null, preview: null, error: null, busy: false }),
})));
