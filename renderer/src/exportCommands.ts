/** The export commands of the registry (commands.ts): the list the view shows, in each format, and the replay cursor's state as a new store; the views' Export menus run the same functions. */
import type { Command } from "./lib/command";
import type { ExportSource } from "../../electron/contract";
import { everyField, EXPORT_FORMATS, exportStoreAt, exportTo } from "./api/export";
import { archiveSource, opsSource, recordsSource, stateSource } from "./state/exportSources";
import { useReplay } from "./state/replay";
import { useUi } from "./state/ui";

/** What "export this view's list" means in the view showing; null where there is no list to export. */
function viewSource(): ExportSource | null {
  const view = useUi.getState().view;
  if (view === "records") return recordsSource();
  if (view === "operations") return opsSource();
  if (view === "archive") return archiveSource();
  if (view === "timeline") return stateSource();
  return null;
}

const listReason = () => (viewSource() ? null : "Only in Records, Operations, Archive (with a segment open) and the Timeline.");

export const EXPORT_COMMANDS: Command[] = [
  ...EXPORT_FORMATS.map((f): Command => ({
    name: `export-${f.format}`,
    label: `Export this view's list as ${f.label}`,
    disabledReason: listReason,
    run: () => {
      const source = viewSource();
      if (source) return exportTo(everyField(source), f.format);
    },
  })),
  {
    name: "export-store",
    label: "Export the state at the replay cursor as a new opslog store…",
    disabledReason: () => (useReplay.getState().info ? null : "Open the Timeline once, so that the replay cursor is set."),
    run: () => exportStoreAt(useReplay.getState().cursor),
  },
];
