/**
 * The open screen as a dialog over the open store (the header's Open…,
 * the palette, Ctrl/Cmd-O, the menu's Open Store…): whether it shows, and
 * what it starts with (a reopen in another mode starts with the open store's
 * folder and that mode). Closing it leaves the open store as it was.
 */
import { create } from "zustand";
import type { SessionMode } from "../../../electron/contract";
import { useSession } from "./session";

export interface OpenPreset {
  dir: string;
  mode: SessionMode;
}

interface OpenScreenState {
  shown: boolean;
  /** What the path box and the mode start with; null: empty, read-only */
  preset: OpenPreset | null;
  show(preset?: OpenPreset): void;
  close(): void;
}

/** Ctrl/Cmd-O, the palette, the menu: over an open store, the dialog; with none open, the open screen is the page, so its path box takes the focus. */
export function showOpenScreen(preset?: OpenPreset): void {
  if (useSession.getState().status === "open") return useOpenScreen.getState().show(preset);
  document.querySelector<HTMLInputElement>('[data-testid="open-path"]')?.focus();
}

export const useOpenScreen = create<OpenScreenState>()((set) => ({
  shown: false,
  preset: null,
  show(preset) {
    useSession.setState({ openError: null }); // an earlier open's failure is not this one's
    set({ shown: true, preset: preset ?? null });
  },
  close: () => set({ shown: false, preset: null }),
}));
