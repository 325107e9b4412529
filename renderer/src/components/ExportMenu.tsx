/**
 * "Export ▾": what the view shows (as filtered), as CSV (every field a
 * column, or, where the user hid columns, the visible ones only), JSONL or
 * JSON; the CSV formula guard's switch; optionally more items (the
 * Timeline's "as a new store").
 */
import type { ReactNode } from "react";
import type { ExportSource } from "../../../electron/contract";
import { everyField, EXPORT_FORMATS, exportIsDownload, exportTo, useExportPrefs } from "../state/export";
import { useUi } from "../state/ui";

interface Props {
  /** Which list: names the menu and its test ids (export-records, export-ops…) */
  name: string;
  /** The source as the view shows it now, read when an item is chosen */
  source: () => ExportSource | null;
  title: string;
  children?: ReactNode;
}

export function ExportMenu({ name, source, title, children }: Props) {
  const menu = `export-${name}` as const;
  const open = useUi((s) => s.openMenu === menu);
  const setMenu = useUi((s) => s.setMenu);
  const how = exportIsDownload() ? "Downloads" : "Saves";
  const guard = useExportPrefs((s) => s.csvFormulaGuard);
  const setGuard = useExportPrefs((s) => s.setCsvFormulaGuard);
  const named = open ? source() : null;
  const visible = named && (named.kind === "records" || named.kind === "archive") ? named.columns : undefined;
  return (
    <div className="menu export-menu">
      <button onClick={() => setMenu(open ? null : menu)} aria-expanded={open} data-testid={menu} title={title}>Export ▾</button>
      {open ? (
        <div className="menu-list" data-testid={`${menu}-list`}>
          <div className="menu-note muted small">{how} {title.charAt(0).toLowerCase() + title.slice(1)}</div>
          {EXPORT_FORMATS.map((f) => (
            <button key={f.format} className="menu-item" data-testid={`${menu}-${f.format}`} onClick={() => {
              setMenu(null);
              const s = source();
              if (s) void exportTo(everyField(s), f.format);
            }}>{f.label}</button>
          ))}
          {visible ? (
            <button className="menu-item" data-testid={`${menu}-csv-visible`} onClick={() => {
              setMenu(null);
              const s = source();
              if (s) void exportTo(s, "csv");
            }}>CSV (the {visible.length.toLocaleString()} visible column{visible.length === 1 ? "" : "s"} only; hidden fields left out)</button>
          ) : null}
          <label className="menu-check small" title="A CSV cell that starts with =, +, -, @, a tab or a carriage return gets a leading ' so that a spreadsheet shows it as text instead of running it as a formula (OWASP CSV injection). JSON numbers such as -5 are left as they are.">
            <input type="checkbox" checked={guard} onChange={(e) => setGuard(e.target.checked)} data-testid={`${menu}-formula-guard`} /> CSV: guard cells against spreadsheet formulas
          </label>
          {children}
        </div>
      ) : null}
    </div>
  );
}
