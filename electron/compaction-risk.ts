/**
 * What a compaction in agent mode does to the store's other agents, said
 * before it runs. opslog's multi-writer compaction writes a manifest that
 * names only the compacting agent's new WAL: every other agent still running
 * keeps appending to its old WAL, which no reader replays, until it refreshes
 * or reopens (opslog's own design). So the preview lists the agents whose
 * WALs the manifest names, with their last op's time and their WAL's
 * modified time, and the compact call must name every one of them back
 * (confirmAgents): a client cannot skip the question, and an agent that
 * registered after the user looked stops the compaction.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { OpslogError } from "../engine/src/errors.js";
import type { StoreSummary } from "../engine/src/inspect/index.js";
import type { AgentActivity, CompactPreview } from "./contract-writes.js";
import type { SessionInfo } from "./contract.js";

/** An agent whose last op or WAL change is this recent is called out as likely still running. */
export const RECENT_MINUTES = 15;

/** The agents other than this session's whose WALs the manifest names, most recently active first. */
export async function otherAgents(summary: StoreSummary, info: SessionInfo, localDir: string | null, now = Date.now()): Promise<AgentActivity[]> {
  const named = Object.entries(summary.manifest?.activeAgentOps ?? {}).filter(([agent]) => agent !== info.agentId);
  const rows = await Promise.all(named.map(async ([agent, wal]): Promise<AgentActivity> => {
    const lane = summary.lanes.find((l) => l.path === wal);
    const lastOpAt = lane?.tsRange?.[1] ?? null;
    // The WAL's own time: an agent that opened (and registered) but wrote nothing yet still shows when.
    const walModifiedAt = localDir ? await stat(join(localDir, wal)).then((s) => s.mtime.toISOString(), () => null) : null;
    const latest = Math.max(lastOpAt ? Date.parse(lastOpAt) : 0, walModifiedAt ? Date.parse(walModifiedAt) : 0);
    return { agent, wal, ops: lane?.ops ?? 0, lastOpAt, walModifiedAt, recent: latest > 0 && now - latest <= RECENT_MINUTES * 60_000 };
  }));
  const latest = (a: AgentActivity) => Math.max(a.lastOpAt ? Date.parse(a.lastOpAt) : 0, a.walModifiedAt ? Date.parse(a.walModifiedAt) : 0);
  return rows.sort((a, b) => latest(b) - latest(a) || (a.agent < b.agent ? -1 : 1));
}

const WRITER_MESSAGE = "Writes the current state as a new snapshot and starts a new WAL. The old snapshot and WAL stay on disk, so the history chain keeps them.";

export function compactPreview(info: SessionInfo, agents: AgentActivity[]): CompactPreview {
  if (info.mode !== "agent") return { otherAgents: [], message: WRITER_MESSAGE, confirmationNeeded: false, recentMinutes: RECENT_MINUTES };
  const me = `the new WAL of agent "${info.agentId}"`;
  const message = agents.length === 0
    ? `Writes the current state as a new snapshot and a manifest that names only ${me}. No other agent's WAL is named now, so no other agent is writing into this generation. The old snapshot and WALs stay on disk as history.`
    : `Writes the current state as a new snapshot and a manifest that names only ${me}. ${agents.length} other agent(s) have a WAL the manifest names now: ${agents.map((a) => a.agent).join(", ")}. Each one still running keeps appending to its old WAL after the compaction, and those writes are lost (no reader replays them) until it refreshes or reopens the store: opslog's own design. Compact when they are stopped, or make sure they refresh right after.`;
  return { otherAgents: agents, message, confirmationNeeded: true, recentMinutes: RECENT_MINUTES };
}

/** Agent mode: refuse a compaction (or an archive, which compacts) unless the call names back every other agent the manifest names now. */
export function checkCompactConfirmed(preview: CompactPreview, confirmAgents: string[] | undefined, action: "compact" | "archive"): void {
  if (!preview.confirmationNeeded) return;
  const verb = action === "compact" ? "Compacting" : "Archiving (which compacts)";
  if (confirmAgents === undefined) {
    const who = preview.otherAgents.length ? `the next writes of ${preview.otherAgents.map((a) => a.agent).join(", ")} are lost until they refresh` : "no other agent's WAL is named now";
    throw new OpslogError("confirm-required", `${verb} in agent mode retires every other agent's WAL (${who}). Nothing was written. Look at the agents first (actions.compactPreview) and confirm by naming them (confirmAgents).`);
  }
  const unconfirmed = preview.otherAgents.filter((a) => !confirmAgents.includes(a.agent)).map((a) => a.agent);
  if (unconfirmed.length > 0) {
    throw new OpslogError("confirm-required", `${verb} would also retire the WAL of ${unconfirmed.join(", ")}, which you did not confirm (it may have registered since you looked). Nothing was written; look at the agents again.`);
  }
}
