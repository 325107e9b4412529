/**
 * The open screen as a dialog over the open store (the header's Open…,
 * the palette, Ctrl/Cmd-O, the desktop menu's Open Store…): whether it
 * shows. Closing it leaves the open store as it was.
 */
import { create } from "zustand";
import { useSession } from "./session";

interface OpenScreenState {
  shown: boolean;
  show(): void;
  close(): void;
}

/** Ctrl/Cmd-O, the palette, the menu: over an open store, the dialog; with none open, the open screen is the page, so its path box takes the focus. */
export function showOpenScreen(): void {
  if (useSession.getState().status === "open") return useOpenScreen.getState().show();
  document.querySelector<HTMLInputElement>('[data-testid="open-path"]')?.focus();
}

export const useOpenScreen = create<OpenScreenState>()((set) => ({
  shown: false,
  show() {
    useSession.setState({ openError: null }); // an earlier open's failure is not this one's
    set({ shown: true });
  },
  close: () => set({ shown: false }),
}));
