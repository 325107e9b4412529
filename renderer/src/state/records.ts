/** The Records view's query (filter, sort, id search, columns) and its paged rows. */
import { create } from "zustand";
import type { Column, RecordRow } from "../../../electron/contract";
import { api } from "../api/client";
import type { ShownError } from "../api/client";
import { createPaged } from "./paged";
import { filterBar } from "./filterBar";
import type { FilterBar } from "./filterBar";
import { forgetOnOpen } from "./perStore";
import { ONE_OFF, stillWanted } from "./request";
import type { QueryRequest } from "./request";

interface RecordsQuery extends FilterBar {
  sort: { field: string; dir: 1 | -1 } | undefined;
  idContains: string;
  columns: Column[];
  hidden: Set<string>;
  setSort(field: string): void;
  setIdContains(text: string): void;
  toggleColumn(field: string): void;
  /** Load the fields the records have (the table's columns); the answer is kept only while `request` is the newest */
  loadColumns(request?: QueryRequest): Promise<void>;
}

export const useRecordsQuery = forgetOnOpen(create<RecordsQuery>()((set, get) => ({
  ...filterBar(set, get, (): Promise<ShownError | null> => records.getState().refresh(), "records"),
  sort: undefined,
  idContains: "",
  columns: [],
  hidden: new Set(),
  setSort(field) {
    const sort = get().sort;
    const next = sort?.field === field ? (sort.dir === 1 ? { field, dir: -1 as const } : undefined) : { field, dir: 1 as const };
    set({ sort: next });
    void records.getState().refresh();
  },
  setIdContains(idContains) {
    set({ idContains });
    void records.getState().refresh();
  },
  toggleColumn(field) {
    const hidden = new Set(get().hidden);
    if (hidden.has(field)) hidden.delete(field);
    else hidden.add(field);
    set({ hidden });
  },
  async loadColumns(request = ONE_OFF) {
    try {
      const columns = await api.call("columns", {}, request.options);
      if (stillWanted(request)) set({ columns });
    } catch (err) {
      if (stillWanted(request, err)) set({ columns: [] });
    }
  },
})));

/** Server errors about the filter (bad-filter) surface in the filter bar. */
export const records = createPaged<RecordRow>(() => {
  const q = useRecordsQuery.getState();
  return (offset, limit, options) =>
    api.call("records", { offset, limit, ...(q.filter ? { filter: q.filter } : {}), ...(q.sort ? { sort: q.sort } : {}), ...(q.idContains ? { idContains: q.idContains } : {}) }, options);
}, "records");
