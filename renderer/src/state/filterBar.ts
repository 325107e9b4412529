/**
 * A filter bar's part of a store: the text typed, the query in force, and why
 * the text is not that query (it did not parse, or the server refused it). A
 * refused query never replaces the last good one.
 */
import { parseFilter } from "../lib/filter";
import type { ShownError } from "../api/client";
import type { FilterBox } from "../../../electron/contract";
import { useQueryHistory } from "./queryHistory";

export interface FilterBar {
  filterText: string;
  filter: Record<string, unknown> | undefined;
  filterError: string | null;
  setFilterText(text: string): void;
  /** Parse the text and use it (refresh the list); if it does not parse or the server refuses it, keep the last good query and say why */
  applyFilter(): Promise<void>;
}

/** `box`: whose history an applied query joins (saved and recent queries, per store). */
export function filterBar(set: (change: Partial<FilterBar>) => void, get: () => FilterBar, refresh: () => Promise<ShownError | null>, box: FilterBox): FilterBar {
  return {
    filterText: "",
    filter: undefined,
    filterError: null,
    setFilterText: (filterText) => set({ filterText }),
    async applyFilter() {
      const parsed = parseFilter(get().filterText);
      if (!parsed.ok) return set({ filterError: parsed.error });
      const lastGood = get().filter;
      set({ filter: parsed.value, filterError: null });
      const refused = await refresh();
      if (refused?.code === "bad-filter") set({ filter: lastGood, filterError: [refused.message, refused.detail].filter(Boolean).join(": ") });
      else if (parsed.value) void useQueryHistory.getState().remember(box, get().filterText.trim());
    },
  };
}
