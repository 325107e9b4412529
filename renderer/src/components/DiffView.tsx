/** What changed between two versions of a record, top-level key by key; a record an archive moved out says so, not "deleted". */
import { segmentName } from "../state/eventRows";

type Doc = Record<string, unknown> | null;

function show(value: unknown): string {
  return value === undefined ? "—" : JSON.stringify(value);
}

export function DiffView({ before, after, archivedTo }: { before: Doc; after: Doc; archivedTo?: string }) {
  if (before === null && after === null) return <div className="muted">(no record on either side)</div>;
  if (before === null) return <div className="diff"><div className="diff-line added">created</div>{Object.keys(after!).map((k) => <DiffLine key={k} field={k} kind="added" after={after![k]} />)}</div>;
  if (after === null && archivedTo) return <div className="diff"><div className="diff-line archived" title={archivedTo}>moved into {segmentName(archivedTo)} as it was</div></div>;
  if (after === null) return <div className="diff"><div className="diff-line removed">deleted</div></div>;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const changed = keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  if (changed.length === 0) return <div className="muted">(no change)</div>;
  return (
    <div className="diff">
      {changed.map((k) => (
        <DiffLine key={k} field={k} kind={!(k in before) ? "added" : !(k in after) ? "removed" : "changed"} before={before[k]} after={after[k]} />
      ))}
    </div>
  );
}

function DiffLine({ field, kind, before, after }: { field: string; kind: "added" | "removed" | "changed"; before?: unknown; after?: unknown }) {
  return (
    <div className={`diff-line ${kind}`}>
      <span className="diff-field">{field}</span>
      {kind !== "added" ? <span className="diff-before">{show(before)}</span> : null}
      {kind === "changed" ? <span className="diff-arrow">→</span> : null}
      {kind !== "removed" ? <span className="diff-after">{show(after)}</span> : null}
    </div>
  );
}
