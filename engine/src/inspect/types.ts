// The inspector's answers: plain JSON-safe data, so the main process can pass
// them to the renderer as they are. Everything a UI lists comes in a Page.
import type { Manifest } from "../types.js";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Doc = Record<string, unknown>;

/** A MongoDB-style query object ({status: "open", n: {$gt: 3}}), evaluated by mingo. */
export type Query = Record<string, unknown>;

export interface PageRequest {
  offset: number;
  limit: number;
}

/** Which conflicts to list: all, or (with `pos`) only those the op at that position is in, as winner or loser. */
export interface ConflictsRequest extends PageRequest {
  pos?: number;
}

export interface Page<T> {
  rows: T[];
  total: number;
  offset: number;
  limit: number;
}

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
    /** Records in the current state */
    records: number;
    /** Ops in the current WAL(s), as the Store would replay them */
    activeOps: number;
    /** Ops in the whole timeline, back through the history chain */
    timelineOps: number;
    archivedRecords: number;
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

/** One op of the merged timeline. Positions count ops: pos p is the (p+1)-th op applied. */
export interface TimelineOp {
  pos: number;
  /** Index of the chain link (epoch) this op belongs to */
  epoch: number;
  file: string;
  /** 1-based line in file */
  line: number;
  /** Byte offset of the line in file */
  offset: number;
  ts: string;
  agent: string | null;
  clock: number | null;
  op: "set" | "delete";
  id: string;
  data: Doc | null;
  /** The full previous record (delta encoding resolved); null when the op created the record */
  prev: Doc | null;
  encoding: "full" | "delta";
  /** Set when a compaction that had not seen this op dropped it: the states after that snapshot lack it (see LostWrite) */
  lost?: true;
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

export interface RecordRow {
  id: string;
  data: Doc;
}

export interface RecordsRequest extends PageRequest {
  /** State after this many timeline ops; default: now (total) */
  at?: number;
  filter?: Query;
  /** Field path to sort by ("id" sorts by record id); default: id ascending */
  sort?: { field: string; dir: 1 | -1 };
  /** Substring match on record id */
  idContains?: string;
}

export interface DiffRow {
  id: string;
  /** "archived": the record left the state because an archive moved it to `segment` (not a delete) */
  kind: "added" | "removed" | "changed" | "archived";
  before: Doc | null;
  after: Doc | null;
  /** The archive segment it went to (kind "archived" only), e.g. "archive/archive-2026-Q1.json" */
  segment?: string;
}

/** A page of a diff; `idContains` and `filter` keep the records whose id contains it, and whose value before or after matches it. */
export interface DiffRequest extends PageRequest {
  idContains?: string;
  filter?: Query;
}

export interface DiffPage extends Page<DiffRow> {
  counts: { added: number; removed: number; changed: number; archived: number };
}

export interface OpsRequest extends PageRequest {
  agent?: string | null;
  id?: string;
  op?: "set" | "delete";
  /** ISO timestamps, inclusive */
  from?: string;
  to?: string;
  /** A query over TimelineOp fields, e.g. {"data.status": "done"} */
  filter?: Query;
}

/**
 * One step of a record's history: an op (pos = its timeline position), or
 * op "archive": an archive moved the record to `segment`, taking effect in
 * the state after `pos` ops (file is the segment, line 0).
 */
export interface HistoryEntry {
  pos: number;
  ts: string;
  agent: string | null;
  clock: number | null;
  op: "set" | "delete" | "archive";
  before: Doc | null;
  after: Doc | null;
  file: string;
  line: number;
  segment?: string;
}

/**
 * An archive or a compaction, in its place in the timeline. Neither is an op:
 * it takes effect between op position - 1 and op position, so the state after
 * `position` ops includes it. opslog's archive() writes the segment and then
 * compacts, so each archive comes with a compaction at the same position.
 */
export interface TimelineEvent {
  kind: "archive" | "compaction";
  position: number;
  /** The chain link it closes */
  epoch: number;
  /** When the compaction's snapshot was taken (its timestamp), if readable */
  time: string | null;
  /** The snapshot the compaction wrote */
  snapshot: string;
  /** archive: the segment the records went to; null for a compaction */
  segment: string | null;
  /** archive: how many records it moved, and their ids (the first 1000, in id order) */
  archivedCount: number;
  archivedIds: string[];
  /** The link's ops folded into the snapshot; null when that link's WALs are gone */
  opsFolded: number | null;
  /** Ops of the (filtered) Operations list before this event: where it goes in that list */
  opsBefore: number;
}

/** Which events to list, placed among the ops the same filters keep (see ops()). */
export type EventsRequest = Omit<OpsRequest, "offset" | "limit">;

export interface OpRef {
  pos: number | null;
  file: string;
  line: number;
  agent: string | null;
  clock: number | null;
  ts: string;
}

/** A key two or more agents wrote concurrently, where LWW kept one write and silently dropped others. */
export interface Conflict {
  id: string;
  winner: OpRef & { data: Doc | null; op: "set" | "delete" };
  losers: (OpRef & { data: Doc | null; op: "set" | "delete" })[];
  /** Plain-language explanation for a newcomer */
  explanation: string;
}

/** An op no reader of the store will see (see lost-writes.ts): appended to a retired WAL, or dropped by a compaction that had not seen it. */
export interface LostWrite {
  file: string;
  line: number;
  offset: number;
  ts: string;
  agent: string | null;
  clock: number | null;
  op: "set" | "delete";
  id: string;
  data: Doc | null;
  /** Its timeline position, when it was replayed before the compaction that dropped it */
  pos: number | null;
  reason: "retired-wal" | "unseen-by-compaction";
  /** The current state holds its effect anyway (a later write of the same value) */
  heldAnyway: boolean;
  explanation: string;
}

export interface RefreshResult {
  /** New ops picked up by tailing */
  newOps: number;
  /** The manifest changed (compaction, new agent) or bytes already read changed (undo): the index was rebuilt */
  rebuilt: boolean;
  /** Something else a summary shows changed: a lock taken, released or left by a writer that died, or bad lines appended (present only when true) */
  summaryChanged?: boolean;
}

/** An op as it stands in one WAL file; pos is null when it is not in the timeline (a lost write). */
export type LaneOp = Omit<TimelineOp, "pos" | "epoch" | "lost"> & { pos: number | null; epoch: number | null; lost: boolean };

export interface Column {
  /** Top-level field name */
  field: string;
  /** How many of the sampled records have it */
  count: number;
  /** The JSON types seen: "string", "number", "boolean", "object", "array", "null" */
  types: string[];
}

/**
 * The inspector: a strictly read-only view of one store directory. It never
 * takes a lock and never writes a byte. Built by `openInspector(dir)`.
 */
export interface InspectorApi {
  readonly dir: string;
  summary(): Promise<StoreSummary>;
  timelineInfo(): Promise<TimelineInfo>;
  /** The merged timeline in replay order, filtered, by page */
  ops(req: OpsRequest): Promise<Page<TimelineOp>>;
  op(pos: number): Promise<TimelineOp | null>;
  lanes(): Promise<AgentLane[]>;
  laneOps(path: string, page: PageRequest): Promise<Page<LaneOp>>;
  /** Records at a position (default now), filtered, sorted, by page */
  records(req: RecordsRequest): Promise<Page<RecordRow>>;
  /** One record at a position (default now); null if absent there */
  record(id: string, at?: number): Promise<Doc | null>;
  columns(at?: number): Promise<Column[]>;
  /** What changed between the states after a and after b ops; with a filter, only the records it keeps (see compare.ts) */
  diff(a: number, b: number, page: DiffRequest): Promise<DiffPage>;
  /** Every op on one id across the chain, oldest first, with the archives that moved it */
  recordHistory(id: string): Promise<HistoryEntry[]>;
  /** Archives and compactions in timeline order; with filters, each placed among the ops they keep */
  timelineEvents(req?: EventsRequest): Promise<TimelineEvent[]>;
  conflicts(req: ConflictsRequest): Promise<Page<Conflict>>;
  lostWrites(page: PageRequest): Promise<Page<LostWrite>>;
  archiveSegments(): Promise<ArchiveSegmentInfo[]>;
  archivePage(path: string, req: PageRequest & { filter?: Query; idContains?: string }): Promise<Page<RecordRow>>;
  /** The last position whose op's ts is <= ts (0 if none) */
  posAtTime(ts: string): Promise<number>;
  /** Ops per agent per time bucket and the record count at each bucket's end, for the charts */
  buckets(req: BucketsRequest): Promise<TimeBuckets>;
  /** Tail the WALs; rebuild if the manifest changed */
  refresh(): Promise<RefreshResult>;
  close(): Promise<void>;
}

/** Which stretch of time to count, in how many buckets (see buckets.ts). */
export interface BucketsRequest {
  buckets: number;
  /** ISO timestamps, inclusive; default: the first and the last op's time */
  from?: string;
  to?: string;
}

/** One stretch of time [start, end): the timeline ops dated in it, by agent, and the state at its end. */
export interface TimeBucket {
  start: string;
  end: string;
  startMs: number;
  endMs: number;
  ops: number;
  /** Ops per agent, in the order of TimeBuckets.agents */
  byAgent: number[];
  /** The first and last timeline position (TimelineOp.pos) of its ops; null when it has none */
  firstPos: number | null;
  lastPos: number | null;
  /** The state at its end: after every op dated before `end` (as "jump to a time" counts) */
  position: number;
  /** Records in that state */
  records: number;
}

export interface TimeBuckets {
  /** The range counted; null when the timeline has no dated op */
  from: string | null;
  to: string | null;
  bucketMs: number;
  /** The agents with ops in the timeline (null: a single-writer WAL's ops) */
  agents: (string | null)[];
  buckets: TimeBucket[];
  /** Ops whose ts is not a date: in no bucket */
  undated: number;
}
