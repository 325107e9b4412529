// The results of the calls that guard the explorer's writes beside other
// agents: what an agent-mode compaction does to them, the explorer's own
// writes found lost, and re-applying lost writes. Joined into CallResults in
// contract.ts; types only, like it: the renderer imports them freely.
import type { Doc, LostWrite, Page } from "../engine/src/inspect/index.js";

/** One op on the same record after the op being reverted (or the lost write being re-applied). */
export interface LaterOp {
  pos: number;
  ts: string;
  agent: string | null;
  op: "set" | "delete" | "archive";
  file: string;
  line: number;
  /** Top-level fields it changed */
  fields: string[];
}

/** Another agent whose WAL the manifest names: if it is still running, an agent-mode compaction loses its next writes until it refreshes. */
export interface AgentActivity {
  agent: string;
  /** Its WAL, as the manifest names it */
  wal: string;
  ops: number;
  /** Its last op's time (the op's ts); null when its WAL is empty */
  lastOpAt: string | null;
  /** When its WAL file last changed on disk; null on S3 (the local mirror's time says nothing of the agent) */
  walModifiedAt: string | null;
  /** Its last op or its WAL's change is within the last RECENT_MINUTES minutes */
  recent: boolean;
}

/** What a compaction would do, asked before it runs. */
export interface CompactPreview {
  /** Other agents whose WALs the manifest names now (agent mode; empty in writer mode), most recently active first */
  otherAgents: AgentActivity[];
  /** What compacting does, in plain words; in agent mode, what it does to the agents listed */
  message: string;
  /** Agent mode: the compact (and archive) call must carry `confirmAgents` naming every agent listed, or it is refused */
  confirmationNeeded: boolean;
  /** How recent "recent" is, in minutes */
  recentMinutes: number;
}

/** The explorer's own acknowledged writes that no reader of the store will see (agent mode). */
export interface LostOwnWrites {
  /** One paragraph: which writes, why they are lost, what to do */
  message: string;
  /** The writes newly found lost (the first 50) */
  writes: LostWrite[];
  total: number;
  /** The WAL the explorer appends to, when manifest.json no longer names it; else null */
  walUnnamed: string | null;
}

/** A lost write, and whether this session re-applied it. */
export interface LostWriteRow extends LostWrite {
  /** The op that re-applied it in this session (op #pos+1); pos null once that op is no longer in the timeline (undone) */
  reappliedAs: { pos: number | null; file: string; line: number } | null;
}

/** A lost write, by where it is on disk. */
export interface LostWriteRef {
  file: string;
  line: number;
}

/** One record that re-applying the chosen lost writes changes (or would leave as it is). */
export interface ReapplyRecord {
  id: string;
  /** The chosen lost writes on this record, oldest first: the last one decides the value after */
  writes: LostWrite[];
  /** The record now (null: absent) */
  now: Doc | null;
  /** The record after re-applying (null: absent) */
  after: Doc | null;
  /** Nothing to write: the record already holds that value */
  unchanged: boolean;
  /** Ops on this record after the lost write that decides it, which re-applying overrides: the first 50, oldest first */
  laterOps: LaterOp[];
  laterOpsTotal: number;
  explanation: string;
  /** What the user saw, to send back with the write: it refuses if the record moved on since */
  seen: ReapplySeen;
}

export interface ReapplySeen {
  id: string;
  laterOps: number;
  /** A digest of the record's value now */
  now: string;
}

export interface ReapplyPreview {
  records: ReapplyRecord[];
}

export interface WriteCallResults {
  "actions.compactPreview": CompactPreview;
  "actions.reapplyPreview": ReapplyPreview;
  "lostWrites.page": Page<LostWriteRow>;
}
