/**
 * The explorer's own writes, watched in agent mode. opslog rewrites
 * manifest.json without a lock, and a compaction by another agent names only
 * that agent's new WAL, so a write the explorer's Store acknowledged can land
 * in a WAL no reader replays, or be left out of a snapshot whose agent had
 * not seen it. The explorer cannot prevent that; it makes sure its user never
 * believes such a write saved: after each write and on each poll that found a
 * change, it asks the inspector for this agent's lost writes (one definition,
 * lost-writes.ts) and checks that the manifest still names the WAL the Store
 * appends to, and tells each newly lost write once.
 */
import type { InspectorApi, LostWrite, StoreSummary } from "../engine/src/inspect/index.js";
import type { LostOwnWrites } from "./contract-writes.js";

const PAGE = 1000;
const NAMED = 50;

const keyOf = (w: { file: string; line: number; offset: number }) => `${w.file}:${w.line}:${w.offset}`;

export class OwnWritesWatch {
  private constructor(
    private readonly agentId: string,
    /** Lost writes of this agent already told (or there before this session): each is told once */
    private readonly told: Set<string>,
  ) {}

  /** Start watching: the agent's lost writes already on disk (an earlier session's) are not this session's news. */
  static async start(inspector: InspectorApi, agentId: string): Promise<OwnWritesWatch> {
    const summary = await inspector.summary();
    return new OwnWritesWatch(agentId, new Set((await ownLostWrites(inspector, summary, agentId)).map(keyOf)));
  }

  /** The agent's writes newly found lost, with what to do; null when none. `wal`: the WAL the Store appends to now. */
  async check(inspector: InspectorApi, summary: StoreSummary, wal: string): Promise<LostOwnWrites | null> {
    const fresh = (await ownLostWrites(inspector, summary, this.agentId)).filter((w) => !this.told.has(keyOf(w)));
    if (fresh.length === 0) return null;
    for (const w of fresh) this.told.add(keyOf(w));
    const named = Object.values(summary.manifest?.activeAgentOps ?? {}).includes(wal);
    return { message: lostMessage(this.agentId, fresh, named ? null : wal), writes: fresh.slice(0, NAMED), total: fresh.length, walUnnamed: named ? null : wal };
  }
}

/** Every lost write of this agent, read a page at a time (there are few: they are faults). */
async function ownLostWrites(inspector: InspectorApi, summary: StoreSummary, agentId: string): Promise<LostWrite[]> {
  if (summary.counts.lostWrites === 0) return [];
  const own: LostWrite[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await inspector.lostWrites({ offset, limit: PAGE });
    own.push(...page.rows.filter((w) => w.agent === agentId));
    if (offset + PAGE >= page.total) return own;
  }
}

function lostMessage(agentId: string, writes: LostWrite[], walUnnamed: string | null): string {
  const shown = writes.slice(0, 5).map((w) => `the ${w.op} of "${w.id}" (${w.file}:${w.line})`).join(", ");
  const more = writes.length > 5 ? ` and ${writes.length - 5} more` : "";
  const why = walUnnamed
    ? `manifest.json no longer names ${walUnnamed}, the WAL agent "${agentId}" appends to (another agent compacted, or rewrote the manifest, beside it)`
    : "another agent's compaction left them out";
  const count = writes.length === 1 ? "1 of the explorer's own writes is" : `${writes.length} of the explorer's own writes are`;
  return `${count} NOT in the store, though acknowledged: ${shown}${more}. Why: ${why}; no reader of the store will see ${writes.length === 1 ? "it" : "them"}. The explorer refreshes before each write, so its next writes go to a WAL the manifest names. To keep ${writes.length === 1 ? "it" : "them"}, re-apply (Agents view, Lost writes, "Re-apply").`;
}
