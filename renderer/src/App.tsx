/** The frame: header, navigation, the current view, and the overlays. Keyboard: 1–6 switch views, / focuses the filter, ←/→ step the replay. */
import { useEffect } from "react";
import type { DragEvent } from "react";
import { pathOfDroppedFile } from "./api/client";
import { useSession } from "./state/session";
import { useUi, VIEWS } from "./state/ui";
import type { ViewName } from "./state/ui";
import { useReplay } from "./state/replay";
import { ErrorBoundary } from "./components/ErrorBoundary";
import { Header, Nav, WarningsPanel } from "./components/Header";
import { ConfirmDialog, Toasts } from "./components/Overlays";
import { RevertDialog } from "./components/RevertDialog";
import { useRevert } from "./state/revert";
import { RecordsView } from "./views/RecordsView";
import { OperationsView } from "./views/OperationsView";
import { AgentsView } from "./views/AgentsView";
import { ArchiveView } from "./views/ArchiveView";
import { HistoryView } from "./views/HistoryView";
import { TimelineView } from "./views/TimelineView";
import { OpenStoreView } from "./views/OpenStoreView";

const VIEW_COMPONENTS: Record<ViewName, () => React.JSX.Element> = {
  records: RecordsView,
  operations: OperationsView,
  agents: AgentsView,
  archive: ArchiveView,
  history: HistoryView,
  timeline: TimelineView,
};

/** Text boxes keep their keys; a select or button keeps only the keys it needs (a select's up/down). */
function keepsKey(target: HTMLElement, key: string): boolean {
  if (target.closest("textarea, [contenteditable=true]")) return true;
  const input = target.closest("input");
  if (input) return !["range", "checkbox", "radio", "button"].includes(input.type);
  if (target.closest("select")) return key === "ArrowUp" || key === "ArrowDown";
  return false;
}

/** The filter box of the view showing (Records, Operations' op query, Archive, the Timeline's watched query). */
function focusFilter(): void {
  document.querySelector<HTMLInputElement>(".content .filter-input, .content .ops-query")?.focus();
}

function onKey(e: KeyboardEvent): void {
  const target = e.target as HTMLElement;
  const ui = useUi.getState();
  if (ui.confirmation || useRevert.getState().pos !== null) return; // a dialog has the keys
  if (e.key === "Escape" && ui.openMenu) return ui.setMenu(null);
  // Esc leaves any text box or select, so the view's keys (j/k, arrows, space) work again.
  if (e.key === "Escape" && target.closest("input, textarea, select")) return target.blur();
  if (e.ctrlKey || e.metaKey || e.altKey || keepsKey(target, e.key)) return;
  const index = Number(e.key) - 1;
  if (index >= 0 && index < VIEWS.length) return ui.show(VIEWS[index].name);
  if (e.key === "/") {
    e.preventDefault();
    focusFilter();
  } else if (e.key === "Escape") {
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
  } else if (ui.view === "timeline" && (e.key === "ArrowLeft" || e.key === "ArrowRight")) {
    e.preventDefault();
    useReplay.getState().step(e.key === "ArrowLeft" ? -1 : 1);
  } else if (ui.view === "timeline" && (e.key === "Home" || e.key === "End")) {
    e.preventDefault();
    const replay = useReplay.getState();
    replay.seek(e.key === "Home" ? 0 : (replay.info?.total ?? 0));
  } else if (ui.view === "timeline" && e.key === " ") {
    e.preventDefault(); // also keeps a focused button (one just clicked) from being pressed again
    const replay = useReplay.getState();
    if (replay.playing) replay.pause();
    else replay.play();
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
        {status === "open" ? (
          <>
            <Header />
            <Nav />
            <main className="content">
              <ErrorBoundary where={`${view} view`} key={view}>
                <View />
              </ErrorBoundary>
              <WarningsPanel />
            </main>
          </>
        ) : null}
        <ConfirmDialog />
        <RevertDialog />
        <Toasts />
      </ErrorBoundary>
    </div>
  );
}
