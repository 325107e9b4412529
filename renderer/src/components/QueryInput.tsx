/**
 * A filter box with its history: Enter applies the query, Up/Down walk the
 * box's recent queries (the last 20 applied in this store), and the "Queries"
 * menu beside it lists the saved and recent ones and saves the current query
 * under a name. The lists are the main process's (app data, per store).
 */
import { useEffect } from "react";
import type { FilterBox } from "../../../electron/contract";
import { useQueryHistory } from "../state/queryHistory";
import { useUi } from "../state/ui";

interface QueryInputProps {
  box: FilterBox;
  value: string;
  onChange(text: string): void;
  onApply(): void;
  className: string;
  placeholder: string;
  testId: string;
  invalid: boolean;
  title?: string;
}

export function QueryInput({ box, value, onChange, onApply, className, placeholder, testId, invalid, title }: QueryInputProps) {
  useEffect(() => {
    if (!useQueryHistory.getState().lists[box]) void useQueryHistory.getState().load(box);
  }, [box]);
  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter") return onApply();
    if (e.key !== "ArrowUp" && e.key !== "ArrowDown") return;
    e.preventDefault(); // the caret stays put; the text changes
    const text = useQueryHistory.getState().step(box, e.key === "ArrowUp" ? 1 : -1, value);
    if (text !== null) onChange(text);
  };
  const typed = (text: string) => {
    useQueryHistory.getState().resetWalk(box);
    onChange(text);
  };
  return <input className={className} data-testid={testId} placeholder={placeholder} value={value} onChange={(e) => typed(e.target.value)} onKeyDown={onKeyDown} spellCheck={false} aria-invalid={invalid} title={title ?? "Enter applies; ↑/↓ walk the queries applied before (this store)"} />;
}

/** The box's saved and recent queries: a click puts one in the box and applies it; the current query can be saved under a name. */
export function QueriesMenu({ box, current, onPick }: { box: FilterBox; current: string; onPick(text: string): void }) {
  const open = useUi((s) => s.openMenu === "queries");
  const list = useQueryHistory((s) => s.lists[box]);
  const pick = (text: string) => {
    useUi.getState().setMenu(null);
    onPick(text);
  };
  return (
    <div className="menu queries-menu">
      <button onClick={() => useUi.getState().setMenu(open ? null : "queries")} aria-expanded={open} data-testid={`queries-menu-${box}`} title="Saved and recent queries of this box">Queries ▾</button>
      {open ? (
        <div className="menu-list" data-testid="queries-list">
          <button className="menu-item" data-testid="query-save" disabled={current.trim() === ""} onClick={() => askName(box, current.trim())}>☆ Save this query…</button>
          <div className="menu-heading">Saved</div>
          {list?.saved.length ? list.saved.map((s) => (
            <div key={s.name} className="query-item">
              <button className="menu-item" data-testid="query-saved" data-name={s.name} title={s.text} onClick={() => pick(s.text)}><b>{s.name}</b> <span className="mono muted">{s.text}</span></button>
              <button className="link" data-testid="query-forget" aria-label={`Forget the saved query ${s.name}`} title="Forget this saved query" onClick={() => void useQueryHistory.getState().forget(box, s.name)}>×</button>
            </div>
          )) : <div className="muted small menu-note">None saved in this store yet.</div>}
          <div className="menu-heading">Recent</div>
          {list?.recent.length ? list.recent.map((text) => <button key={text} className="menu-item mono" data-testid="query-recent" onClick={() => pick(text)}>{text}</button>) : <div className="muted small menu-note">Queries you apply here are kept (the last 20).</div>}
        </div>
      ) : null}
    </div>
  );
}

function askName(box: FilterBox, text: string): void {
  useUi.getState().setMenu(null);
  useUi.getState().ask({
    title: "Save this query",
    body: text,
    confirmLabel: "Save",
    input: { label: "Name", initial: "", placeholder: "e.g. open work", check: (name) => (name.trim() === "" ? "Give it a name." : name.length > 200 ? "At most 200 characters." : null) },
    onConfirm: (name) => useQueryHistory.getState().save(box, name.trim(), text),
  });
}
