/**
 * Compare any two positions, filtered: the diff between the states after a
 * and after b ops, kept to the records whose id contains a text and/or whose
 * value on either side matches a MongoDB-style query (a record that came to
 * match, or stopped matching, is part of the answer). The unfiltered diff is
 * read in batches and only the matching rows are kept, so a diff across a
 * million ops never holds every value at once; the last answer is kept for
 * paging.
 */
import { compileFilter } from "./query.js";
import type { DiffPage, DiffRequest, DiffRow, PageRequest } from "./types.js";

/** Rows of the unfiltered diff read per batch. */
const BATCH = 4096;

/** Whether a request asks for a filtered diff. */
export const isFilteredDiff = (req: DiffRequest): boolean => Boolean(req.filter || req.idContains);

export class FilteredDiffs {
  private kept: { key: string; rows: DiffRow[] } | null = null;

  /** Forget the last answer (the store changed). */
  clear(): void {
    this.kept = null;
  }

  /**
   * A page of the filtered diff. `key` names the unfiltered diff (positions
   * and store state); `unfiltered` pages it.
   */
  async page(key: string, unfiltered: (page: PageRequest) => Promise<DiffPage>, req: DiffRequest): Promise<DiffPage> {
    const predicate = compileFilter(req.filter); // first: a bad filter is refused before anything is read
    const full = JSON.stringify([key, req.filter ?? null, req.idContains ?? ""]);
    if (this.kept?.key !== full) {
      const matches = (row: DiffRow) => (!req.idContains || row.id.includes(req.idContains)) && (!predicate || (row.before !== null && predicate(row.before)) || (row.after !== null && predicate(row.after)));
      const rows: DiffRow[] = [];
      for (let offset = 0, total = Infinity; offset < total; offset += BATCH) {
        const batch = await unfiltered({ offset, limit: BATCH });
        total = batch.total;
        for (const row of batch.rows) if (matches(row)) rows.push(row);
      }
      this.kept = { key: full, rows };
    }
    const { rows } = this.kept;
    const counts = { added: 0, removed: 0, changed: 0, archived: 0 };
    for (const row of rows) counts[row.kind]++;
    return { rows: rows.slice(req.offset, req.offset + req.limit), total: rows.length, offset: req.offset, limit: req.limit, counts };
  }
}
