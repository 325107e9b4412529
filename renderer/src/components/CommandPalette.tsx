/** Ctrl/Cmd-K: every command with its key; type to narrow, ↑/↓ to choose, Enter to run, Esc to close. */
import { useState } from "react";
import { COMMANDS, keyLabel } from "../commands";
import { paletteMatches } from "../lib/paletteMatch";
import { useUi } from "../state/ui";

export function CommandPalette() {
  const open = useUi((s) => s.paletteOpen);
  if (!open) return null;
  return <PaletteBody />;
}

function PaletteBody() {
  const [text, setText] = useState("");
  const [chosen, setChosen] = useState(0);
  const close = () => useUi.getState().setPalette(false);
  const shown = paletteMatches(COMMANDS, text);
  const at = Math.min(chosen, Math.max(0, shown.length - 1));
  const run = (index: number) => {
    const cmd = shown[index];
    if (!cmd || cmd.disabledReason() !== null) return;
    close();
    void cmd.run();
  };
  function onKeyDown(e: React.KeyboardEvent<HTMLInputElement>) {
    if (e.key === "Escape") close();
    else if (e.key === "ArrowDown") setChosen(Math.min(at + 1, shown.length - 1));
    else if (e.key === "ArrowUp") setChosen(Math.max(at - 1, 0));
    else if (e.key === "Enter") run(at);
    else return;
    e.preventDefault();
    e.stopPropagation();
  }
  return (
    <div className="modal-backdrop" onMouseDown={close}>
      <div className="modal palette" role="dialog" aria-modal="true" aria-label="Commands" data-testid="command-palette" onMouseDown={(e) => e.stopPropagation()}>
        <input autoFocus className="palette-input" placeholder="Type a command…" value={text} onChange={(e) => { setText(e.target.value); setChosen(0); }} onKeyDown={onKeyDown} data-testid="palette-input" aria-label="Command" />
        <ul className="palette-list" role="listbox">
          {shown.map((c, i) => {
            const reason = c.disabledReason();
            return (
              <li key={c.name} role="option" aria-selected={i === at} aria-disabled={reason !== null} className={`palette-item${i === at ? " chosen" : ""}${reason ? " off" : ""}`} title={reason ?? undefined} data-testid="palette-item" onMouseEnter={() => setChosen(i)} onClick={() => run(i)}>
                <span>{c.label}</span>{reason ? <span className="small muted palette-reason">{reason}</span> : null}
                {c.key ? <kbd className="nav-key">{keyLabel(c.key)}</kbd> : null}
              </li>
            );
          })}
          {shown.length === 0 ? <li className="muted">No command matches.</li> : null}
        </ul>
      </div>
    </div>
  );
}
