/**
 * The store at a glance: its manifest, kind, counts, agents, snapshots,
 * lanes, archive segments, locks and warnings, read now (a writer may have
 * come or gone since the last poll).
 */
import { archiveEntries } from "./archives.js";
import type { QueryContext } from "./context.js";
import { laneQueries } from "./lanes.js";
import { readLocks } from "./scan.js";
import { storeWarnings } from "./warnings.js";
import type { ArchiveSegmentInfo, SnapshotInfo, StoreSummary } from "./types.js";

async function summary(ctx: QueryContext): Promise<StoreSummary> {
  const entries = await archiveEntries(ctx);
  const archives = entries.map((a) => a.info);
  const lockWarnings: StoreSummary["warnings"] = [];
  const locks = await readLocks(ctx.dir, lockWarnings); // read now: a writer may have come or gone since the last poll
  const agents = [...new Set(ctx.lanes.map((l) => l.entry.agent).filter((a): a is string => a !== null))].sort();
  const live = ctx.links[ctx.links.length - 1];
  const lanes = await laneQueries.lanes(ctx);
  return {
    dir: ctx.dir,
    manifest: ctx.manifest,
    kind: ctx.kind,
    counts: {
      records: ctx.countAt(ctx.total), // a missing snapshot: never a count of what is not known
      activeOps: live ? live.endPos - live.startPos : 0,
      timelineOps: ctx.total,
      walOps: lanes.reduce((n, l) => n + l.ops, 0),
      archivedRecords: archives.reduce((n, a) => n + a.records, 0),
      lostWrites: ctx.lostWrites.length,
      conflicts: ctx.conflicts.length,
    },
    agents,
    snapshots: snapshotInfos(ctx),
    lanes,
    archiveSegments: archives,
    locks,
    warnings: storeWarnings({
      built: ctx.warnings,
      lanes: ctx.lanes,
      locks: lockWarnings,
      archives: entries.flatMap((a) => (a.error === null ? [] : [{ code: "unreadable-file" as const, severity: "warning" as const, file: a.info.path, message: a.error }])),
      stats: statsWarnings(ctx, archives),
    }),
  };
}

function snapshotInfos(ctx: QueryContext): SnapshotInfo[] {
  return ctx.snapshotFiles().map((s) => ({
    path: s.path,
    format: s.format ?? (s.path.endsWith(".jsonl") ? "jsonl" : "json"),
    timestamp: s.timestamp,
    records: s.records,
    bytes: s.bytes,
    current: s.path === ctx.manifest.currentSnapshot,
  }));
}

function statsWarnings(ctx: QueryContext, archives: ArchiveSegmentInfo[]): StoreSummary["warnings"] {
  const { stats, currentSnapshot } = ctx.manifest;
  const inSnapshot = ctx.snapshotFiles().find((s) => s.path === currentSnapshot)?.records;
  const out: StoreSummary["warnings"] = [];
  if (inSnapshot != null && inSnapshot !== stats.activeRecords) {
    out.push({ code: "stats-mismatch", severity: "info", file: "manifest.json", message: `manifest.json says the last checkpoint held ${stats.activeRecords} record(s), but ${currentSnapshot} holds ${inSnapshot}.` });
  }
  const archived = archives.filter((a) => a.named).reduce((n, a) => n + a.records, 0);
  if (archived !== stats.archivedRecords) {
    out.push({ code: "stats-mismatch", severity: "info", file: "manifest.json", message: `manifest.json counts ${stats.archivedRecords} archived record(s); the archive segments hold ${archived} (re-archiving an id counts it twice in opslog's tally).` });
  }
  return out;
}

/** The store at a glance. */
export const summaryQueries = { summary };
