/**
 * The write actions: Undo, Compact, Archive by filter, Refresh, as buttons
 * over the app's commands (commands.ts). Each asks first (Undo shows the op
 * it removes) and reports its result; read-only disables them and says why,
 * and offers beside them the reopen in the write mode that fits the store.
 */
import { command } from "../commands";
import { fittingWriteMode } from "../state/openFlow";
import { selectInfo, useSession } from "../state/session";

const BUTTONS = [
  { name: "undo", label: "Undo", testId: "action-undo", title: "Undo this writer's last op" },
  { name: "compact", label: "Compact", testId: "action-compact", title: "Compact: snapshot the state, start a new WAL" },
  { name: "archive", label: "Archive…", testId: "action-archive", title: "Archive the records matching a filter" },
  { name: "refresh", label: "Refresh", testId: "action-refresh", title: "Look for other processes' writes now" },
];

export function ActionsBar() {
  const info = useSession(selectInfo); // re-render when the mode changes: it decides what is enabled
  if (!info) return null;
  return (
    <div className="actions">
      {BUTTONS.map((b) => {
        const cmd = command(b.name);
        const reason = cmd.disabledReason();
        return <button key={b.name} data-testid={b.testId} disabled={reason !== null} title={reason ?? b.title} onClick={() => void cmd.run()}>{b.label}</button>;
      })}
      {info.mode === "read-only" ? <ReopenButton /> : null}
    </div>
  );
}

/** Read-only: reopen the store in the write mode it takes (asks first, as the command line's modes do); under --read-only, off, saying why. */
function ReopenButton() {
  const mode = fittingWriteMode() ?? "writer";
  const cmd = command(`reopen-${mode}`);
  const reason = cmd.disabledReason();
  return <button className="reopen" data-testid={`reopen-${mode}`} disabled={reason !== null} title={reason ?? `Reopen this store in ${mode} mode, to undo, compact or edit`} onClick={() => void cmd.run()}><span className="wide-only">Reopen in </span>{mode} mode…</button>;
}
