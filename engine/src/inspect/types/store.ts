// What a store is made of, as its summary tells: files, lanes, the chain, warnings, locks.
// Part of the inspector's answer types, re-exported by ../types.ts.
import type { Manifest } from "../../types.js";

export type StoreKind = "single-writer" | "multi-writer" | "mixed" | "empty";

export type WarningCode =
  | "malformed-line"
  | "torn-line"
  | "missing-file"
  | "stats-mismatch"
  | "lock-live"
  | "lock-own"
  | "lock-stale"
  | "compact-lock-live"
  | "compact-lock-own"
  | "compact-lock-stale"
  | "leftover-tmp"
  | "chain-gap"
  | "chain-mismatch"
  | "lost-writes"
  | "unreadable-file";

export interface StoreWarning {
  code: WarningCode;
  severity: "info" | "warning" | "error";
  /** One sentence the user can act on: what is wrong, where, and what to do. */
  message: string;
  file?: string;
  line?: number;
}

export interface LockInfo {
  file: ".lock" | ".compact-lock";
  pid: number | null;
  alive: boolean;
}

export interface SnapshotInfo {
  path: string;
  /** "json" (0.1-0.6, possibly pretty-printed) or "jsonl" (0.7+) */
  format: "json" | "jsonl";
  timestamp: string | null;
  records: number | null;
  bytes: number;
  current: boolean;
}

export interface ArchiveSegmentInfo {
  path: string;
  period: string;
  timestamp: string | null;
  records: number;
  bytes: number;
  /** Named in manifest.archiveSegments */
  named: boolean;
}

/** One WAL file: a single-writer ops file or one agent's file. */
export interface AgentLane {
  path: string;
  /** Agent id from the file name or the ops; null for a single-writer WAL */
  agent: string | null;
  /** The current manifest names this file (activeOps or activeAgentOps) */
  named: boolean;
  ops: number;
  bytes: number;
  clockRange: [number, number] | null;
  tsRange: [string, string] | null;
  malformedLines: number;
  /** Ops in this file that are not part of the store's history (see LostWrite) */
  lostOps: number;
}

export interface StoreSummary {
  dir: string;
  manifest: Manifest | null;
  kind: StoreKind;
  counts: {
    /** Records in the current state (null: unknown, the current snapshot is missing) */
    records: number | null;
    /** Ops in the current WAL(s), as the Store would replay them */
    activeOps: number;
    /** Ops in the whole timeline, back through the history chain */
    timelineOps: number;
    /** Ops in every WAL file under ops/, as the Agents lanes count them: the timeline's and those no reader replays */
    walOps: number;
    archivedRecords: number;
    /** Writes no reader sees (see LostWrite): some in the timeline (dropped by a compaction), some never in it */
    lostWrites: number;
    conflicts: number;
  };
  agents: string[];
  snapshots: SnapshotInfo[];
  lanes: AgentLane[];
  archiveSegments: ArchiveSegmentInfo[];
  locks: LockInfo[];
  warnings: StoreWarning[];
}

/** A link of the history chain: the state at `snapshot`, then the ops of `wals` replayed over it. */
export interface ChainLink {
  epoch: number;
  /** Snapshot this link starts from; null = the store's creation (empty state) */
  snapshot: string | null;
  wals: string[];
  /** Snapshot that replaying this link should produce (the next link's base); null for the live link */
  next: string | null;
  /** Timeline positions [startPos, endPos) of this link's ops */
  startPos: number;
  endPos: number;
  /** A file this link needs is missing: the timeline jumps to `next` here */
  missing: string[];
  verified: "ok" | "mismatch" | "unverifiable" | "live";
  /** Ids whose replayed value differs from `next` (when verified is "mismatch"), first 100 */
  mismatchIds: string[];
  mismatchCount: number;
  /** Ops of this link that the compaction writing `next` had not seen and left out: lost writes, not a mismatch */
  droppedWrites: number;
}

export interface TimelineInfo {
  /** Number of ops in the timeline; positions run 0..total (state after `total` ops = now) */
  total: number;
  links: ChainLink[];
  tsRange: [string, string] | null;
}

export interface RefreshResult {
  /** New ops picked up by tailing */
  newOps: number;
  /** The manifest changed (compaction, new agent) or bytes already read changed (undo): the index was rebuilt */
  rebuilt: boolean;
  /** Something else a summary shows changed: a lock taken, released or left by a writer that died, or bad lines appended (present only when true) */
  summaryChanged?: boolean;
}
