/**
 * Compare any two positions: A and B picked on the Timeline (the cursor) or
 * in Operations (before / after an op), and the records added, removed and
 * changed between the states there, filtered by id and by a MongoDB-style
 * query (diff), a page at a time. A refused query never replaces
 * the last good one.
 */
import { create } from "zustand";
import type { DiffPage } from "../../../electron/contract";
import { api, errorText } from "../api/client";
import type { ShownError } from "../api/client";
import { parseFilter } from "../lib/filter";
import { forgetOnOpen, NewestRequest } from "./perStore";

export const COMPARE_PAGE = 100;

interface CompareState {
  a: number | null;
  b: number | null;
  idText: string;
  filterText: string;
  /** The query and id text in force */
  filter: Record<string, unknown> | undefined;
  idContains: string;
  filterError: string | null;
  offset: number;
  page: DiffPage | null;
  error: ShownError | null;
  pick(which: "a" | "b", position: number): void;
  swap(): void;
  close(): void;
  setIdText(text: string): void;
  setFilterText(text: string): void;
  /** Use the typed id text and query (the query is parsed first; a bad one is said, not used) */
  apply(): Promise<void>;
  goTo(offset: number): Promise<void>;
  load(): Promise<void>;
}

const newest = new NewestRequest();

export const useCompare = forgetOnOpen(create<CompareState>()((set, get) => ({
  a: null,
  b: null,
  idText: "",
  filterText: "",
  filter: undefined,
  idContains: "",
  filterError: null,
  offset: 0,
  page: null,
  error: null,
  pick(which, position) {
    set({ [which]: Math.max(0, Math.round(position)), offset: 0 });
    void get().load();
  },
  swap() {
    set({ a: get().b, b: get().a, offset: 0 });
    void get().load();
  },
  close: () => set({ a: null, b: null, page: null, error: null, offset: 0 }),
  setIdText: (idText) => set({ idText }),
  setFilterText: (filterText) => set({ filterText }),
  async apply() {
    const parsed = parseFilter(get().filterText);
    if (!parsed.ok) return set({ filterError: parsed.error });
    const lastGood = { filter: get().filter, idContains: get().idContains };
    set({ filter: parsed.value, idContains: get().idText.trim(), filterError: null, offset: 0 });
    await get().load();
    const refused = get().error;
    if (refused?.code === "bad-filter") {
      set({ ...lastGood, error: null, filterError: [refused.message, refused.detail].filter(Boolean).join(": ") });
      await get().load();
    }
  },
  async goTo(offset) {
    set({ offset: Math.max(0, offset) });
    await get().load();
  },
  async load() {
    const { a, b, offset, filter, idContains } = get();
    if (a === null || b === null) return set({ page: null });
    const wanted = newest.ask();
    try {
      const page = await api.call("diff", { a, b, offset, limit: COMPARE_PAGE, ...(filter ? { filter } : {}), ...(idContains ? { idContains } : {}) });
      if (wanted()) set({ page, error: null });
    } catch (err) {
      if (wanted()) set({ error: errorText(err) });
    }
  },
})));
