/**
 * The shape of a store's history as the inspector indexes it: per-WAL lanes,
 * the op index (OpTable), the merged timeline, every record's versions, the
 * current state, the chain's links, conflicts and lost writes. build.ts is
 * the one place that builds it (and live.ts extends it as WALs grow); the
 * queries read it. Types only.
 */
import type { EntryRuns } from "./entry-runs.js";
import type { KeptColumns } from "./kept-columns.js";
import type { AgentTable, IntList, OpTable } from "./optable.js";
import type { OpReader } from "./opreader.js";
import type { ParallelScan } from "./parallel.js";
import type { DirectoryScan, WalEntry } from "./scan.js";
import type { SkippedWalLine, UnreadableFile } from "./walscan.js";
import type { CurrentState } from "./current-state.js";
import type { RecordVersions } from "./versions.js";
import type { ChainLink, StoreKind, StoreWarning } from "./types.js";

/** A last-writer-wins conflict, by op entries: the winner overrode the loser's write without having seen it (conflicts.ts). */
export interface ConflictRecord {
  rec: number;
  winner: number;
  losers: number[];
}

export interface Lane {
  entry: WalEntry;
  named: boolean;
  live: boolean;
  /** The op index entries of this WAL's ops, in file order */
  entries: EntryRuns;
  skipped: SkippedWalLine[];
  /** Where the next tail read starts */
  end: number;
  nextLine: number;
  /** The WAL exists but could not be read (from `end` on) */
  unreadable?: UnreadableFile | null;
  /** The last long line read (walscan.ts lineHash): its entry and fingerprint */
  lastLong?: { entry: number; hash: string };
}

export interface StoreIndex {
  scan: DirectoryScan;
  lanes: Lane[];
  table: OpTable;
  agents: AgentTable;
  /** Timeline position -> op entry */
  timeline: IntList;
  links: ChainLink[];
  versions: RecordVersions;
  /** The current state, as parsed, by record number */
  head: CurrentState;
  /** alive[k] = number of records in state k (the state after k timeline ops) */
  alive: IntList;
  conflicts: ConflictRecord[];
  /** Entries of every lost op, in WAL order (see lost-writes.ts) */
  lost: number[];
  /** Entries of replayed ops that a compaction which had not seen them left out of its snapshot */
  dropped: Set<number>;
  /** Entries of ops appended onto a line torn by opslog's undo: indexed, never replayed (opslog skips the line) */
  tornByUndo: Set<number>;
  /** State indexes where a snapshot replaced the replayed state, the ids it changed, which of them it left out, and the archive that moved some (archive-ends.ts; events.ts) */
  jumps: { k: number; ids: string[]; epoch: number; removed: string[]; archive: { segment: string; ids: string[] } | null }[];
  warnings: StoreWarning[];
  /** From this state on, every state depends on a snapshot that is missing (its path): unknown, never shown (null: all known) */
  unknownFrom: { k: number; snapshot: string } | null;
  kind: StoreKind;
  multiWriter: boolean;
  snapshotInfo: Map<string, { timestamp: string | null; records: number | null; format: "json" | "jsonl" | null }>;
  reader: OpReader;
  /** The worker reading the WALs during the build, if any */
  parallel: ParallelScan | null;
  /** The short top-level values and the hash of every op's data, by op entry */
  columns: KeptColumns;
}

/**
 * Whether the WALs are read and parsed in two worker threads while this one
 * indexes: "auto" does so when they are big enough to repay starting them, and
 * reads in this thread if a worker fails; "always" fails with it.
 */
export type ParallelMode = "auto" | "always" | "never";
