/**
 * Compare any two positions: the buttons that pick A and B (on the Timeline
 * at the cursor; in Operations before or after an op), and the panel that
 * lists what differs between the states there, each record with its
 * per-field diff, filterable by id and by a MongoDB-style query.
 */
import type { DiffRow } from "../../../electron/contract";
import { COMPARE_PAGE, useCompare } from "../state/compare";
import { useUi } from "../state/ui";
import { useQuery } from "../state/query";
import { segmentName } from "../state/eventRows";
import { opLabel } from "../lib/format";
import { command } from "../commands";
import { DiffView } from "./DiffView";
import { ArchiveLink } from "./ArchiveLink";
import { PaneError } from "./PaneError";

/** On the Timeline: make the cursor A or B (the commands compare-a and compare-b, keys a and b). */
export function CompareButtons() {
  const a = useCompare((s) => s.a);
  const b = useCompare((s) => s.b);
  return (
    <span className="compare-buttons">
      <button data-testid="compare-set-a" onClick={() => void command("compare-a").run()} title="Compare from the state at this position: A (a)">A{a === null ? "" : ` ${a.toLocaleString()}`}</button>
      <button data-testid="compare-set-b" onClick={() => void command("compare-b").run()} title="Compare to the state at this position: B (b)">B{b === null ? "" : ` ${b.toLocaleString()}`}</button>
    </span>
  );
}

/** In Operations: A before this op, B after it; with both picked, open the comparison on the Timeline. */
export function CompareOpButtons({ pos }: { pos: number }) {
  const { a, b, pick } = useCompare();
  return (
    <>
      <button data-testid="compare-op-a" onClick={() => pick("a", pos)} title={`Compare from position ${pos.toLocaleString()}: the state just before op ${opLabel(pos)}`}>A: before</button>
      <button data-testid="compare-op-b" onClick={() => pick("b", pos + 1)} title={`Compare to position ${(pos + 1).toLocaleString()}: the state just after op ${opLabel(pos)}`}>B: after</button>
      {a !== null && b !== null ? <button data-testid="compare-open" onClick={() => useUi.getState().show("timeline")} title="The records that differ between A and B, on the Timeline">Compare {a.toLocaleString()} ↔ {b.toLocaleString()}</button> : null}
    </>
  );
}

const reloadCompare = () => useCompare.getState().load();

/** The comparison of A and B, shown on the Timeline once either is picked. */
export function ComparePanel() {
  const state = useCompare();
  useQuery(reloadCompare, null); // the store changed: compare its history as it is now
  const { a, b, page, error, offset } = state;
  if (a === null && b === null) return null;
  return (
    <section className="compare-panel" data-testid="compare-panel">
      <h3>
        Compare A {a === null ? "—" : a.toLocaleString()} → B {b === null ? "—" : b.toLocaleString()}
        <button className="link" onClick={state.swap} disabled={a === null || b === null} data-testid="compare-swap" title="Swap A and B">⇄</button>
        <button className="link" onClick={state.close} data-testid="compare-close" title="Close the comparison">×</button>
      </h3>
      {a === null || b === null ? <div className="small muted">Pick {a === null ? "A" : "B"} too: move the cursor and press {a === null ? "A (key a)" : "B (key b)"}, or use "A: before" / "B: after" on an op in Operations.</div> : null}
      <form className="compare-filters" onSubmit={(e) => { e.preventDefault(); void state.apply(); }}>
        <input className="mono" data-testid="compare-id" placeholder="id contains" value={state.idText} onChange={(e) => state.setIdText(e.target.value)} spellCheck={false} />
        <input className="mono" data-testid="compare-filter" placeholder='before or after matches: {status: "done"}' value={state.filterText} onChange={(e) => state.setFilterText(e.target.value)} spellCheck={false} aria-invalid={Boolean(state.filterError)} />
        <button className="primary" type="submit" data-testid="compare-apply">Find</button>
      </form>
      {state.filterError ? <div className="filter-error" role="alert">{state.filterError}</div> : null}
      {error ? <PaneError error={error} /> : null}
      {page ? <div className="small muted" data-testid="compare-counts">{page.counts.added} added · {page.counts.changed} changed · {page.counts.removed} removed{page.counts.archived ? ` · ${page.counts.archived} archived` : ""}</div> : null}
      {page?.rows.map((row) => <CompareRow key={row.id} row={row} />)}
      {page && page.total > COMPARE_PAGE ? (
        <div className="small muted compare-pages">
          <button onClick={() => void state.goTo(offset - COMPARE_PAGE)} disabled={offset === 0} data-testid="compare-prev">◂</button> {offset + 1}–{Math.min(page.total, offset + COMPARE_PAGE)} of {page.total.toLocaleString()}{" "}
          <button onClick={() => void state.goTo(offset + COMPARE_PAGE)} disabled={offset + COMPARE_PAGE >= page.total} data-testid="compare-next">▸</button>
        </div>
      ) : null}
    </section>
  );
}

function CompareRow({ row }: { row: DiffRow }) {
  return (
    <div className="diff-item" data-testid="compare-row" data-kind={row.kind} data-id={row.id}>
      <div className="mono">
        <span className={`kind ${row.kind}`}>{row.kind === "archived" ? `archived → ${segmentName(row.segment ?? "")}` : row.kind}</span> {row.id}
        {row.kind === "archived" && row.segment ? <ArchiveLink segment={row.segment} id={row.id} label="open in Archive" /> : null}
      </div>
      <DiffView before={row.before} after={row.after} archivedTo={row.segment} />
    </div>
  );
}
