/**
 * Which rows of a table of fixed-height rows are in view, and where to
 * scroll to bring a row into view: arithmetic on the scroll offset, the
 * same for ten rows as for a million. (A general virtualizer measures every
 * row each time the row count changes: tens of ms at a million rows, paid
 * on every filter and every Timeline step.)
 */

export interface RowWindow {
  /** First and last row to draw (overscan included); last < first when there are none */
  first: number;
  last: number;
}

/** The rows at least partly in a view of `height` px scrolled to `top`, with `overscan` more on each side. */
export function rowsInView(total: number, rowHeight: number, top: number, height: number, overscan: number): RowWindow {
  if (total <= 0) return { first: 0, last: -1 };
  const firstSeen = Math.min(total - 1, Math.max(0, Math.floor(top / rowHeight)));
  const lastSeen = Math.min(total - 1, Math.max(firstSeen, Math.ceil((top + height) / rowHeight) - 1));
  return { first: Math.max(0, firstSeen - overscan), last: Math.min(total - 1, lastSeen + overscan) };
}

/**
 * The scroll offset that shows row `index`: unchanged when it is in view
 * (below a header of `paddingStart` px), else the row at the top (under the
 * header) or at the bottom, whichever is the shorter move.
 */
export function scrollToShow(index: number, total: number, rowHeight: number, top: number, height: number, paddingStart: number): number {
  if (total <= 0) return top;
  const row = Math.max(0, Math.min(index, total - 1));
  const start = row * rowHeight;
  const end = start + rowHeight;
  const maxTop = Math.max(0, total * rowHeight - height);
  let to: number;
  if (end >= top + height) to = end - height;
  else if (start <= top + paddingStart) to = start - paddingStart;
  else return top;
  return Math.max(0, Math.min(maxTop, to));
}
