// The merged timeline: its ops, the archives and compactions among them, and the difference between two positions.
// Part of the inspector's answer types, re-exported by ../types.ts.
import type { OpslogErrorCode } from "../../errors.js";
import type { Doc, PageRequest, Page, Filter } from "./common.js";
import type { RecordRow } from "./records.js";

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

export interface OpsRequest extends PageRequest {
  agent?: string | null;
  id?: string;
  op?: "set" | "delete";
  /** ISO timestamps, inclusive */
  from?: string;
  to?: string;
  /** A query over TimelineOp fields, e.g. {"data.status": "done"} */
  filter?: Filter;
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

export interface DiffRow {
  id: string;
  /** "archived": the record left the state because an archive moved it to `segment` (not a delete) */
  kind: "added" | "removed" | "changed" | "archived";
  before: Doc | null;
  after: Doc | null;
  /** The archive segment it went to (kind "archived" only), e.g. "archive/archive-2026-Q1.json" */
  segment?: string;
}

export interface DiffPage extends Page<DiffRow> {
  counts: { added: number; removed: number; changed: number; archived: number };
}

/** An op as it stands in one WAL file; pos is null when it is not in the timeline (a lost write). */
export type LaneOp = Omit<TimelineOp, "pos" | "epoch" | "lost"> & { pos: number | null; epoch: number | null; lost: boolean };

/** One op of the timeline, by position. */
export interface OpRequest {
  pos: number;
}

/** What changed between the states after `a` and after `b` ops, by page. */
/** A page of the diff between the states after a and after b ops; `idContains` and `filter` keep the records whose id contains it, and whose value before or after matches it (compare.ts). */
export interface DiffRequest extends PageRequest {
  a: number;
  b: number;
  idContains?: string;
  filter?: Filter;
}

/** The position an instant falls at. */
export interface PosAtTimeRequest {
  ts: string;
}

/** The ops of one WAL file, in file order, by page. */
export interface LaneOpsRequest extends PageRequest {
  path: string;
}

/**
 * Everything the Timeline's panes show at one position, asked in one call: the
 * op that led there (pos - 1), the diff it made (pos - 1 to pos), the diff from
 * there to `end` (the timeline's end as the UI knows it), and pages of the state
 * at `pos` through the watched query, if any.
 */
export interface ReplayStepRequest {
  pos: number;
  end: number;
  /** Rows of the "changed by this op" diff (from its first) */
  opDiffLimit: number;
  /** Rows of the "from here to now" diff (from its first) */
  laterDiffLimit: number;
  /** The state table's pages to send (those it shows) */
  statePages: PageRequest[];
  /** The watched query: the state's pages hold only the records that match it */
  filter?: Filter;
}

/** Why the state's pages are missing from a step: the error its records query threw, as plain data (it crosses the thread). */
export interface StepStateError {
  code: OpslogErrorCode | "internal";
  message: string;
  file?: string;
  line?: number;
}

/** The answer to a ReplayStepRequest: each part is what its own query (op, diff, records) answers. */
export interface ReplayStep {
  pos: number;
  /** The op at pos - 1; null at position 0 */
  op: TimelineOp | null;
  /** diff(pos - 1, pos); null at position 0 */
  opDiff: DiffPage | null;
  /** diff(pos, end) */
  laterDiff: DiffPage;
  /** records(at pos, filter), one per asked page, in the order asked; none when the state failed */
  state: Page<RecordRow>[];
  /** The state's query failed at this position (the op and the diffs did not): why */
  stateError: StepStateError | null;
}
