/**
 * Every named command of the app (excalidraw's ActionManager is the model):
 * a label, a key, whether it can run now (and why not), and what it does.
 * The keyboard, the buttons and the command palette (Ctrl/Cmd-K) all run
 * these, so a key and its button can never drift apart.
 */
import { api, errorText } from "./api/client";
import { parseFilter } from "./lib/filter";
import { runAction } from "./lib/runAction";
import { useCompact } from "./state/compact";
import { useRecordsQuery } from "./state/records";
import { useReplay } from "./state/replay";
import { useTimelineEvents } from "./state/events";
import { useCompare } from "./state/compare";
import { useCheck } from "./state/check";
import { selectInfo, useSession } from "./state/session";
import { useUi, VIEWS } from "./state/ui";
import { EXPORT_COMMANDS } from "./state/export";
import type { Command } from "./lib/command";
import type { SessionMode } from "../../electron/contract";
import { fittingWriteMode, reopenIn } from "./state/openFlow";
import { showOpenScreen } from "./state/openScreen";

export type { Command } from "./lib/command";

const always = () => null;
/** Writes need writer or agent mode. */
function writeReason(): string | null {
  const info = selectInfo(useSession.getState());
  if (!info) return "No store is open.";
  return info.mode === "read-only" ? info.modeReason : null;
}
/** Why the open store cannot be reopened in `mode` now: none open, already in it, --read-only, or a mode the store does not take. */
function reopenReason(mode: SessionMode): string | null {
  const info = selectInfo(useSession.getState());
  if (!info) return "No store is open.";
  if (info.mode === mode) return `The store is open in ${mode} mode already.`;
  if (mode === "read-only") return null;
  if (info.lockedReadOnly) return info.modeReason; // the --read-only promise: it says to restart without it
  const fits = fittingWriteMode();
  if (mode === "writer" && fits === "agent") return info.dir.startsWith("s3://") ? "S3 stores have no writer mode: the explorer writes to them as an agent. Reopen in agent mode." : "This is a multi-writer store: writer mode would write a WAL its agents never read. Reopen in agent mode.";
  return null;
}

const onTimeline = () => (useUi.getState().view === "timeline" ? null : "Only in the Timeline view.");
/** The replay can go back: not at position 0 */
const canGoBack = () => onTimeline() ?? (replay().cursor > 0 ? null : "At position 0: the oldest state on disk.");
/** The replay can go forward: not at the current state */
const canGoForward = () => onTimeline() ?? (replay().cursor < (replay().info?.total ?? 0) ? null : "At the current state: there is no later op.");
/** Playing to the next event now (it pauses then), or an archive or compaction lies ahead of the cursor */
const playingToEvent = () => replay().playing && replay().stopAt !== null;
const canPlayToEvent = () => onTimeline() ?? (playingToEvent() || useTimelineEvents.getState().events.some((e) => e.position > replay().cursor) ? null : "No archive or compaction lies ahead of the cursor.");

/** Remove the indexes kept between opens (the main process's cache folder); the open store is not touched. */
async function clearIndexCache(): Promise<void> {
  const { toast } = useUi.getState();
  try {
    toast("ok", (await api.call("cache.clearIndex", {})).message);
  } catch (err) {
    const e = errorText(err);
    toast("error", `Clear index cache failed: ${e.message}`, e.detail);
  }
}

async function undo(): Promise<void> {
  const { toast, ask } = useUi.getState();
  try {
    const preview = await api.call("actions.undoPreview", {});
    if (!preview.op) return toast("error", preview.message);
    ask({ title: "Undo the last op?", body: preview.message, confirmLabel: "Undo", danger: true, onConfirm: () => runAction("Undo", () => api.call("actions.undo", {}), useUi.getState().toast) });
  } catch (err) {
    toast("error", errorText(err).message);
  }
}

/** In agent mode a compaction retires the other agents' WALs: the compaction dialog names them and asks (state/compact.ts). */
const agentMode = () => selectInfo(useSession.getState())?.mode === "agent";

function compact(): void {
  if (agentMode()) return void useCompact.getState().open({ kind: "compact" });
  useUi.getState().ask({ title: "Compact the store?", body: "Writes the current state as a new snapshot and starts a new WAL. The old snapshot and WAL stay on disk, so the history chain keeps them.", confirmLabel: "Compact", onConfirm: () => runAction("Compact", () => api.call("actions.compact", {}), useUi.getState().toast) });
}

function archive(): void {
  useUi.getState().ask({
    title: "Archive records by filter?",
    body: "Moves every record matching the filter into an archive segment, then compacts. They leave the live state but stay readable in the Archive view.",
    input: { label: "Filter (MongoDB-style, as in the Records view)", initial: useRecordsQuery.getState().filterText, placeholder: '{status: "done"}', check: (text) => { const parsed = parseFilter(text); return !parsed.ok ? parsed.error : parsed.value ? null : "Give a filter: archiving everything is rarely what you want. E.g. {status: \"done\"}."; } },
    confirmLabel: "Archive",
    danger: true,
    onConfirm: (text) => {
      const parsed = parseFilter(text);
      if (!parsed.ok || !parsed.value) return;
      // An archive compacts: in agent mode, the compaction dialog asks about the other agents next.
      if (agentMode()) return void useCompact.getState().open({ kind: "archive", filter: parsed.value });
      return runAction("Archive", () => api.call("actions.archive", { filter: parsed.value! }), useUi.getState().toast);
    },
  });
}

