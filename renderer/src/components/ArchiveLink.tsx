/** A link from an archived record (in a diff, a record's history, an event) to that record in the Archive view. */
import { useArchive } from "../state/archive";
import { useUi } from "../state/ui";
import { segmentName } from "../state/eventRows";

export function ArchiveLink({ segment, id, label }: { segment: string; id: string; label?: string }) {
  return (
    <button className="link" data-testid="archive-link" title={`"${id}" in ${segment}, in the Archive view`} onClick={() => { void useArchive.getState().showRecord(segment, id); useUi.getState().show("archive"); }}>
      {label ?? `open in ${segmentName(segment)}`}
    </button>
  );
}
