/** Which view is showing, what is selected, and the messages and confirmations in front of the user. */
import { create } from "zustand";
import { forgetOnOpen } from "./perStore";

export type ViewName = "records" | "operations" | "agents" | "archive" | "history" | "timeline" | "blobs";
export const VIEWS: { name: ViewName; label: string }[] = [
  { name: "records", label: "Records" },
  { name: "operations", label: "Operations" },
  { name: "agents", label: "Agents" },
  { name: "archive", label: "Archive" },
  { name: "history", label: "History" },
  { name: "timeline", label: "Timeline" },
  { name: "blobs", label: "Blobs" },
];

/** The drop-down menus: at most one open; Esc, a click elsewhere or a view switch closes it. */
export type MenuName = "recent" | "columns" | "queries" | `export-${string}`;

export interface Toast {
  id: number;
  kind: "ok" | "error";
  message: string;
  detail?: string;
}

/** A question put to the user before an action: data only (no React nodes in a store); ConfirmDialog renders it. */
export interface Confirmation {
  title: string;
  /** What the action will do, as plain text */
  body: string;
  confirmLabel: string;
  danger?: boolean;
  /** A text the user fills in before confirming (e.g. the archive filter); checked by `check`, which returns a problem or null */
  input?: { label: string; initial: string; placeholder?: string; check(text: string): string | null };
  onConfirm: (text: string) => Promise<void> | void;
}

interface UiState {
  view: ViewName;
  selectedRecordId: string | null;
  selectedOpPos: number | null;
  /** An archive or compaction row selected in Operations (its eventKey); selecting an op clears it */
  selectedEventKey: string | null;
  warningsOpen: boolean;
  toasts: Toast[];
  confirmation: Confirmation | null;
  openMenu: MenuName | null;
  /** The command palette (Ctrl/Cmd-K) is open */
  paletteOpen: boolean;
  show(view: ViewName): void;
  setPalette(open: boolean): void;
  setMenu(menu: MenuName | null): void;
  selectRecord(id: string | null): void;
  selectOp(pos: number | null): void;
  selectEvent(key: string | null): void;
  toggleWarnings(open?: boolean): void;
  toast(kind: Toast["kind"], message: string, detail?: string): void;
  dismissToast(id: number): void;
  ask(confirmation: Confirmation): void;
  closeConfirmation(): void;
}

let nextToast = 1;

export const useUi = forgetOnOpen(create<UiState>()((set, get) => ({
  view: "records",
  selectedRecordId: null,
  selectedOpPos: null,
  selectedEventKey: null,
  warningsOpen: false,
  toasts: [],
  confirmation: null,
  openMenu: null,
  paletteOpen: false,
  show: (view) => set({ view, openMenu: null }),
  setPalette: (paletteOpen) => set({ paletteOpen, openMenu: null }),
  setMenu: (openMenu) => set({ openMenu }),
  selectRecord: (id) => set({ selectedRecordId: id }),
  selectOp: (pos) => set({ selectedOpPos: pos, selectedEventKey: null }),
  selectEvent: (key) => set({ selectedEventKey: key, selectedOpPos: null }),
  toggleWarnings: (open) => set({ warningsOpen: open ?? !get().warningsOpen }),
  toast(kind, message, detail) {
    const id = nextToast++;
    set({ toasts: [...get().toasts, { id, kind, message, detail }] });
    setTimeout(() => get().dismissToast(id), kind === "error" ? 12000 : 6000);
  },
  dismissToast: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
  ask: (confirmation) => set({ confirmation }),
  closeConfirmation: () => set({ confirmation: null }),
})), { fields: ["selectedRecordId", "selectedOpPos", "selectedEventKey", "warningsOpen", "openMenu"] }); // the view, toasts and palette are the app's, not the store's
