/** One record: its JSON, every op that touched it (with diffs) and every archive that moved it, and, when writable, edit and delete. */
import { useState } from "react";
import { api } from "../api/client";
import { useQuery } from "../state/query";
import type { QueryRequest } from "../state/request";
import { selectInfo, useSession } from "../state/session";
import { useUi } from "../state/ui";
import { JsonView } from "../components/JsonView";
import { DiffView } from "../components/DiffView";
import { replayAt, showOp } from "../commands";
import { runAction } from "../lib/runAction";
import { opLabel, positionAfter, shortTime, plural } from "../lib/format";
import { PaneError } from "../components/PaneError";
import { ArchivedHistoryItem } from "../components/ArchivedHistoryItem";
import { ExportMenu } from "../components/ExportMenu";
import { BlobLinks } from "../components/BlobLinks";
import { historySource } from "../state/export";
import { DetailPane } from "../components/DetailPane";

const getRecord = (id: string, request: QueryRequest) => api.call("records.get", { id }, request.options);

export function RecordDetail({ id }: { id: string }) {
  const info = useSession(selectInfo);
  const { data: record, error } = useQuery(getRecord, id);
  const ask = useUi((s) => s.ask);
  const [editing, setEditing] = useState(false);
  const writable = info?.mode !== "read-only";
  const shown = record?.id === id ? record : null;
  return (
    <DetailPane testId="record-detail">
      <div className="panel-title">
        <span className="mono">{id}</span>
        <span className="spacer" />
        <button disabled={!writable || !shown?.value} title={writable ? "Edit this record as JSON" : info?.modeReason} onClick={() => setEditing(true)}>Edit</button>
        <button className="danger" disabled={!writable || !shown?.value} title={writable ? "Delete this record" : info?.modeReason} onClick={() => ask({ title: `Delete "${id}"?`, body: "Appends a delete op. You can undo it, or revert it from the Operations view.", confirmLabel: "Delete", danger: true, onConfirm: () => runAction("Delete", () => api.call("actions.delete", { id }), useUi.getState().toast) })}>Delete</button>
      </div>
      {error ? <PaneError error={error} /> : null}
      {editing && shown?.value ? <RecordEditor id={id} initial={shown.value} onDone={() => setEditing(false)} /> : <JsonView value={shown?.value ?? null} />}
      {shown?.value ? <BlobLinks id={id} /> : null}
      <h3 className="history-title">History <span className="muted">({plural(shown?.history.filter((h) => h.op !== "archive").length ?? 0, "op")})</span><span className="spacer" /><ExportMenu name="history" source={() => historySource(id)} title="This record's history: every op on it, with the value before and after" /></h3>
      <div className="history-list">
        {shown?.history.slice().reverse().map((h) => h.op === "archive" ? <ArchivedHistoryItem key={`archive-${h.pos}`} id={id} entry={h} /> : (
          <div key={h.pos} className="history-item" data-testid="history-item">
            <div className="history-head">
              <span className={`op-badge ${h.op}`}>{h.op}</span>
              <span className="mono" title="The op's number in the timeline">op {opLabel(h.pos)}</span>
              <span>{h.agent ?? "writer"}</span>
              <span className="muted">{shortTime(h.ts)}</span>
              <span className="spacer" />
              <button className="link" title="This op in the Operations view" onClick={() => showOp(h.pos)}>op</button>
              <button className="link" title={`The Timeline at position ${positionAfter(h.pos).toLocaleString()}: the state just after op ${opLabel(h.pos)}`} onClick={() => replayAt(positionAfter(h.pos))}>replay here</button>
            </div>
            <DiffView before={h.before} after={h.after} />
          </div>
        ))}
      </div>
    </DetailPane>
  );
}

export function RecordEditor({ id, initial, onDone }: { id: string; initial: Record<string, unknown> | null; onDone(): void }) {
  const [text, setText] = useState(JSON.stringify(initial ?? {}, null, 2));
  const [newId, setNewId] = useState(id);
  const [problem, setProblem] = useState<string | null>(null);
  const ask = useUi((s) => s.ask);
  function save() {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return setProblem(`Not valid JSON: ${(err as Error).message}`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) return setProblem("A record is a JSON object, like {\"title\": \"…\"}.");
    if (!newId.trim()) return setProblem("A record needs an id.");
    setProblem(null);
    ask({ title: initial ? `Save "${newId}"?` : `Add "${newId}"?`, body: "Appends a set op to the WAL.", confirmLabel: "Save", onConfirm: async () => { await runAction("Save", () => api.call("actions.set", { id: newId.trim(), value: value as Record<string, unknown> }), useUi.getState().toast); onDone(); } });
  }
  return (
    <div className="editor" data-testid="record-editor">
      {initial ? null : <input className="mono" placeholder="record id" value={newId} onChange={(e) => setNewId(e.target.value)} data-testid="editor-id" />}
      <textarea className="mono" value={text} onChange={(e) => setText(e.target.value)} rows={14} spellCheck={false} data-testid="editor-json" />
      {problem ? <div className="filter-error" role="alert">{problem}</div> : null}
      <div className="modal-actions">
        <button onClick={onDone}>Cancel</button>
        <button className="primary" onClick={save} data-testid="editor-save">Save</button>
      </div>
    </div>
  );
}
