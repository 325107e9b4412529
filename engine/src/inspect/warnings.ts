/**
 * The store's warnings, computed on each call from what the inspector holds
 * now and what is on disk now, never accumulated: the same on every call,
 * and the same as a fresh open of the same bytes gives. Bad WAL lines are
 * warned about from the lanes' own list of them, so a lane's count of
 * malformed lines and the warnings always agree.
 */
import type { Lane } from "./store-index.js";
import type { SkippedWalLine } from "./walscan.js";
import type { StoreWarning } from "./types.js";

export interface WarningSources {
  /** Found while building the history (missing files, chain gaps, lost writes, ...) */
  built: StoreWarning[];
  lanes: Lane[];
  /** From the lock files as they are now */
  locks: StoreWarning[];
  /** From the archive segments as they read now */
  archives: StoreWarning[];
  /** The manifest's stats against what the files hold */
  stats: StoreWarning[];
}

export function storeWarnings(sources: WarningSources): StoreWarning[] {
  const lines = sources.lanes.flatMap((lane) => lane.skipped.map((s) => skippedWarning(lane.entry.path, s)));
  const all = [...sources.built, ...lines, ...sources.locks, ...sources.archives, ...sources.stats];
  // One fact, one warning: an unreadable segment is found both by the build and by reading it again.
  const seen = new Set<string>();
  return all.filter((w) => {
    const key = JSON.stringify([w.code, w.file ?? null, w.line ?? null, w.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function skippedWarning(path: string, s: SkippedWalLine): StoreWarning {
  return s.torn
    ? { code: "torn-line", severity: "warning", file: path, line: s.line, message: `${path}:${s.line}: ${s.reason}. opslog skips this line; if no writer is running, it was never saved.` }
    : { code: "malformed-line", severity: "warning", file: path, line: s.line, message: `${path}:${s.line} is skipped by opslog: ${s.reason}.` };
}
