/**
 * The write actions: Undo, Compact, Archive by filter, Refresh, as buttons
 * over the app's commands (commands.ts). Each asks first (Undo shows the op
 * it removes) and reports its result; read-only disables them and says why.
 */
import { command } from "../commands";
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
    </div>
  );
}
