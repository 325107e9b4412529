/**
 * The replay slider, under the Timeline chart's plot and lined up with it:
 * its padding puts the thumb's centre at position 0 on the plot's left edge
 * and at the last position on its right edge (the thumb's width is --thumb
 * in styles.css), so the thumb, the markers on it and the chart's marks at
 * one position share one x. Archives and compactions are marked on it; a
 * marker's hover says what, a click goes there. Hovering tells the chart
 * which position is under the pointer.
 */
import type { CSSProperties } from "react";
import type { TimelineEvent } from "../../../electron/contract";
import { useReplay } from "../state/replay";
import { useTimelineEvents } from "../state/events";
import { describeEvent } from "../state/eventRows";
import { eventPlace } from "../lib/format";
import { positionAt } from "../lib/chartAxis";
import type { PlotArea } from "./OpsChart";

export function ScrubberTrack({ area, onHover }: { area: PlotArea | null; onHover(position: number | null): void }) {
  const cursor = useReplay((s) => s.cursor);
  const total = useReplay((s) => s.info?.total ?? 0);
  const seek = useReplay((s) => s.seek);
  const style = area ? ({ "--plot-left": `${area.left}px`, "--plot-right": `${area.right}px` } as CSSProperties) : undefined;
  // The position under the pointer, as the slider maps x to a value: the thumb's centre runs from half a thumb in from each end.
  const hover = (e: React.MouseEvent<HTMLInputElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const thumb = parseFloat(getComputedStyle(e.currentTarget).getPropertyValue("--thumb")) || 0;
    onHover(positionAt(((e.clientX - box.left - thumb / 2) / Math.max(1, box.width - thumb)) * total, total));
  };
  return (
    <div className="scrubber-row" style={style} data-testid="scrubber-row">
      <div className="scrubber-track">
        <input type="range" min={0} max={total} value={cursor} onChange={(e) => seek(Number(e.target.value))} onMouseMove={hover} onMouseLeave={() => onHover(null)} data-testid="scrubber" aria-label="Replay position" title="Replay position: drag, or click a place (the chart above counts the ops at each position)" />
        <div className="event-markers">
          <EventMarkers total={total} seek={seek} />
        </div>
      </div>
    </div>
  );
}

/** One marker per position where archives or compactions took effect; hover says what, a click goes there. */
function EventMarkers({ total, seek }: { total: number; seek(pos: number): void }) {
  const events = useTimelineEvents((s) => s.events);
  const byPosition = new Map<number, TimelineEvent[]>();
  for (const e of events) byPosition.set(e.position, [...(byPosition.get(e.position) ?? []), e]);
  return [...byPosition].map(([position, here]) => {
    const archive = here.some((e) => e.kind === "archive");
    const title = `at ${eventPlace(position)}: ${here.map(describeEvent).join("; ")}`;
    return <button key={position} className={`event-marker ${archive ? "archive" : "compaction"}`} style={{ left: `${total ? (position / total) * 100 : 0}%` }} title={title} aria-label={title} data-testid="event-marker" data-position={position} onClick={() => seek(position)} />;
  });
}
