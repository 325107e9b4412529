/**
 * Saved and recent queries, per store and per filter box, in the explorer's
 * own app data (queries.json beside recent.json), never in the store: a
 * read-only session may use them. The last 20 queries applied in a box are
 * kept, newest first; saved ones have a name. A change holds the file's lock
 * across processes and is applied to the file as it is then, written to a
 * temp file of its own and renamed over it (appdata-file.ts), so explorers
 * sharing the folder keep each other's changes; a queries.json that does not
 * parse is kept aside (queries.json.unreadable-<ms>) rather than overwritten.
 */
import { readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import type { FilterBox, FilterHistory } from "./contract.js";
import { replaceFile, withFileLock } from "./appdata-file.js";

export const MAX_RECENT_QUERIES = 20;
const MAX_SAVED_QUERIES = 200;

interface QueriesFile {
  version: 1;
  /** store folder -> filter box -> its lists */
  stores: Record<string, Partial<Record<FilterBox, FilterHistory>>>;
}

/** A box's lists as the file holds them, keeping only well-formed entries (the file may have been edited by hand). */
function clean(list: Partial<FilterHistory> | undefined): FilterHistory {
  const recent = Array.isArray(list?.recent) ? list.recent.filter((t): t is string => typeof t === "string") : [];
  const saved = Array.isArray(list?.saved) ? list.saved.filter((s) => typeof s?.name === "string" && typeof s?.text === "string") : [];
  return { recent, saved };
}

export class QueryHistory {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly home: string) {}

  private get file(): string {
    return join(this.home, "queries.json");
  }

  async list(store: string, box: FilterBox): Promise<FilterHistory> {
    const { data } = await this.read();
    return clean(data.stores[store]?.[box]);
  }

  /** A query was applied in a box: it goes first in the box's recent list (once), the 21st oldest drops off. */
  remember(store: string, box: FilterBox, text: string): Promise<FilterHistory> {
    return this.update(store, box, (list) => ({ ...list, recent: [text, ...list.recent.filter((t) => t !== text)].slice(0, MAX_RECENT_QUERIES) }));
  }

  /** Save a query under a name; a query saved before under that name is replaced. */
  save(store: string, box: FilterBox, name: string, text: string): Promise<FilterHistory> {
    return this.update(store, box, (list) => ({ ...list, saved: [{ name, text, savedAt: new Date().toISOString() }, ...list.saved.filter((s) => s.name !== name)].slice(0, MAX_SAVED_QUERIES) }));
  }

  forget(store: string, box: FilterBox, name: string): Promise<FilterHistory> {
    return this.update(store, box, (list) => ({ ...list, saved: list.saved.filter((s) => s.name !== name) }));
  }

  /** Read, change and write back, one change at a time in this process (two clicks in a row both land) and under the file's lock across processes. */
  private update(store: string, box: FilterBox, change: (list: FilterHistory) => FilterHistory): Promise<FilterHistory> {
    const run = this.queue.then(() =>
      withFileLock(this.file, async () => {
        const { data, unreadable } = await this.read(); // read under the lock: another explorer's change is in it
        if (unreadable) await rename(this.file, `${this.file}.unreadable-${Date.now()}`); // keep what we could not read; start afresh
        const lists = (data.stores[store] ??= {});
        const next = change(clean(lists[box]));
        lists[box] = next;
        await replaceFile(this.file, JSON.stringify(data, null, 2));
        return next;
      }),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async read(): Promise<{ data: QueriesFile; unreadable: boolean }> {
    let text: string;
    try {
      text = await readFile(this.file, "utf-8");
    } catch {
      return { data: { version: 1, stores: {} }, unreadable: false };
    }
    try {
      const parsed = JSON.parse(text) as QueriesFile;
      if (parsed?.version !== 1 || typeof parsed.stores !== "object" || parsed.stores === null) throw new Error("not a queries file");
      return { data: parsed, unreadable: false };
    } catch {
      return { data: { version: 1, stores: {} }, unreadable: true };
    }
  }
}
