/** A step of a record's history that is not an op: an archive moved the record into a segment (its value there is `before`). */
import type { HistoryEntry } from "../../../electron/contract";
import { useReplay } from "../state/replay";
import { useUi } from "../state/ui";
import { segmentName } from "../state/eventRows";
import { ArchiveLink } from "./ArchiveLink";
import { DiffView } from "./DiffView";
import { shortTime } from "./format";

export function ArchivedHistoryItem({ id, entry }: { id: string; entry: HistoryEntry }) {
  const segment = entry.segment ?? entry.file;
  return (
    <div className="history-item archived" data-testid="history-archived">
      <div className="history-head">
        <span className="op-badge archive">archived</span>
        <span>to <b className="mono">{segmentName(segment)}</b></span>
        <span className="muted">before op #{entry.pos}{entry.ts ? ` · ${shortTime(entry.ts)}` : ""}</span>
        <span className="spacer" />
        <ArchiveLink segment={segment} id={id} label="in archive" />
        <button className="link" title="The Timeline, just after the archive" onClick={() => { useReplay.getState().seek(entry.pos); useUi.getState().show("timeline"); }}>replay here</button>
      </div>
      <DiffView before={entry.before} after={entry.after} archivedTo={segment} />
    </div>
  );
}
