/**
 * The Records view's Schema tab, as in MongoDB Compass: for the records the
 * Records filter keeps, at now or any position, every field with its
 * presence, its types and their shares, and a summary per type. It says
 * whether the figures are exact or from a sample, and of how many records.
 */
import type { StoreSchema } from "../../../electron/contract";
import { useRecordsQuery } from "../state/records";
import { useReplay } from "../state/replay";
import { SAMPLE_SIZES, useSchema } from "../state/schema";
import { useQuery } from "../state/query";
import { selectSummary, useSession } from "../state/session";
import { PaneError } from "../components/PaneError";
import { SchemaFieldRow } from "./SchemaField";

const count = (n: number) => n.toLocaleString("en");

export function SchemaPane() {
  const filter = useRecordsQuery((s) => s.filter);
  const { at, schema, loading, error, load } = useSchema();
  useQuery(load, filter); // again when the Records filter or the store changes
  return (
    <div className="schema-pane" data-testid="schema-pane">
      <SchemaControls />
      {error ? <PaneError error={error} testId="schema-error" /> : null}
      {schema ? <div className="schema-extent" data-testid="schema-extent" data-exact={schema.exact}>{extentText(schema, Boolean(filter), at)}{loading ? " (updating…)" : ""}</div> : loading ? <div className="muted pad">Reading the schema…</div> : null}
      {schema && schema.described === 0 ? <div className="empty">{filter ? "No record matches the filter here." : "No records at this position."}</div> : null}
      <div className="schema-fields" data-testid="schema-fields">
        {schema?.fields.map((f) => <SchemaFieldRow key={f.path} field={f} described={schema.described} />)}
      </div>
      {schema?.fieldsCapped ? <div className="muted small pad">More fields than the first 1,000 shown.</div> : null}
    </div>
  );
}

/** Which state (now or a position) and how many records to describe. */
function SchemaControls() {
  const at = useSchema((s) => s.at);
  const sample = useSchema((s) => s.sample);
  const setAt = useSchema((s) => s.setAt);
  const setSample = useSchema((s) => s.setSample);
  const cursor = useReplay((s) => s.cursor);
  const timelineLoaded = useReplay((s) => s.info !== null); // the cursor means something once the Timeline has been opened
  const total = useSession((s) => selectSummary(s)?.counts.timelineOps ?? 0);
  return (
    <div className="toolbar schema-controls">
      <span className="muted">State:</span>
      <button className={at === null ? "primary" : ""} data-testid="schema-now" onClick={() => setAt(null)}>Now</button>
      {timelineLoaded ? <button className={at !== null && at === cursor ? "primary" : ""} data-testid="schema-at-cursor" title="The position the Timeline's cursor is at" onClick={() => setAt(cursor)}>Timeline cursor ({count(cursor)})</button> : null}
      <label className="muted">
        position{" "}
        <input className="schema-position mono" data-testid="schema-position" type="number" min={0} max={total} value={at ?? ""} placeholder="now" onChange={(e) => setAt(e.target.value === "" ? null : Math.max(0, Math.min(total, Math.floor(Number(e.target.value)))))} />
      </label>
      <span className="spacer" />
      <label className="muted">
        Describe{" "}
        <select data-testid="schema-sample" value={sample} onChange={(e) => setSample(Number(e.target.value))}>
          {SAMPLE_SIZES.map((n) => <option key={n} value={n}>{n === 0 ? "every record (exact, slower)" : `a sample of ${count(n)}`}</option>)}
        </select>
      </label>
    </div>
  );
}

/** What the figures are of, in words: exact or a sample, of how many records, where. */
function extentText(s: StoreSchema, filtered: boolean, at: number | null): string {
  const where = at === null ? "now" : `at position ${count(s.at)}`;
  const matching = filtered ? " matching the filter" : "";
  if (s.exact) return `All ${count(s.described)} record${s.described === 1 ? "" : "s"}${matching} ${where}${filtered ? ` (of ${count(s.records)})` : ""}: exact figures.`;
  if (filtered) return `A random sample of ${count(s.described)} record${s.described === 1 ? "" : "s"}${matching}, found among ${count(s.scanned)} read in random order of the ${count(s.records)} ${where}: presence and shares are estimates.`;
  return `A random sample of ${count(s.described)} of the ${count(s.records)} records ${where}: presence and shares are estimates.`;
}
