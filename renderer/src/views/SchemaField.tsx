/**
 * One field of the Schema tab: its path, presence, the share of each type,
 * and each type's summary (top values, a histogram, true/false shares, a
 * date range, array lengths and items). Every value, bar and share that can
 * narrow the records is a button: it adds that condition to the filter;
 * on a path no filter can name (a key with a dot in it, shown quoted) the
 * buttons are off and the field says why.
 */
import type { SchemaField, SchemaType } from "../../../electron/contract";
import { addToFilter } from "../state/schema";

const pct = (n: number, of: number) => (of === 0 ? "0%" : `${Math.round((100 * n) / of)}%`);
const num = (n: number) => (Number.isInteger(n) ? n.toLocaleString("en") : Number(n.toPrecision(4)).toLocaleString("en"));

/** A key as its row names it: a key with a dot in it quoted, so that it cannot pass for a nested path. */
const keyName = (key: string) => (key.includes(".") ? `[${JSON.stringify(key)}]` : key);

export function SchemaFieldRow({ field, described }: { field: SchemaField; described: number }) {
  const depth = field.segments.length - 1;
  return (
    <div className="schema-field" data-testid="schema-field" data-path={field.path} data-count={field.count}>
      <div className="schema-field-head">
        <span className="schema-path mono" style={{ paddingLeft: depth * 16 }} title={field.path}>{depth > 0 ? "↳ " : ""}{keyName(field.segments[depth])}</span>
        <span className="schema-presence" data-testid="schema-presence" title={`${field.count} of ${described} records described have ${field.path}`}>{pct(field.count, described)} <span className="muted small">({num(field.count)})</span></span>
        <TypeShares types={field.types} of={field.count} />
      </div>
      {field.filterHint ? <div className="schema-filter-hint muted small" data-testid="schema-filter-hint">{field.filterHint}</div> : null}
      {/* A disabled fieldset turns off every filter button inside it. */}
      <fieldset className="schema-types" disabled={Boolean(field.filterHint)}>
        {field.types.map((t) => <TypeSummary key={t.type} path={field.path} type={t} />)}
      </fieldset>
    </div>
  );
}

/** A bar split by type, each part as wide as its share. */
function TypeShares({ types, of }: { types: SchemaType[]; of: number }) {
  return (
    <div className="schema-type-bar" aria-label="types">
      {types.map((t) => (
        <span key={t.type} className={`schema-type-part type-${t.type}`} style={{ flexGrow: t.count }} data-testid="schema-type" data-type={t.type} data-count={t.count} title={`${t.type}: ${t.count} (${pct(t.count, of)})`}>
          {t.type} {pct(t.count, of)}
        </span>
      ))}
    </div>
  );
}

function TypeSummary({ path, type }: { path: string; type: SchemaType }) {
  return (
    <div className="schema-type" data-testid="schema-type-summary" data-type={type.type}>
      <span className="schema-type-name">{type.type}</span>
      <div className="schema-type-detail"><TypeDetail path={path} type={type} /></div>
    </div>
  );
}

function TypeDetail({ path, type }: { path: string; type: SchemaType }) {
  switch (type.type) {
    case "string":
      return (
        <>
          <Values path={path} top={type.top} />
          <span className="muted small">{type.distinctCapped ? "over " : ""}{num(type.distinct)} distinct · length {num(type.lengths.min)}–{num(type.lengths.max)} (mean {num(type.lengths.mean)})</span>
        </>
      );
    case "number":
      return <Histogram path={path} type={type} />;
    case "boolean":
      return (
        <span className="schema-values">
          {([true, false] as const).map((v) => <ValueButton key={String(v)} path={path} value={v} label={String(v)} count={v ? type.true : type.false} share={pct(v ? type.true : type.false, type.count)} />)}
        </span>
      );
    case "date":
      return <span className="mono small" data-testid="schema-date-range">{type.min} → {type.max}</span>;
    case "null":
      return <span className="schema-values"><ValueButton path={path} value={null} label="null" count={type.count} /></span>;
    case "array":
      return (
        <div className="schema-array">
          <span className="muted small">length {num(type.lengths.min)}–{num(type.lengths.max)} (mean {num(type.lengths.mean)}); items:</span>
          {type.items.map((t) => <TypeSummary key={t.type} path={path} type={t} />)}
        </div>
      );
    default:
      return <span className="muted small">{type.type === "object" ? "fields below" : ""}</span>;
  }
}

function Values({ path, top }: { path: string; top: { value: string; count: number }[] }) {
  return <span className="schema-values">{top.map((t) => <ValueButton key={t.value} path={path} value={t.value} label={t.value} count={t.count} />)}</span>;
}

function ValueButton({ path, value, label, count, share }: { path: string; value: unknown; label: string; count: number; share?: string }) {
  return (
    <button className="schema-value" data-testid="schema-value" data-value={label} data-count={count} title={`Filter: ${path} = ${JSON.stringify(value)}`} onClick={() => void addToFilter(path, value)}>
      <span className="mono">{label.length > 40 ? `${label.slice(0, 40)}…` : label}</span> <b>{num(count)}</b>{share ? <span className="muted"> {share}</span> : null}
    </button>
  );
}

function Histogram({ path, type }: { path: string; type: Extract<SchemaType, { type: "number" }> }) {
  const highest = Math.max(...type.histogram.map((b) => b.count), 1);
  const last = type.histogram.length - 1;
  return (
    <div className="schema-histogram-box">
      <div className="schema-histogram" data-testid="schema-histogram">
        {type.histogram.map((bar, i) => {
          const range = i === last ? { $gte: bar.from, $lte: bar.to } : { $gte: bar.from, $lt: bar.to };
          return (
            <button key={i} className="schema-bar" data-testid="schema-bar" data-from={bar.from} data-to={bar.to} data-count={bar.count} title={`${num(bar.from)} to ${i === last ? "" : "under "}${num(bar.to)}: ${bar.count} — click to filter`} onClick={() => void addToFilter(path, range)}>
              <span style={{ height: `${Math.max(2, (100 * bar.count) / highest)}%` }} />
            </button>
          );
        })}
      </div>
      <span className="muted small" data-testid="schema-number-range">min {num(type.min)} · max {num(type.max)} · mean {num(type.mean)}</span>
    </div>
  );
}
