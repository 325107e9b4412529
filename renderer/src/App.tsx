/** The frame: header, navigation, the current view, and the overlays. Keys run the commands of commands.ts (1–7 views, / filter, ←/→ step, space play); Ctrl/Cmd-K lists them all. */
import { useEffect } from "react";
import type { DragEvent } from "react";
import { api, pathOfDroppedFile } from "./api/client";
import { useSession } from "./state/session";
import { useUi } from "./state/ui";
import type { ViewName } from "./state/ui";
import { ErrorBoundary } from "./components/ErrorBoundary";
import { Header, Nav, WarningsPanel } from "./components/Header";
import { ConfirmDialog, Toasts } from "./components/Overlays";
import { RevertDialog } from "./components/RevertDialog";
import { CompactDialog } from "./components/CompactDialog";
import { ReapplyDialog } from "./components/ReapplyDialog";
import { LostOwnWritesBanner } from "./components/LostOwnWritesBanner";
import { useCompact } from "./state/compact";
import { useReapply } from "./state/reapply";
import { CheckStoreDialog } from "./components/CheckStoreDialog";
import { CommandPalette } from "./components/CommandPalette";
import { commandForKey } from "./commands";
import { useRevert } from "./state/revert";
import { useCheck } from "./state/check";
import { RecordsView } from "./views/RecordsView";
import { OperationsView } from "./views/OperationsView";
import { AgentsView } from "./views/AgentsView";
import { ArchiveView } from "./views/ArchiveView";
import { HistoryView } from "./views/HistoryView";
import { TimelineView } from "./views/TimelineView";
import { OpenStoreView } from "./views/OpenStoreView";
import { BlobsView } from "./views/BlobsView";
import { LoadingStoreView } from "./views/LoadingStoreView";
import { HistoryLoadingBanner } from "./components/HistoryLoadingBanner";
import { OpenScreenDialog } from "./views/OpenScreenDialog";
import { showOpenScreen, useOpenScreen } from "./state/openScreen";

const VIEW_COMPONENTS: Record<ViewName, () => React.JSX.Element> = {
  records: RecordsView,
  operations: OperationsView,
  agents: AgentsView,
  archive: ArchiveView,
  history: HistoryView,
  timeline: TimelineView,
  blobs: BlobsView,
};

/** Text boxes keep their keys; a select or button keeps only the keys it needs (a select's up/down). */
function keepsKey(target: HTMLElement, key: string): boolean {
  if (target.closest("textarea, [contenteditable=true]")) return true;
  const input = target.closest("input");
  if (input) return !["range", "checkbox", "radio", "button"].includes(input.type);
  if (target.closest("select")) return key === "ArrowUp" || key === "ArrowDown";
  return false;
}

function onKey(e: KeyboardEvent): void {
  const target = e.target as HTMLElement;
  const ui = useUi.getState();
  const dialogOpen = ui.confirmation || ui.paletteOpen || useRevert.getState().pos !== null || useCompact.getState().action || useReapply.getState().refs || useCheck.getState().open;
  if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === "o" && !dialogOpen) {
    e.preventDefault(); // not the browser's own Open File
    return showOpenScreen();
  }
  if (useOpenScreen.getState().shown && useSession.getState().status === "open") return; // the open screen has the keys
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "k" && !ui.confirmation) {
    e.preventDefault();
    return ui.setPalette(!ui.paletteOpen);
  }
  if (dialogOpen) return; // a dialog has the keys
  if (e.key === "Escape" && ui.openMenu) return ui.setMenu(null);
  // Esc leaves any text box or select, so the view's keys (j/k, arrows, space) work again.
  if (e.key === "Escape" && target.closest("input, textarea, select")) return target.blur();
  if (e.ctrlKey || e.metaKey || e.altKey || keepsKey(target, e.key)) return;
  if (e.key === "Escape") {
    ui.selectRecord(null);
    ui.selectOp(null);
    ui.toggleWarnings(false);
  } else if (["j", "k", "ArrowDown", "ArrowUp"].includes(e.key) && !target.closest(".vtable-body")) {
    // Lists answer j/k and arrows even before the user clicks into them.
    const list = document.querySelector<HTMLElement>(".main-pane .vtable-body");
    if (!list) return;
    e.preventDefault();
    list.focus();
    list.dispatchEvent(new KeyboardEvent("keydown", { key: e.key, bubbles: true }));
  } else {
    const cmd = commandForKey(e.key);
    if (!cmd) return;
    e.preventDefault(); // Space also must not press a button just clicked
    void cmd.run();
  }
}

/** A click anywhere but in the open menu closes it. */
function closeMenuOutside(e: MouseEvent): void {
  if (useUi.getState().openMenu && !(e.target as HTMLElement).closest(".menu")) useUi.getState().setMenu(null);
}

async function onDrop(e: DragEvent<HTMLDivElement>): Promise<void> {
  e.preventDefault();
  const file = e.dataTransfer.files[0];
  if (!file) return;
  const path = pathOfDroppedFile(file);
  if (!path) return useUi.getState().toast("error", "Dropping a folder works in the desktop app. In the browser, type the folder's path in the Open screen.");
  if (!(await useSession.getState().openStore(path))) useUi.getState().toast("error", useSession.getState().openError?.message ?? "That folder could not be opened.");
}

export function App() {
  const status = useSession((s) => s.status);
  const view = useUi((s) => s.view);
  useEffect(() => api.on("window.showOpen", () => showOpenScreen()), []); // the desktop menu's Open Store… (Ctrl/Cmd-O)
  useEffect(() => {
    window.addEventListener("keydown", onKey);
    window.addEventListener("mousedown", closeMenuOutside);
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener("mousedown", closeMenuOutside);
    };
  }, []);
  const View = VIEW_COMPONENTS[view];
  return (
    <div className="app" onDragOver={(e) => e.preventDefault()} onDrop={(e) => void onDrop(e)}>
      <ErrorBoundary where="app">
        {status === "loading" ? <div className="muted pad">Opening…</div> : null}
        {status === "no-store" ? <OpenStoreView /> : null}
        {status === "indexing" ? <LoadingStoreView /> : null}
        {status === "open" ? (
          <>
            <Header />
            <Nav />
            <HistoryLoadingBanner />
            <LostOwnWritesBanner />
            <main className="content">
              <ErrorBoundary where={`${view} view`} key={view}>
                <View />
              </ErrorBoundary>
              <WarningsPanel />
            </main>
          </>
        ) : null}
        <OpenScreenDialog />
        <CommandPalette />
        <ConfirmDialog />
        <RevertDialog />
        <CompactDialog />
        <ReapplyDialog />
        <CheckStoreDialog />
        <Toasts />
      </ErrorBoundary>
    </div>
  );
}
