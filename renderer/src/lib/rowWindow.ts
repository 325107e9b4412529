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

/** The rows at least partly in `height` px of rows (the view less its sticky header) scrolled to `top`, with `overscan` more on each side. */
export function rowsInView(total: number, rowHeight: number, top: number, height: number, overscan: number): RowWindow {
  if (total <= 0) return { first: 0, last: -1 };
  const firstSeen = Math.min(total - 1, Math.max(0, Math.floor(top / rowHeight)));
  const lastSeen = Math.min(total - 1, Math.max(firstSeen, Math.ceil((top + height) / rowHeight) - 1));
  return { first: Math.max(0, firstSeen - overscan), last: Math.min(total - 1, lastSeen + overscan) };
}

/**
 * The scroll offset that shows row `index` whole: unchanged when it is, else
 * the row just below the sticky header (`headHeight` px, above the rows) or
 * at the bottom of the view, whichever is the shorter move.
 */
export function scrollToShow(index: number, total: number, rowHeight: number, top: number, height: number, headHeight: number): number {
  if (total <= 0) return top;
  const row = Math.max(0, Math.min(index, total - 1));
  const start = row * rowHeight; // from the first row's top; the rows begin headHeight below the scroll's top
  const end = start + rowHeight;
  const rowsShown = Math.max(rowHeight, height - headHeight);
  const maxTop = Math.max(0, total * rowHeight + headHeight - height);
  let to: number;
  if (end > top + rowsShown) to = end - rowsShown;
  else if (start < top) to = start;
  else return top;
  return Math.max(0, Math.min(maxTop, to));
}
