/** "Export ▾": what the view shows (as filtered), as CSV, JSONL or JSON; optionally more items (the Timeline's "as a new store"). */
import type { ReactNode } from "react";
import type { ExportSource } from "../../../electron/contract";
import { EXPORT_FORMATS, exportIsDownload, exportTo } from "../api/export";
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
              if (s) void exportTo(s, f.format);
            }}>{f.label}</button>
          ))}
          {children}
        </div>
      ) : null}
    </div>
  );
}
