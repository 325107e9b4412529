/**
 * A virtualized table over a paged source: renders only the rows in view,
 * asks the source for their pages, and stays smooth at a million rows.
 * Arrow keys / j / k move the selection.
 */
import { memo, useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState } from "react";
import type { KeyboardEvent, ReactNode, RefObject } from "react";
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import type { PagedState } from "../state/paged";
import { PaneError } from "./PaneError";
import { rowsInView, scrollToShow } from "../lib/rowWindow";
import type { RowWindow } from "../lib/rowWindow";

export interface TableColumn<T> {
  key: string;
  label: string;
  width: number;
  render(row: T): ReactNode;
  sortable?: boolean;
}

interface Props<T> {
  source: StoreApi<PagedState<T>>;
  columns: TableColumn<T>[];
  rowKey(row: T): string;
  selectedKey: string | null;
  highlightKey?: string | null;
  onSelect(row: T): void;
  sort?: { field: string; dir: 1 | -1 };
  onSort?(field: string): void;
  testId: string;
  /** Each row's data-testid: one for all, or per row (e.g. "op-row" and "event-row") */
  rowTestId: string | ((row: T) => string);
  /** A row drawn whole, across every column (e.g. an event among ops); null: drawn by the columns */
  wholeRow?(row: T): ReactNode | null;
  empty: ReactNode;
  rowClass?(row: T): string;
  /** An error code the view already shows above the table (e.g. "bad-filter" in the filter bar) */
  errorShownAbove?: string;
}

const ROW_HEIGHT = 28;
/** Rows drawn beyond each edge of the view */
const OVERSCAN = 20;

/**
 * The rows of `total` in view of the scroll element: drawn again when the
 * scroll or the element's size brings other rows into view (not on every
 * pixel), and when total changes.
 */
function useRowWindow(scrollRef: RefObject<HTMLDivElement | null>, rowsRef: RefObject<HTMLDivElement | null>, total: number): RowWindow & { scrollToIndex(index: number): void } {
  const view = useRef({ top: 0, height: 0 });
  /** The sticky header above the rows: the rows begin this far down the scroll, and it hides as much of the view */
  const headHeight = () => rowsRef.current?.offsetTop ?? 0;
  const totalNow = useRef(total);
  totalNow.current = total;
  const drawn = rowsInView(total, ROW_HEIGHT, view.current.top, view.current.height, OVERSCAN);
  const drawnNow = useRef(drawn);
  drawnNow.current = drawn;
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const update = () => {
      view.current = { top: el.scrollTop, height: el.clientHeight - headHeight() };
      const next = rowsInView(totalNow.current, ROW_HEIGHT, view.current.top, view.current.height, OVERSCAN);
      if (next.first !== drawnNow.current.first || next.last !== drawnNow.current.last) redraw();
    };
    update();
    el.addEventListener("scroll", update, { passive: true });
    const resized = new ResizeObserver(update);
    resized.observe(el);
    return () => {
      el.removeEventListener("scroll", update);
      resized.disconnect();
    };
  }, [scrollRef, rowsRef]);
  return {
    ...drawn,
    scrollToIndex(index) {
      const el = scrollRef.current;
      if (el) el.scrollTop = scrollToShow(index, totalNow.current, ROW_HEIGHT, el.scrollTop, el.clientHeight, headHeight());
    },
  };
}

