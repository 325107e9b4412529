/**
 * Opening a store in a mode, asking first as the command line does: a write
 * mode is confirmed (what it takes, what it may change); agent mode on a
 * single-writer store is refused by the main process until the user confirms
 * the risk (code confirm-required, as `--agent` without `--yes`), which is
 * asked next. Used by the open screen and by "Reopen in writer/agent mode…".
 */
import type { SessionMode } from "../../../electron/contract";
import { useSession } from "./session";
import { useUi } from "./ui";
import { useOpenScreen } from "./openScreen";

const AGENT_ID = /^[A-Za-z0-9._-]+$/;

export function checkAgentId(text: string): string | null {
  if (!text.trim()) return "Give an agent id: the name the explorer writes as.";
  return AGENT_ID.test(text.trim()) ? null : "An agent id is letters, digits, '.', '_' and '-' only.";
}

/** What a write mode takes and may change, said before it opens. */
export function modeWarning(mode: SessionMode, agentId?: string): string {
  return mode === "writer"
    ? "The explorer takes this store's .lock and may change its files (undo, compact, archive, edits). The app that owns the store cannot write until you close it."
    : `The explorer writes to this store as ${agentId ? `agent "${agentId}"` : "the agent named below"}, in a WAL of its own, and may change its files (undo, revert, compact, edits).`;
}

/** Open now; agent mode on a single-writer store asks the risk back before opening anyway. Closes the open screen once open. */
export async function openNow(dir: string, mode: SessionMode, agentId?: string, confirm = false): Promise<boolean> {
  const session = useSession.getState();
  const opened = await session.openStore(dir, mode, mode === "agent" ? agentId : undefined, confirm);
  if (opened) {
    useOpenScreen.getState().close();
    return true;
  }
  const error = useSession.getState().openError;
  if (error?.code === "confirm-required" && mode === "agent") {
    useUi.getState().ask({ title: "Agent mode on a single-writer store?", body: error.message, confirmLabel: "I understand: open in agent mode anyway", danger: true, onConfirm: async () => void (await openNow(dir, mode, agentId, true)) });
  }
  return false;
}

/** Run `open` at once for read-only; for a write mode, once the user confirms it. */
export function confirmMode(mode: SessionMode, agentId: string, open: () => Promise<unknown>): void {
  if (mode === "read-only") return void open();
  useUi.getState().ask({ title: `Open in ${mode} mode?`, body: modeWarning(mode, agentId), confirmLabel: `Open in ${mode} mode`, danger: true, onConfirm: async () => void (await open()) });
}

/** Open `dir` in `mode`, confirming a write mode first. */
export function openAsking(dir: string, mode: SessionMode, agentId = "explorer"): void {
  confirmMode(mode, agentId, () => openNow(dir, mode, agentId));
}

/** Reopen the open store in `mode`: writer asks as an open does; agent asks for its id in the same question. A failure keeps the open store and says why. */
export function reopenIn(mode: SessionMode): void {
  const info = useSession.getState().current?.session;
  if (!info) return;
  const failed = () => {
    const error = useSession.getState().openError;
    if (error && error.code !== "confirm-required") useUi.getState().toast("error", `Reopen in ${mode} mode failed: ${error.message}`, error.detail);
  };
  const reopen = async (agentId?: string) => void ((await openNow(info.dir, mode, agentId)) || failed());
  if (mode === "read-only") return void reopen();
  useUi.getState().ask({
    title: `Reopen in ${mode} mode?`,
    body: modeWarning(mode),
    ...(mode === "agent" ? { input: { label: "Agent id (the explorer writes as this agent)", initial: "explorer", check: checkAgentId } } : {}),
    confirmLabel: `Reopen in ${mode} mode`,
    danger: true,
    onConfirm: (text) => reopen(mode === "agent" ? text.trim() : undefined),
  });
}

/** The write mode that fits the open store, by its kind (a multi-writer store or an S3 store takes agents; a single-writer one a writer). */
export function fittingWriteMode(): "writer" | "agent" | null {
  const current = useSession.getState().current;
  if (!current) return null;
  const multi = current.summary.kind === "multi-writer" || current.summary.kind === "mixed";
  return multi || current.session.dir.startsWith("s3://") ? "agent" : "writer";
}
