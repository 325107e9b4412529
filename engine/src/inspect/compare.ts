/**
 * Compare any two positions, filtered: the diff between the states after a
 * and after b ops, kept to the records whose id contains a text and/or whose
 * value on either side matches a MongoDB-style query (a record that came to
 * match, or stopped matching, is part of the answer). The unfiltered diff is
 * read in batches and only the matching rows are kept, so a diff across a
 * million ops never holds every value at once; the last answer is kept for
 * paging.
 */
import { checkpoint } from "./checkpoint.js";
import type { QueryContext } from "./context.js";
import { compileFilter } from "./filter.js";
import type { DiffPage, DiffRequest, DiffRow, PageRequest } from "./types.js";

/** Rows of the unfiltered diff read per batch. */
const BATCH = 4096;

/** Whether a request asks for a filtered diff. */
export const isFilteredDiff = (req: DiffRequest): boolean => Boolean(req.filter || req.idContains);

/** A page of the filtered diff; `unfiltered` pages the diff between the same positions. The matching rows are kept for paging. */
export async function filteredDiffPage(ctx: QueryContext, req: DiffRequest, unfiltered: (page: PageRequest) => Promise<DiffPage>, signal?: AbortSignal): Promise<DiffPage> {
  const predicate = compileFilter(req.filter); // first: a bad filter is refused before anything is read
  const key = JSON.stringify([req.a, req.b, ctx.total, req.filter ?? null, req.idContains ?? ""]);
  const rows = await ctx.caches.cachedAsync("filteredDiff", key, async () => {
    const matches = (row: DiffRow) => (!req.idContains || row.id.includes(req.idContains)) && (!predicate || (row.before !== null && predicate(row.before)) || (row.after !== null && predicate(row.after)));
    const kept: DiffRow[] = [];
    for (let offset = 0, total = Infinity; offset < total; offset += BATCH) {
      await checkpoint(signal);
      const batch = await unfiltered({ offset, limit: BATCH });
      total = batch.total;
      for (const row of batch.rows) if (matches(row)) kept.push(row);
    }
    return kept;
  });
  const counts = { added: 0, removed: 0, changed: 0, archived: 0 };
  for (const row of rows) counts[row.kind]++;
  return { rows: rows.slice(req.offset, req.offset + req.limit), total: rows.length, offset: req.offset, limit: req.limit, counts };
}
