/**
 * Plans the history chain: which WALs continue from which snapshot. A WAL
 * belongs to the link after the last snapshot named before it (by the ms in
 * the file names), except a WAL a compaction started a few ms before naming
 * its snapshot (this project's engine did so until it was fixed; other
 * writers may still): a WAL named just before a snapshot whose ops were all
 * written after it, by a writer with no other WAL in the next link, is that
 * snapshot's own WAL. Reads at most the first line of such WALs; never writes.
 * Also tells, when a link is verified, records archived from damage.
 */
import { open } from "node:fs/promises";
import { isDeepStrictEqual } from "node:util";
import { join } from "node:path";
import type { Lane } from "./history.js";
import type { DirectoryScan, FileEntry, WalEntry } from "./scan.js";
import type { ChainLink } from "./types.js";

export interface PlannedLink {
  snapshot: FileEntry | null;
  next: FileEntry | null;
  lanes: Lane[];
  live: boolean;
}

/** How far before its snapshot's a compaction's WAL name may be and still be that snapshot's. */
export const WAL_BEFORE_SNAPSHOT_MS = 10;

/** Group WALs under the snapshot they continue from. */
export async function planLinks(dir: string, scan: DirectoryScan, lanes: Lane[]): Promise<PlannedLink[]> {
  const current = scan.manifest.currentSnapshot;
  const currentIdx = scan.snapshots.findIndex((s) => s.path === current);
  // Snapshots after the current one are not part of the history (a compaction in progress).
  const chain = currentIdx === -1 ? [] : scan.snapshots.slice(0, currentIdx + 1);
  const links: PlannedLink[] = [];
  const first = chain[0]?.ms ?? Infinity;
  const early = lanes.filter((l) => (l.entry.ms ?? 0) < first && !l.live);
  if (early.length > 0) links.push({ snapshot: null, next: chain[0] ?? null, lanes: early, live: false });
  chain.forEach((snapshot, i) => {
    const next = chain[i + 1] ?? null;
    const live = next === null;
    const inRange = lanes.filter((l) => {
      if (l.live) return live;
      const ms = l.entry.ms ?? 0;
      return ms >= snapshot.ms! && (next === null || ms < next.ms!);
    });
    links.push({ snapshot, next, lanes: inRange, live });
  });
  await moveEarlyNamedWals(dir, links);
  return links;
}

/** Move each WAL named a few ms before the snapshot it continues from into that snapshot's link. */
async function moveEarlyNamedWals(dir: string, links: PlannedLink[]): Promise<void> {
  for (let i = 0; i + 1 < links.length; i++) {
    const link = links[i];
    const after = links[i + 1];
    // The live link's WALs are the ones the manifest names, whatever their names say.
    if (after.live || !link.next || link.next.ms === null) continue;
    const snapMs = link.next.ms;
    for (const lane of [...link.lanes]) {
      const ms = lane.entry.ms;
      if (ms === null || ms >= snapMs || ms < snapMs - WAL_BEFORE_SNAPSHOT_MS) continue;
      // A writer starts one WAL per link: a second one of its own there means this one is older.
      if (after.lanes.some((l) => l.entry.agent === lane.entry.agent)) continue;
      if (!(await writtenFrom(dir, lane.entry, snapMs))) continue;
      link.lanes.splice(link.lanes.indexOf(lane), 1);
      after.lanes.unshift(lane);
    }
  }
}

const FIRST_LINE_MAX = 1024 * 1024;

/** Whether the WAL is empty or its first op was written at or after `ms`. */
async function writtenFrom(dir: string, entry: WalEntry, ms: number): Promise<boolean> {
  if (entry.bytes === 0) return true;
  let file;
  try {
    file = await open(join(dir, entry.path), "r");
    const buf = Buffer.alloc(Math.min(entry.bytes, FIRST_LINE_MAX));
    const { bytesRead } = await file.read(buf, 0, buf.length, 0);
    const text = buf.toString("utf-8", 0, bytesRead);
    const end = text.indexOf("\n");
    const op = JSON.parse(end === -1 ? text : text.slice(0, end)) as { ts?: unknown };
    return typeof op.ts === "string" && Date.parse(op.ts) >= ms;
  } catch {
    return false; // unreadable or malformed: keep the plan the names give
  } finally {
    await file?.close();
  }
}

/**
 * Tells archiving from damage when a link is verified: store.archive()
 * removes records without an op, into a segment. Archiving into the same
 * segment again merges over it, so a segment holds only the value of each
 * id's last archive: an id that left the state at an earlier link with
 * another value is accounted for when it left again without an op later.
 */
export class ArchiveCheck {
  /** id -> the last link at which it left the state without an op, into an archive */
  private lastArchived = new Map<string, number>();
  private pending: { link: ChainLink; id: string }[] = [];

  /** values: each archived id's value in every readable segment */
  constructor(private readonly values: Map<string, unknown[]>) {}

  /** id, holding `value`, left the state at `link` without an op: whether an archive accounts for it (some only once finish() has run). */
  accounts(link: ChainLink, id: string, value: unknown): boolean {
    const held = this.values.get(id);
    if (!held) return false;
    this.lastArchived.set(id, link.epoch);
    if (!held.some((v) => isDeepStrictEqual(v, value))) this.pending.push({ link, id });
    return true;
  }

  /** Per link, the ids no segment holds with the link's value and that were not archived again later. */
  unaccounted(): Map<ChainLink, string[]> {
    const out = new Map<ChainLink, string[]>();
    for (const { link, id } of this.pending) {
      if (this.lastArchived.get(id)! > link.epoch) continue; // re-archived later: the segment holds that value now
      let ids = out.get(link);
      if (!ids) out.set(link, (ids = []));
      ids.push(id);
    }
    return out;
  }
}
