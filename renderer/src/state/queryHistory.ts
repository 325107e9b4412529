/**
 * Saved and recent queries of each filter box, for the open store: kept by
 * the main process in the explorer's app data (savedFilters.* calls), here the
 * lists as last read, and where Up/Down stands in each box's history (a
 * shell's history walk: Up goes back, Down comes forward to what was typed).
 */
import { create } from "zustand";
import type { FilterBox, FilterHistory } from "../../../electron/contract";
import { api } from "../api/client";
import { forgetOnOpen } from "./perStore";
import { useUi } from "./ui";

interface Walk {
  /** -1: the text being typed (draft); n: the n-th most recent query */
  index: number;
  draft: string;
}

interface QueryHistoryState {
  lists: Partial<Record<FilterBox, FilterHistory>>;
  walks: Partial<Record<FilterBox, Walk>>;
  load(box: FilterBox): Promise<void>;
  remember(box: FilterBox, text: string): Promise<void>;
  save(box: FilterBox, name: string, text: string): Promise<void>;
  forget(box: FilterBox, name: string): Promise<void>;
  /** The text Up (back: 1) or Down (forward: -1) brings into the box, or null when there is no further to go */
  step(box: FilterBox, direction: 1 | -1, current: string): string | null;
  /** The user typed: the walk starts again from the text typed */
  resetWalk(box: FilterBox): void;
}

export const useQueryHistory = forgetOnOpen(create<QueryHistoryState>()((set, get) => {
  /** Per box, the number of the newest call that answers its lists: an older answer landing late never replaces a newer list. */
  const asked: Partial<Record<FilterBox, number>> = {};
  /** A call that answers the box's lists; a failure is a toast (the filter itself still works). */
  const update = async (box: FilterBox, ask: () => Promise<FilterHistory>) => {
    const mine = (asked[box] = (asked[box] ?? 0) + 1);
    try {
      const list = await ask();
      if (mine === asked[box]) set({ lists: { ...get().lists, [box]: list } });
    } catch (err) {
      useUi.getState().toast("error", `The query history could not be kept: ${(err as Error).message}`);
    }
  };
  return {
    lists: {},
    walks: {},
    load: (box) => update(box, () => api.call("savedFilters.list", { box })),
    remember(box, text) {
      // First in the box's list at once, as the main process will keep it: Up right after an apply brings it back, before the call answers.
      const list = get().lists[box] ?? { recent: [], saved: [] };
      set({ lists: { ...get().lists, [box]: { ...list, recent: [text, ...list.recent.filter((t) => t !== text)] } } });
      return update(box, () => api.call("savedFilters.remember", { box, text }));
    },
    save: (box, name, text) => update(box, () => api.call("savedFilters.save", { box, name, text })),
    forget: (box, name) => update(box, () => api.call("savedFilters.forget", { box, name })),
    step(box, direction, current) {
      const recent = get().lists[box]?.recent ?? [];
      const walk = get().walks[box] ?? { index: -1, draft: current };
      const draft = walk.index === -1 ? current : walk.draft;
      let index = walk.index + direction;
      while (index >= 0 && index < recent.length && recent[index] === current) index += direction; // a step always changes the text
      if (index < -1 || index >= recent.length || (index === -1 && walk.index === -1)) return null;
      set({ walks: { ...get().walks, [box]: { index, draft } } });
      return index === -1 ? draft : recent[index];
    },
    resetWalk(box) {
      if (get().walks[box]) set({ walks: { ...get().walks, [box]: undefined } });
    },
  };
}));
