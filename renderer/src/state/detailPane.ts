/**
 * The detail pane's width and whether it is folded away: the user's own
 * choice, kept across stores and runs (localStorage), one width per kind of
 * pane (the Blobs preview wants more room than a record's JSON). null: the
 * stylesheet's default, which narrows with the window.
 */
import { create } from "zustand";

export type PaneKind = "detail" | "blob";

/** The least a pane, and the main pane beside it, keep when dragged. */
export const MIN_PANE_PX = 240;
export const MIN_MAIN_PX = 320;
const KEY = "opslog-explorer.detail-pane";

interface Saved {
  widths: Partial<Record<PaneKind, number>>;
  collapsed: boolean;
}

interface DetailPaneState extends Saved {
  setWidth(kind: PaneKind, px: number, room: number): void;
  setCollapsed(collapsed: boolean): void;
}

function load(): Saved {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? "null") as Partial<Saved> | null;
    const widths = Object.fromEntries(Object.entries(saved?.widths ?? {}).filter(([, w]) => typeof w === "number" && w >= MIN_PANE_PX));
    return { widths, collapsed: saved?.collapsed === true };
  } catch {
    return { widths: {}, collapsed: false }; // unreadable or no storage: the defaults
  }
}

function save({ widths, collapsed }: Saved): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ widths, collapsed }));
  } catch {
    // storage full or refused: the width lasts this run only
  }
}

/** A width the pane and the main pane both have room at, inside a split `room` px wide. */
export function clampPaneWidth(px: number, room: number): number {
  return Math.round(Math.max(MIN_PANE_PX, Math.min(px, room - MIN_MAIN_PX)));
}

export const useDetailPane = create<DetailPaneState>()((set, get) => ({
  ...load(),
  setWidth(kind, px, room) {
    set({ widths: { ...get().widths, [kind]: clampPaneWidth(px, room) } });
    save(get());
  },
  setCollapsed(collapsed) {
    set({ collapsed });
    save(get());
  },
}));
