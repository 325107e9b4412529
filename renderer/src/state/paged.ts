/**
 * A list fetched by page as the user scrolls: the table asks for the rows it
 * shows; missing pages are fetched once; a refresh keeps the rows shown until
 * the new ones arrive, so scroll and selection survive live updates, and
 * keeps each row that reads as before as the same object, so a table draws
 * again only the rows that changed.
 */
import { createStore } from "zustand/vanilla";
import type { CallOptions, Page } from "../../../electron/contract";

/** Which rows a page is */
export interface PageRequest {
  offset: number;
  limit: number;
}
import { errorText } from "../api/client";
import type { ShownError } from "../api/client";
import { forgetOnOpen } from "./perStore";
import { isCancelled, supersedeKey } from "./request";
import { keepSameRows } from "../lib/sameRows";

export const PAGE_SIZE = 200;
const MAX_PAGES = 40;

export interface PagedState<T> {
  total: number | null;
  pages: Map<number, T[]>;
  error: ShownError | null;
  /** Bumped whenever rows change, so tables re-render */
  version: number;
  loaded: boolean;
  rowAt(index: number): T | undefined;
  ensure(first: number, last: number): void;
  /** Refetch what is loaded (live update or new query), keeping it until then; resolves to the error, if any */
  refresh(): Promise<ShownError | null>;
  /** A refresh whose pages someone else fetches (with other answers, in one call): what to fetch, and where its answer goes */
  beginRefresh(): PagedRefresh<T>;
}

/**
 * A refresh under way: the pages it wants, and how its answer lands. Only the
 * newest refresh lands; an older one's answer (or error) is dropped.
 */
export interface PagedRefresh<T> {
  pages: PageRequest[];
  /** The pages' answers, in the order of `pages`, shown at once */
  done(answers: Page<T>[]): void;
  /** The fetch failed: shown as refresh() shows it; resolves to the error (null when cancelled) */
  fail(err: unknown): ShownError | null;
}

/** Fetch one page; pass `options` to the call, so a newer request for the same page stops this one. */
export type Fetcher<T> = (offset: number, limit: number, options: CallOptions) => Promise<Page<T>>;

/**
 * `name`: the list's name in the supersede keys of its pages (none: its requests are never stopped).
 * `pageSize`: rows a page holds; a list refreshed often (the Timeline's state, at each step) asks for what a table shows, not more.
 */
export function createPaged<T>(fetcher: () => Fetcher<T> | null, name?: string, pageSize = PAGE_SIZE) {
  const inflight = new Set<number>();
  let generation = 0;
  const pageOptions = (p: number): CallOptions => (name ? { supersede: supersedeKey(`${name}/page-${p}`) } : {});
  // A paged list shows the open store: forgotten when another opens.
  return forgetOnOpen(createStore<PagedState<T>>()((set, get) => {
    async function load(pageIndex: number, gen: number): Promise<void> {
      const fetch = fetcher();
      if (!fetch || inflight.has(pageIndex)) return;
      inflight.add(pageIndex);
      try {
        const page = await fetch(pageIndex * pageSize, pageSize, pageOptions(pageIndex));
        if (gen !== generation) return;
        const pages = new Map(get().pages);
        pages.set(pageIndex, page.rows);
        evictFar(pages, pageIndex);
        set({ pages, total: page.total, error: null, version: get().version + 1, loaded: true });
      } catch (err) {
        if (gen === generation && !isCancelled(err)) set({ error: errorText(err), loaded: true, version: get().version + 1 });
      } finally {
        inflight.delete(pageIndex);
      }
    }
    return {
      total: null,
      pages: new Map(),
      error: null,
      version: 0,
      loaded: false,
      rowAt: (index) => get().pages.get(Math.floor(index / pageSize))?.[index % pageSize],
      ensure(first, last) {
        // A list whose refresh failed shows why until its next refresh; the query that failed (too slow, say) is not sent again behind the user's back.
        if (get().error && get().pages.size === 0) return;
        for (let p = Math.floor(Math.max(0, first) / pageSize); p <= Math.floor(Math.max(0, last) / pageSize); p++) {
          if (!get().pages.has(p)) void load(p, generation);
        }
      },
      async refresh() {
        const fetch = fetcher();
        const ticket = get().beginRefresh();
        if (!fetch) return null;
        try {
          ticket.done(await Promise.all(ticket.pages.map((page) => fetch(page.offset, page.limit, pageOptions(page.offset / pageSize)))));
          return null;
        } catch (err) {
          return ticket.fail(err);
        }
      },
      beginRefresh() {
        generation++;
        inflight.clear();
        const gen = generation;
        const wanted = [...get().pages.keys()];
        const indexes = wanted.length ? wanted : [0];
        // Its pages are on their way: the table asks none of them again (a second request for a page would stop this one, under the same key).
        for (const p of indexes) inflight.add(p);
        const landed = () => indexes.forEach((p) => inflight.delete(p));
        return {
          pages: indexes.map((p) => ({ offset: p * pageSize, limit: pageSize })),
          done(answers) {
            if (gen !== generation) return;
            landed();
            const before = get().pages;
            const pages = new Map<number, T[]>();
            let total = 0;
            answers.forEach((page, i) => {
              pages.set(indexes[i], keepSameRows(before.get(indexes[i]), page.rows));
              total = page.total;
            });
            set({ pages, total, error: null, version: get().version + 1, loaded: true });
          },
          fail(err) {
            const error = errorText(err);
            if (gen !== generation) return error;
            landed();
            if (isCancelled(err)) return null; // a newer request for one of these pages answers in its place
            // A query the server refused is not "0 rows": the rows of the last good query stay.
            if (error.code === "bad-filter" && get().loaded && get().total !== null) set({ error, version: get().version + 1 });
            else set({ error, loaded: true, total: 0, pages: new Map(), version: get().version + 1 });
            return error;
          },
        };
      },
    };
  }));
}

function evictFar(pages: Map<number, unknown>, around: number): void {
  if (pages.size <= MAX_PAGES) return;
  const far = [...pages.keys()].sort((a, b) => Math.abs(b - around) - Math.abs(a - around));
  for (const p of far.slice(0, pages.size - MAX_PAGES)) pages.delete(p);
}
