/** A filter bar's part of a store: the text typed, the query it parsed to, and why it did not parse. */
import { parseFilter } from "../components/filter";

export interface FilterBar {
  filterText: string;
  filter: Record<string, unknown> | undefined;
  filterError: string | null;
  setFilterText(text: string): void;
  /** Parse the text; on success use it (refresh the list), otherwise say why */
  applyFilter(): void;
}

export function filterBar(set: (change: Partial<FilterBar>) => void, get: () => FilterBar, refresh: () => void): FilterBar {
  return {
    filterText: "",
    filter: undefined,
    filterError: null,
    setFilterText: (filterText) => set({ filterText }),
    applyFilter() {
      const parsed = parseFilter(get().filterText);
      if (!parsed.ok) return set({ filterError: parsed.error });
      set({ filter: parsed.value, filterError: null });
      refresh();
    },
  };
}
