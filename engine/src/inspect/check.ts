/**
 * The store doctor: one report of what the explorer knows of a store's
 * health (the history chain's verdicts, lost writes by reason, WAL lines
 * opslog skips, files that cannot be read or are missing, locks and their
 * holders, conflicts), built from the inspector's public queries only, so it
 * runs over an inspector in this thread or in its own (the app's), and
 * without Electron (the CLI, electron/check.ts). A store is healthy when the
 * explorer has nothing to warn about above "info": the same warnings the app
 * shows, so the doctor and the app never disagree.
 */
import type { InspectorApi } from "./api.js";
import type { CheckedBadLine, CheckedLock, CheckedLostWrite, LockInfo, LostWrite, StoreCheck, StoreWarning } from "./types.js";

export const CHECK_FORMAT = "opslog-explorer/check@1";
/** How many lost writes and bad lines the report lists (it counts them all) */
export const CHECK_SHOWN = 50;
/** How many ids of a mismatched link the report names */
const MISMATCH_IDS = 20;
const LOST_PAGE = 1000;

export interface CheckOptions {
  /** The store as the user named it (an s3:// address); default the inspector's folder */
  store?: string;
  /** Locks read elsewhere (an S3 store's lock objects, see s3/locks.ts); default the lock files of the folder */
  locks?: CheckedLock[];
}

/** The queries the doctor asks. */
export type Checkable = Pick<InspectorApi, "dir" | "summary" | "timelineInfo" | "lostWrites">;

export async function checkStore(inspector: Checkable, options: CheckOptions = {}): Promise<StoreCheck> {
  const summary = await inspector.summary();
  const info = await inspector.timelineInfo();
  const lost = await everyLostWrite(inspector);
  const locks = options.locks ?? summary.locks.map(lockOnDisk);
  // The summary warns of lock files on disk itself; locks read elsewhere are warned of here, in the same words' spirit.
  const warnings = [...summary.warnings, ...(options.locks ?? []).map(lockWarning)];
  const problems = warnings.filter((w) => w.severity !== "info");
  const byReason: Record<string, number> = {};
  for (const w of lost) byReason[w.reason] = (byReason[w.reason] ?? 0) + 1;
  const badLines = warnings.filter((w) => w.code === "torn-line" || w.code === "malformed-line").map(badLine);
  const verdicts = (v: string) => info.links.filter((l) => l.verified === v).length;
  const fileWarnings = (code: StoreWarning["code"]) => warnings.filter((w) => w.code === code).map((w) => ({ file: w.file ?? "", severity: w.severity, message: w.message }));
  return {
    format: CHECK_FORMAT,
    store: options.store ?? inspector.dir,
    checkedAt: new Date().toISOString(),
    healthy: problems.length === 0,
    problems,
    kind: summary.kind,
    counts: {
      records: summary.counts.records,
      timelineOps: summary.counts.timelineOps,
      agents: summary.agents.length,
      wals: summary.lanes.length,
      snapshots: summary.snapshots.length,
      archivedRecords: summary.counts.archivedRecords,
    },
    chain: {
      verified: verdicts("ok"),
      mismatched: verdicts("mismatch"),
      unverifiable: verdicts("unverifiable"),
      live: verdicts("live"),
      links: info.links.map((l) => ({ epoch: l.epoch, snapshot: l.snapshot, next: l.next, wals: l.wals, verified: l.verified, mismatchCount: l.mismatchCount, mismatchIds: l.mismatchIds.slice(0, MISMATCH_IDS), missing: l.missing, droppedWrites: l.droppedWrites })),
    },
    lostWrites: { total: lost.length, byReason, shown: lost.slice(0, CHECK_SHOWN).map(shortLostWrite) },
    badLines: { total: badLines.length, torn: badLines.filter((b) => b.torn).length, malformed: badLines.filter((b) => !b.torn).length, shown: badLines.slice(0, CHECK_SHOWN) },
    unreadableFiles: fileWarnings("unreadable-file"),
    missingFiles: fileWarnings("missing-file"),
    locks,
    conflicts: { total: summary.counts.conflicts },
    warnings,
  };
}

/** Every lost write, a page at a time (their reasons are counted, whatever reasons the inspector knows). */
async function everyLostWrite(inspector: Checkable): Promise<LostWrite[]> {
  const out: LostWrite[] = [];
  for (let offset = 0; ; offset += LOST_PAGE) {
    const page = await inspector.lostWrites({ offset, limit: LOST_PAGE });
    out.push(...page.rows);
    if (page.rows.length < LOST_PAGE || out.length >= page.total) return out;
  }
}

function shortLostWrite(w: LostWrite): CheckedLostWrite {
  return { reason: w.reason, file: w.file, line: w.line, agent: w.agent, op: w.op, id: w.id, heldAnyway: w.heldAnyway, explanation: w.explanation };
}

function badLine(w: StoreWarning): CheckedBadLine {
  return { file: w.file ?? "", line: w.line ?? 0, torn: w.code === "torn-line", cause: w.message };
}

/** A lock file on disk, as the summary read it. */
function lockOnDisk(lock: LockInfo): CheckedLock {
  const own = lock.pid === process.pid;
  const state = own ? "own" : lock.alive ? "held" : "stale";
  const who = lock.pid === null ? "an unknown process" : `process ${lock.pid}`;
  const holder = own ? `this explorer (${who})` : `${who} (${lock.alive ? "running" : "not running"})`;
  return { file: lock.file, state, pid: lock.pid, host: null, expiresAt: null, holder };
}

/** The warning for a lock read elsewhere (S3): a stale one is a problem, as a stale lock file is. */
function lockWarning(lock: CheckedLock): StoreWarning {
  const kind = lock.file === ".lock" ? "lock" : "compact-lock";
  if (lock.state === "stale") {
    return { code: `${kind}-stale`, severity: "warning", file: lock.file, message: `${lock.file} is held by ${lock.holder}, whose lock ran out${lock.expiresAt ? ` at ${lock.expiresAt}` : ""}: left by a writer that stopped without letting go. opslog-s3 takes it over on the next write; you may delete it.` };
  }
  return { code: `${kind}-live`, severity: "info", file: lock.file, message: `${lock.file} is held by ${lock.holder}${lock.expiresAt ? ` until ${lock.expiresAt}` : ""}: a writer is at work on this store. Read-only viewing is safe.` };
}
