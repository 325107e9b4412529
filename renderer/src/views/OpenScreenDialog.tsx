/** The open screen over the open store (Open…, the palette, Ctrl/Cmd-O): Esc, ✕ or a click outside returns to that store, unchanged. */
import { useOpenScreen } from "../state/openScreen";
import { useSession } from "../state/session";
import { useUi } from "../state/ui";
import { OpenStoreView } from "./OpenStoreView";

export function OpenScreenDialog() {
  const shown = useOpenScreen((s) => s.shown);
  const status = useSession((s) => s.status);
  const close = useOpenScreen((s) => s.close);
  if (!shown || status !== "open") return null;
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key !== "Escape" || useUi.getState().confirmation) return;
    e.stopPropagation();
    close();
  };
  return (
    <div className="modal-backdrop" onMouseDown={close}>
      <div className="modal open-dialog" role="dialog" aria-modal="true" aria-label="Open a store" data-testid="open-screen" onMouseDown={(e) => e.stopPropagation()} onKeyDown={onKeyDown}>
        <button className="open-dialog-close" onClick={close} aria-label="Close: back to the open store" title="Back to the open store (Esc)" data-testid="open-screen-close">✕</button>
        <OpenStoreView inDialog />
      </div>
    </div>
  );
}
