/**
 * The Agents view's shared axis: a bar to choose time or position and to
 * zoom or fit all, the ruler with labels that never touch, and the gestures
 * on the lanes (wheel zooms around the pointer, drag pans, a drag on the
 * ruler or a shift-drag on the lanes picks a range to zoom into).
 */
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import type { ReactNode, RefObject } from "react";
import { useAgentsAxis } from "../state/agentsAxis";
import { axisTicks, spanText } from "../lib/axisTicks";
import type { AxisKind } from "../lib/axisTicks";
import { dateTimeText } from "../lib/timeFormat";

const precise = (ms: number) => dateTimeText(ms, "ms");

/** The window in view, in words. */
function windowText(kind: AxisKind, [a, b]: [number, number], extent: [number, number]): string {
  if (kind === "position") return `positions ${Math.round(a).toLocaleString()}–${Math.round(b).toLocaleString()} of ${Math.round(extent[1]).toLocaleString()}`;
  return `${precise(a)} – ${precise(b)} (${spanText(b - a)})`;
}

export function AxisBar({ extent }: { extent: [number, number] | null }) {
  const { kind, window: view, setKind, zoom, fitAll } = useAgentsAxis();
  const shown = view ?? extent;
  const middle = shown ? (shown[0] + shown[1]) / 2 : 0;
  return (
    <div className="axis-bar">
      <span className="segmented" role="group" aria-label="Axis">
        <button aria-pressed={kind === "time"} data-testid="axis-kind-time" onClick={() => setKind("time")} title="Marks where their time puts them">time</button>
        <button aria-pressed={kind === "position"} data-testid="axis-kind-position" onClick={() => setKind("position")} title="One slot per op in replay order: bursts spread out">position</button>
      </span>
      <button data-testid="axis-zoom-in" disabled={!extent} onClick={() => extent && zoom(extent, 0.5, middle)} title="Zoom in (or the wheel over the lanes)">+</button>
      <button data-testid="axis-zoom-out" disabled={!view} onClick={() => extent && zoom(extent, 2, middle)} title="Zoom out">−</button>
      <button data-testid="axis-fit" disabled={!view} onClick={fitAll} title="Show the whole extent">Fit all</button>
      <span className="muted small mono" data-testid="axis-window" data-from={shown?.[0]} data-to={shown?.[1]}>{shown ? windowText(kind, shown, extent!) : ""}</span>
      <span className="spacer" />
      <span className="muted small">wheel: zoom · drag: pan · drag on the ruler: zoom to a range</span>
    </div>
  );
}

/** The ruler's width in px, kept up to date as the window resizes. */
function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    setWidth(el.clientWidth);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

interface Drag {
  mode: "pan" | "range";
  startX: number;
  lastX: number;
  moved: boolean;
}

/**
 * The lanes with their ruler and gestures. `children` are the lanes; the
 * ruler's left edge and width are the tracks' own.
 */
export function LaneArea({ extent, children }: { extent: [number, number] | null; children: ReactNode }) {
  const { kind, window: view } = useAgentsAxis();
  const area = useRef<HTMLDivElement>(null);
  const ruler = useRef<HTMLDivElement>(null);
  const width = useWidth(ruler);
  const drag = useRef<Drag | null>(null);
  const [band, setBand] = useState<[number, number] | null>(null);
  const shown = view ?? extent;
  const ticks = shown ? axisTicks(kind, shown, width) : [];

  /** Pointer x (client px) to the axis's units, and the ruler's left edge */
  const toAxis = (clientX: number): { at: number; x: number } | null => {
    const box = ruler.current?.getBoundingClientRect();
    const view = useAgentsAxis.getState().window ?? extent;
    if (!box || !view || box.width === 0) return null;
    const x = clientX - box.left;
    return { at: view[0] + (x / box.width) * (view[1] - view[0]), x };
  };

  // The wheel zooms the lanes, not the page: a native listener, since React's is passive.
  useEffect(() => {
    const el = area.current;
    if (!el || !extent) return;
    const onWheel = (e: WheelEvent) => {
      const p = toAxis(e.clientX);
      if (!p || p.x < 0) return; // over the lane labels: scroll as usual
      e.preventDefault();
      const axis = useAgentsAxis.getState();
      const view = axis.window ?? extent;
      if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) axis.pan(extent, ((e.deltaX || e.deltaY) / (ruler.current?.clientWidth || 1)) * (view[1] - view[0]));
      else axis.zoom(extent, Math.exp(e.deltaY * 0.0015), p.at);
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, [extent]); // toAxis reads only refs, the axis store and extent

  function onPointerDown(e: React.PointerEvent<HTMLDivElement>): void {
    const p = toAxis(e.clientX);
    if (!p || p.x < 0 || e.button !== 0 || !extent) return;
    const onRuler = ruler.current?.contains(e.target as Node) ?? false;
    drag.current = { mode: e.shiftKey || onRuler ? "range" : "pan", startX: e.clientX, lastX: e.clientX, moved: false };
  }

  function onPointerMove(e: React.PointerEvent<HTMLDivElement>): void {
    const d = drag.current;
    if (!d || !extent) return;
    if (!d.moved && Math.abs(e.clientX - d.startX) > 3) {
      d.moved = true;
      area.current?.setPointerCapture(e.pointerId); // only now: a plain click must still reach the mark under it
    }
    if (d.mode === "pan") {
      const view = useAgentsAxis.getState().window ?? extent;
      useAgentsAxis.getState().pan(extent, (-(e.clientX - d.lastX) / (ruler.current?.clientWidth || 1)) * (view[1] - view[0]));
    } else if (d.moved) {
      const [a, b] = [toAxis(d.startX)!.x, toAxis(e.clientX)!.x].sort((x, y) => x - y);
      setBand([Math.max(0, a), Math.min(width, b)]);
    }
    d.lastX = e.clientX;
  }

  function onPointerUp(e: React.PointerEvent<HTMLDivElement>): void {
    const d = drag.current;
    if (d?.mode === "range" && d.moved && extent) useAgentsAxis.getState().zoomTo(extent, toAxis(d.startX)!.at, toAxis(e.clientX)!.at);
    setBand(null);
    // A drag is not a click on the mark it ended on.
    if (d?.moved) blockNextClick();
    drag.current = null;
  }

  const labelWidth = ruler.current ? ruler.current.offsetLeft : 0;
  return (
    <div className={`lane-area${band ? " selecting" : ""}`} ref={area} onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={onPointerUp} onPointerCancel={() => { drag.current = null; setBand(null); }} data-testid="lane-area">
      <div className="lane-axis" ref={ruler} data-testid="lane-axis" title="Drag here to zoom into a range">
        {ticks.map((t) => <span key={t.label} className="axis-tick" data-testid="axis-tick" style={{ left: t.left }}>{t.label}</span>)}
        {ticks.map((t) => <i key={t.label} className="axis-tick-line" style={{ left: t.x }} />)}
      </div>
      {children}
      {band ? <div className="axis-band" data-testid="axis-band" style={{ left: labelWidth + band[0], width: band[1] - band[0] }} /> : null}
    </div>
  );
}

/** Swallow the click that ends a drag, so a pan does not open the op under the pointer. */
function blockNextClick(): void {
  const block = (e: MouseEvent) => {
    e.stopPropagation();
    e.preventDefault();
  };
  document.addEventListener("click", block, { capture: true, once: true });
  setTimeout(() => document.removeEventListener("click", block, { capture: true }), 0);
}