/** The filter box of the view showing (Records, Operations' op query, Archive, the Timeline's watched query). */
function focusFilter(): void {
  document.querySelector<HTMLInputElement>(".content .filter-input, .content .ops-query")?.focus();
}

const replay = () => useReplay.getState();

export const COMMANDS: Command[] = [
  ...VIEWS.map((v, i): Command => ({ name: `show-${v.name}`, label: `Show ${v.label}`, key: String(i + 1), disabledReason: always, run: () => useUi.getState().show(v.name) })),
  { name: "focus-filter", label: "Focus the filter", key: "/", disabledReason: always, run: focusFilter },
  { name: "step-back", label: "Step back one op", key: "ArrowLeft", disabledReason: canGoBack, run: () => replay().step(-1) },
  { name: "step-forward", label: "Step forward one op", key: "ArrowRight", disabledReason: canGoForward, run: () => replay().step(1) },
  { name: "play", label: "Play or pause the replay", key: " ", disabledReason: onTimeline, run: () => (replay().playing ? replay().pause() : replay().play()) },
  { name: "play-next-event", label: "Play to the next archive or compaction (again: pause)", key: "n", disabledReason: canPlayToEvent, run: () => (playingToEvent() ? replay().pause() : replay().playToNextEvent()) },
  { name: "replay-start", label: "Go to the oldest state (position 0)", key: "Home", disabledReason: canGoBack, run: () => replay().seek(0) },
  { name: "replay-now", label: "Go to the current state", key: "End", disabledReason: canGoForward, run: () => replay().seek(replay().info?.total ?? 0) },
  { name: "compare-a", label: "Compare from the cursor's position (A)", key: "a", disabledReason: onTimeline, run: () => useCompare.getState().pick("a", replay().cursor) },
  { name: "compare-b", label: "Compare to the cursor's position (B)", key: "b", disabledReason: onTimeline, run: () => useCompare.getState().pick("b", replay().cursor) },
  { name: "undo", label: "Undo the last op…", disabledReason: writeReason, run: undo },
  { name: "compact", label: "Compact the store…", disabledReason: writeReason, run: compact },
  { name: "archive", label: "Archive records by filter…", disabledReason: writeReason, run: archive },
  { name: "refresh", label: "Refresh: look for other processes' writes now", disabledReason: always, run: () => runAction("Refresh", () => api.call("actions.refresh", {}), useUi.getState().toast) },
  { name: "check-store", label: "Check store: the store doctor's report (as npm run check)", disabledReason: () => (selectInfo(useSession.getState()) ? null : "No store is open."), run: () => useCheck.getState().run() },
  { name: "clear-index-cache", label: "Clear index cache: each store's next open builds its index again", disabledReason: always, run: clearIndexCache },
  { name: "toggle-warnings", label: "Show or hide the warnings", disabledReason: always, run: () => useUi.getState().toggleWarnings() },
  { name: "open-store", label: "Open a store… (a folder, a recent store, S3; Ctrl/Cmd-O)", disabledReason: always, run: () => showOpenScreen() },
  { name: "reopen-writer", label: "Reopen in writer mode…", disabledReason: () => reopenReason("writer"), run: () => reopenIn("writer") },
  { name: "reopen-agent", label: "Reopen in agent mode…", disabledReason: () => reopenReason("agent"), run: () => reopenIn("agent") },
  { name: "reopen-read-only", label: "Reopen read-only (stop writing; a writer lets go of the .lock)", disabledReason: () => reopenReason("read-only"), run: () => reopenIn("read-only") },
  ...EXPORT_COMMANDS,
];

// ------------------------------------------------------------ commands on one item

/** The Timeline at a position (the state after that many ops). */
export function replayAt(position: number): void {
  useReplay.getState().seek(position);
  useUi.getState().show("timeline");
}

/** One op (by its 0-based pos) in the Operations view. */
export function showOp(pos: number): void {
  useUi.getState().selectOp(pos);
  useUi.getState().show("operations");
}

/** One record in the Records view. */
export function showRecord(id: string): void {
  useUi.getState().selectRecord(id);
  useUi.getState().show("records");
}

export function command(name: string): Command {
  const found = COMMANDS.find((c) => c.name === name);
  if (!found) throw new Error(`No command named ${name}`);
  return found;
}

/** The command a plain key runs, if any (keys that only mean something in the Timeline only there). */
export function commandForKey(key: string): Command | null {
  const found = COMMANDS.find((c) => c.key === key);
  return found && found.disabledReason() === null ? found : null;
}

/** How a key reads in the palette and in titles. */
export function keyLabel(key: string): string {
  return ({ " ": "Space", ArrowLeft: "←", ArrowRight: "→" } as Record<string, string>)[key] ?? key;
}