export function VirtualTable<T>(props: Props<T>) {
  const { source, columns } = props;
  const total = useStore(source, (s) => s.total);
  useStore(source, (s) => s.version);
  const error = useStore(source, (s) => s.error);
  const loaded = useStore(source, (s) => s.loaded);
  const rowAt = source.getState().rowAt;
  const scrollRef = useRef<HTMLDivElement>(null);
  /** The row the keys move from; -1 before any is chosen, so the first j or ↓ picks the first row */
  const [focusIndex, setFocusIndex] = useState(-1);
  const rowsRef = useRef<HTMLDivElement>(null);
  const rows = useRowWindow(scrollRef, rowsRef, total ?? 0);
  const first = rows.last >= rows.first ? rows.first : 0;
  const last = rows.last >= rows.first ? rows.last : 0;
  const indexes: number[] = [];
  for (let i = rows.first; i <= rows.last; i++) indexes.push(i);

  // A short wait so a fast fling through a million rows fetches only where it stops.
  useEffect(() => {
    const wait = setTimeout(() => source.getState().ensure(first, last), 40);
    return () => clearTimeout(wait);
  }, [source, first, last, total]);

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>): void {
    const delta = e.key === "ArrowDown" || e.key === "j" ? 1 : e.key === "ArrowUp" || e.key === "k" ? -1 : 0;
    if (!delta || !total) return;
    e.preventDefault();
    const from = focusIndex >= 0 ? focusIndex : selectedIndex();
    const next = from < 0 ? 0 : Math.max(0, Math.min(total - 1, from + delta));
    setFocusIndex(next);
    rows.scrollToIndex(next);
    const row = rowAt(next);
    if (row) props.onSelect(row);
  }

  /** The selected row's index among the rows in view (a selection made elsewhere, e.g. another view), else -1. */
  function selectedIndex(): number {
    if (props.selectedKey === null) return -1;
    for (let i = first; i <= last; i++) {
      const row = rowAt(i);
      if (row && props.rowKey(row) === props.selectedKey) return i;
    }
    return -1;
  }

  const width = columns.reduce((w, c) => w + c.width, 0);
  // One click handler for every row, so a row's props stay the same while its row does (TableRow's memo).
  const onSelect = useRef(props.onSelect);
  onSelect.current = props.onSelect;
  const pick = useCallback((index: number, row: T) => {
    setFocusIndex(index);
    onSelect.current(row);
  }, []);
  const shownError = error && error.code !== props.errorShownAbove ? error : null;
  return (
    <div className="vtable" data-testid={props.testId}>
      {shownError ? <PaneError error={shownError} /> : null}
      <div className="vtable-body" ref={scrollRef} tabIndex={0} onKeyDown={onKeyDown} role="grid" aria-rowcount={total ?? 0}>
        <div className="vtable-head" style={{ minWidth: width }} role="row">
          {columns.map((c) => (
            <div key={c.key} role="columnheader" className={`vtable-cell head${c.sortable ? " sortable" : ""}`} style={{ width: c.width }} onClick={() => c.sortable && props.onSort?.(c.key)} title={c.sortable ? `Sort by ${c.label}` : undefined} aria-sort={props.sort?.field === c.key ? (props.sort.dir === 1 ? "ascending" : "descending") : undefined}>
              {c.label}
              {props.sort?.field === c.key ? (props.sort.dir === 1 ? " ▲" : " ▼") : ""}
            </div>
          ))}
        </div>
        {loaded && total === 0 && !error ? <div className="empty">{props.empty}</div> : null}
        <div ref={rowsRef} style={{ height: (total ?? 0) * ROW_HEIGHT, minWidth: width, position: "relative" }}>
          {indexes.map((index) => {
            const row = rowAt(index);
            const key = row ? props.rowKey(row) : null;
            const testId = row ? (typeof props.rowTestId === "string" ? props.rowTestId : props.rowTestId(row)) : undefined;
            const cls = ["vtable-row", index % 2 ? "odd" : "", key !== null && key === props.selectedKey ? "selected" : "", key !== null && key === props.highlightKey ? "highlight" : "", row && props.rowClass ? props.rowClass(row) : ""].join(" ");
            return <TableRow<T> key={index} index={index} row={row} rowKey={key} className={cls} selected={key !== null && key === props.selectedKey} testId={testId} columns={columns} width={width} wholeRow={props.wholeRow} pick={pick} />;
          })}
        </div>
      </div>
    </div>
  );
}

interface RowProps<T> {
  index: number;
  row: T | undefined;
  rowKey: string | null;
  className: string;
  selected: boolean;
  testId: string | undefined;
  columns: TableColumn<T>[];
  width: number;
  wholeRow?(row: T): ReactNode | null;
  pick(index: number, row: T): void;
}

/** One row, drawn again only when what it shows changed: a refresh keeps the rows that read as before as the same objects (paged.ts), so a replay step draws only the rows it changed. */
const TableRow = memo(function TableRow<T>({ index, row, rowKey, className, selected, testId, columns, width, wholeRow, pick }: RowProps<T>) {
  const whole = row && wholeRow ? wholeRow(row) : null;
  return (
    <div role="row" aria-selected={selected} className={className} data-testid={testId} data-key={rowKey ?? undefined} style={{ transform: `translateY(${index * ROW_HEIGHT}px)`, height: ROW_HEIGHT, minWidth: width }} onClick={() => { if (row) pick(index, row); }}>
      {whole ? <div className="vtable-cell whole" style={{ width }}>{whole}</div> : row ? columns.map((c) => <div key={c.key} className="vtable-cell" style={{ width: c.width }}>{c.render(row)}</div>) : <div className="vtable-cell loading">…</div>}
    </div>
  );
}) as <T>(props: RowProps<T> & { key?: number }) => ReactNode;
