/** An archive or a compaction selected in Operations: what it did, where it sits, and links to replay it and to the archived records. */
import type { TimelineEvent } from "../../../electron/contract";
import { describeEvent, segmentName } from "../state/eventRows";
import { ArchiveLink } from "../components/ArchiveLink";
import { eventPlace, shortTime } from "../lib/format";
import { replayAt } from "../commands";
import { DetailPane } from "../components/DetailPane";

const IDS_LISTED = 50;

export function EventDetail({ event }: { event: TimelineEvent }) {
  const { kind, position, segment } = event;
  return (
    <DetailPane testId="event-detail">
      <div className="panel-title">
        <span className={`op-badge ${kind}`}>{kind}</span> <span>{describeEvent(event)}</span>
        <span className="spacer" />
        <button onClick={() => replayAt(position)} data-testid="event-replay">Replay here</button>
      </div>
      <dl className="facts">
        <dt>position</dt><dd className="mono">{eventPlace(position)}</dd>
        <dt>time</dt><dd className="mono">{event.time ? shortTime(event.time) : "unknown"}</dd>
        <dt>snapshot</dt><dd className="mono">{event.snapshot}</dd>
        <dt>ops folded</dt><dd>{event.opsFolded === null ? "unknown: this link's WALs are gone" : event.opsFolded.toLocaleString()}</dd>
        {segment ? <><dt>segment</dt><dd className="mono">{segment}</dd></> : null}
      </dl>
      {kind === "compaction" ? <p className="muted small">A compaction writes the state into a new snapshot and starts a new WAL; no record changes.</p> : null}
      {segment ? (
        <>
          <h3>Archived records <span className="muted">({event.archivedCount.toLocaleString()})</span></h3>
          <p className="muted small">opslog's archive() moved these out of the live state into {segmentName(segment)} (not a delete), then compacted.</p>
          <div className="event-ids">
            {event.archivedIds.slice(0, IDS_LISTED).map((id) => <div key={id} className="mono">{id} <ArchiveLink segment={segment} id={id} label="open" /></div>)}
          </div>
          {event.archivedCount > IDS_LISTED ? <div className="muted small">…and {(event.archivedCount - IDS_LISTED).toLocaleString()} more</div> : null}
        </>
      ) : null}
    </DetailPane>
  );
}
