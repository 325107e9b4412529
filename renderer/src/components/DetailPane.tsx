/**
 * The pane at the right of a view (a record's JSON, an op, a blob's
 * preview), with a handle on its left edge: drag it or use the arrow keys to
 * resize, Enter or its button to fold the pane away; a folded pane leaves a
 * strip that brings it back. Width and folding are the user's (detailPane.ts).
 */
import { memo, useRef } from "react";
import type { KeyboardEvent, PointerEvent, ReactNode } from "react";
import { MIN_PANE_PX, useDetailPane } from "../state/detailPane";
import type { PaneKind } from "../state/detailPane";

interface Props {
  className?: string;
  testId?: string;
  kind?: PaneKind;
  children: ReactNode;
}

const KEY_STEP_PX = 24;

export function DetailPane({ className = "", testId, kind = "detail", children }: Props) {
  const width = useDetailPane((s) => s.widths[kind]);
  const collapsed = useDetailPane((s) => s.collapsed);
  const pane = useRef<HTMLElement>(null);
  const extra = className ? ` ${className}` : "";
  if (collapsed) {
    return (
      <div className={`pane-strip${extra}`} data-testid="pane-strip">
        <button onClick={() => useDetailPane.getState().setCollapsed(false)} aria-label="Show the detail pane" title="Show the detail pane" data-testid="pane-expand">‹</button>
      </div>
    );
  }
  return (
    <>
      <PaneHandle kind={kind} pane={pane} className={extra} />
      <aside ref={pane} className={`detail-pane${extra}`} style={width ? { width } : undefined} data-testid={testId}>{children}</aside>
    </>
  );
}

/** The room the pane and the main pane share: their split's width. */
const roomOf = (el: HTMLElement | null) => el?.parentElement?.clientWidth ?? window.innerWidth;

/** Memo: drawn again only when its own props or width change, not with the pane's content (its offsetWidth, read while drawing, forces a layout: a Timeline step paid it each time). */
const PaneHandle = memo(function PaneHandle({ kind, pane, className }: { kind: PaneKind; pane: React.RefObject<HTMLElement | null>; className: string }) {
  const width = useDetailPane((s) => s.widths[kind]);
  const shown = width ?? pane.current?.offsetWidth ?? 0;
  const resize = (px: number) => useDetailPane.getState().setWidth(kind, px, roomOf(pane.current));

  function onPointerDown(e: PointerEvent<HTMLDivElement>): void {
    if (e.button !== 0 || (e.target as HTMLElement).closest("button")) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
  }
  function onPointerMove(e: PointerEvent<HTMLDivElement>): void {
    if (!e.currentTarget.hasPointerCapture(e.pointerId) || !pane.current) return;
    resize(pane.current.getBoundingClientRect().right - e.clientX);
  }
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>): void {
    const current = pane.current?.offsetWidth ?? shown;
    const moves: Record<string, () => void> = {
      ArrowLeft: () => resize(current + KEY_STEP_PX), // the handle moves left: the pane widens
      ArrowRight: () => resize(current - KEY_STEP_PX),
      Home: () => resize(MIN_PANE_PX),
      End: () => resize(Infinity),
      Enter: () => useDetailPane.getState().setCollapsed(true),
    };
    if (!moves[e.key]) return;
    e.preventDefault();
    e.stopPropagation(); // the view's own keys (step, j/k) must not see it
    moves[e.key]();
  }
  return (
    <div className={`pane-handle${className}`} role="separator" aria-orientation="vertical" aria-label="Resize the detail pane (← → to resize, Enter to hide it)" aria-valuenow={Math.round(shown)} aria-valuemin={MIN_PANE_PX} tabIndex={0} title="Drag to resize; ← → with the handle focused; Enter hides the pane" data-testid="pane-handle" onPointerDown={onPointerDown} onPointerMove={onPointerMove} onKeyDown={onKeyDown}>
      <button className="pane-collapse" tabIndex={-1} onClick={() => useDetailPane.getState().setCollapsed(true)} aria-label="Hide the detail pane" title="Hide the detail pane" data-testid="pane-collapse">›</button>
    </div>
  );
});
