/** The revert dialog: which op, its preview (now, after each choice, the later ops), the chosen way, and applying it. */
import { create } from "zustand";
import type { RevertPreview } from "../../../electron/contract";
import { api, errorText } from "../api/client";
import type { ShownError } from "../api/client";
import { runAction } from "../lib/runAction";
import { useUi } from "./ui";
import { forgetOnOpen } from "./perStore";

export type RevertChoice = "own-change" | "full";

interface RevertState {
  pos: number | null;
  preview: RevertPreview | null;
  error: ShownError | null;
  choice: RevertChoice;
  busy: boolean;
  open(pos: number): Promise<void>;
  choose(choice: RevertChoice): void;
  apply(): Promise<void>;
  close(): void;
}

export const useRevert = forgetOnOpen(create<RevertState>()((set, get) => ({
  pos: null,
  preview: null,
  error: null,
  choice: "own-change",
  busy: false,
  async open(pos) {
    set({ pos, preview: null, error: null, choice: "own-change", busy: false });
    try {
      const preview = await api.call("actions.revertPreview", { pos });
      // Undoing only this op's change is the default; the full revert only when that has nothing to do.
      if (get().pos === pos) set({ preview, choice: preview.ownChange.applicable ? "own-change" : "full" });
    } catch (err) {
      if (get().pos === pos) set({ error: errorText(err) });
    }
  },
  choose: (choice) => set({ choice }),
  async apply() {
    const { preview, choice } = get();
    if (!preview) return;
    const { op } = preview;
    set({ busy: true });
    // `seen`: the main process refuses if the op or its later ops changed since this preview.
    await runAction("Revert", () => api.call("actions.revert", { pos: op.pos, mode: choice, seen: { file: op.file, line: op.line, laterOps: preview.laterOpsTotal } }), useUi.getState().toast);
    set({ pos: null, preview: null, busy: false });
  },
  close: () => set({ pos: null, preview: null, error: null, busy: false }),
})));
