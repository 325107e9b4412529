/** A step of a record's history that is not an op: an archive moved the record into a segment, with the value it had then (`before`). */
import type { HistoryEntry } from "../../../electron/contract";
import { segmentName } from "../state/eventRows";
import { ArchiveLink } from "./ArchiveLink";
import { JsonView } from "./JsonView";
import { eventPlace, shortTime } from "../lib/format";
import { replayAt } from "../commands";

export function ArchivedHistoryItem({ id, entry }: { id: string; entry: HistoryEntry }) {
  const segment = entry.segment ?? entry.file;
  return (
    <div className="history-item archived" data-testid="history-archived">
      <div className="history-head">
        <span className="op-badge archive">archive</span>
        <span>archived to <b className="mono">{segmentName(segment)}</b></span>
        <span className="muted">at {eventPlace(entry.pos)}</span>
      </div>
      <div className="history-head small">
        <span className="muted">{entry.ts ? shortTime(entry.ts) : ""}</span>
        <span className="spacer" />
        <ArchiveLink segment={segment} id={id} label="in archive" />
        <button className="link" title="The Timeline, just after the archive" onClick={() => replayAt(entry.pos)}>replay here</button>
      </div>
      <div className="small muted">It left the live state with this value:</div>
      <JsonView value={entry.before} />
    </div>
  );
}
