// The store doctor's report (check.ts): what the explorer knows of a store's
// health, as one JSON-safe document. Part of the inspector's answer types,
// re-exported by ../types.ts. The CLI prints it (`npm run check`); its JSON
// schema is electron/check-schema.ts, documented in the README.
import type { ChainLink, StoreKind, StoreWarning } from "./store.js";

/** A lock file of the store and who holds it. */
export interface CheckedLock {
  file: ".lock" | ".compact-lock";
  /** "held": its holder runs (on S3: its TTL has not run out); "stale": its holder is gone (or its TTL ran out); "own": this explorer's */
  state: "held" | "stale" | "own";
  /** The holder's process id, when the lock names one */
  pid: number | null;
  /** The holder's host (S3 locks name it; a lock file on disk does not) */
  host: string | null;
  /** When the lock's TTL runs out (S3 only), ISO time */
  expiresAt: string | null;
  /** Who holds it, in words: "process 4242 (running)" */
  holder: string;
}

/** A WAL line opslog skips. */
export interface CheckedBadLine {
  file: string;
  /** 1-based */
  line: number;
  /** An unterminated last line (a crash mid-append), rather than a whole line that is not an op */
  torn: boolean;
  /** Why opslog skips it, as the explorer's warning says */
  cause: string;
}

/** One lost write, in short. */
export interface CheckedLostWrite {
  reason: string;
  file: string;
  line: number;
  agent: string | null;
  op: "set" | "delete";
  id: string;
  /** The current state holds its effect anyway (a later write of the same value) */
  heldAnyway: boolean;
  explanation: string;
}

export interface StoreCheck {
  /** The document's format and version */
  format: "opslog-explorer/check@1";
  /** The store as named: its folder, or its s3:// address */
  store: string;
  checkedAt: string;
  /** No problem found: `problems` is empty */
  healthy: boolean;
  /** What makes the store unhealthy: every warning of severity "warning" or "error" (the exit code 1) */
  problems: StoreWarning[];
  kind: StoreKind;
  counts: {
    /** Records in the current state (null: unknown, the current snapshot is missing) */
    records: number | null;
    /** Ops in the whole timeline, back through the history chain */
    timelineOps: number;
    agents: number;
    wals: number;
    snapshots: number;
    archivedRecords: number;
  };
  /** The history chain: each link (a snapshot, its WALs, the next snapshot) checked by replay */
  chain: {
    /** Links by verdict: "ok" links verified, "mismatch" ones whose replay does not give the next snapshot, "unverifiable" ones whose WALs are gone, and the live link (nothing to verify against yet) */
    verified: number;
    mismatched: number;
    unverifiable: number;
    live: number;
    links: (Pick<ChainLink, "epoch" | "snapshot" | "next" | "wals" | "verified" | "mismatchCount" | "missing" | "droppedWrites"> & { mismatchIds: string[] })[];
  };
  /** Writes no reader of the store sees, though their writers believe them saved */
  lostWrites: {
    total: number;
    /** How many for each reason (every reason the explorer knows shows up here as it is found) */
    byReason: Record<string, number>;
    /** The first ones, in WAL order */
    shown: CheckedLostWrite[];
  };
  /** WAL lines opslog skips: torn (unterminated) or not an op */
  badLines: { total: number; torn: number; malformed: number; shown: CheckedBadLine[] };
  /** Files or folders that exist but cannot be read */
  unreadableFiles: { file: string; severity: StoreWarning["severity"]; message: string }[];
  /** Files the manifest names that are not there */
  missingFiles: { file: string; severity: StoreWarning["severity"]; message: string }[];
  locks: CheckedLock[];
  /** Last-writer-wins conflicts: a write another agent's concurrent write silently replaced. Counted, not a problem: it is how multi-writer stores settle */
  conflicts: { total: number };
  /** Every warning, info included, as the app's warnings panel shows them */
  warnings: StoreWarning[];
}
