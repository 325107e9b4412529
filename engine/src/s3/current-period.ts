/**
 * The current period of an S3 store: what opslog-s3's own Store.open reads
 * (the manifest, the snapshot it names current, the WALs it names active),
 * and the archive segments it names (small, and without them the inspector
 * would rightly warn that a named file is missing). The mirror fetches these
 * first, so the current state can be shown at once; everything else under
 * the prefix (retired WALs, older snapshots, archives no longer named,
 * blobs) is the history behind it, fetched after.
 */

/** The files the manifest names, by path in the store (`snapshots/…`, `ops/<wal>`, `archive/…`). */
export interface CurrentPeriod {
  /** The manifest's bytes as fetched: applied as is, not fetched twice */
  manifest: Buffer;
  names: Set<string>;
}

/** The current period a manifest names; null when it cannot be read (the inspector reports a bad manifest, and the mirror takes everything). */
export function currentPeriodOf(manifest: Buffer): CurrentPeriod | null {
  let parsed: { currentSnapshot?: unknown; activeOps?: unknown; activeAgentOps?: unknown; archiveSegments?: unknown };
  try {
    parsed = JSON.parse(manifest.toString("utf-8")) as typeof parsed;
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== "object") return null;
  const agentWals = parsed.activeAgentOps && typeof parsed.activeAgentOps === "object" ? Object.values(parsed.activeAgentOps) : [];
  const archives = Array.isArray(parsed.archiveSegments) ? parsed.archiveSegments : [];
  const named = [parsed.currentSnapshot, parsed.activeOps, ...agentWals, ...archives];
  return { manifest, names: new Set(["manifest.json", ...named.filter((n): n is string => typeof n === "string" && n.length > 0)]) };
}

/** Whether a listed key (a whole file, or one batch of a WAL: `ops/<wal>/batch-…`) belongs to the current period. */
export function inCurrentPeriod(period: CurrentPeriod, key: string): boolean {
  const batch = /^(ops\/[^/]+)\/batch-[^/]+$/.exec(key);
  return period.names.has(batch ? batch[1] : key);
}
