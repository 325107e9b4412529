// The charts' counts: ops per agent per time bucket or per range of positions, and the records at each bucket's end (buckets.ts).
// Part of the inspector's answer types, re-exported by ../types.ts.

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
  /** Records in that state (null: unknown, it depends on a missing snapshot) */
  records: number | null;
}

export interface TimeBuckets {
  /** The range counted; null when the timeline has no dated op */
  from: string | null;
  to: string | null;
  bucketMs: number;
  /** The agents with ops in the timeline, in name order (null, a single-writer WAL's ops, first) */
  agents: (string | null)[];
  buckets: TimeBucket[];
  /** Ops whose ts is not a date: in no bucket */
  undated: number;
}

/** How many equal ranges of timeline positions to count (see buckets.ts): the whole timeline. */
export interface PositionBucketsRequest {
  buckets: number;
}

/** One range of timeline positions: its ops (TimelineOp.pos firstPos to lastPos), by agent, their times, and the state at its end. */
export interface PositionBucket {
  /** Its first and last op's timeline position (TimelineOp.pos); on the scrubber it spans positions firstPos to lastPos + 1 */
  firstPos: number;
  lastPos: number;
  /** Its first and last op's time (the op at firstPos and at lastPos; across agents the last may be earlier); null when that op's ts is not a date */
  firstTime: string | null;
  lastTime: string | null;
  firstMs: number | null;
  lastMs: number | null;
  ops: number;
  /** Ops per agent, in the order of PositionBuckets.agents */
  byAgent: number[];
  /** The state at its end: after its last op (lastPos + 1) */
  position: number;
  /** Records in that state (null: unknown, it depends on a missing snapshot) */
  records: number | null;
}

export interface PositionBuckets {
  /** The timeline's ops: the axis runs from position 0 to this */
  total: number;
  /** Ops per bucket (the last one may hold fewer) */
  bucketOps: number;
  /** The agents with ops in the timeline, in name order (null, a single-writer WAL's ops, first) */
  agents: (string | null)[];
  buckets: PositionBucket[];
  /** Ops whose ts is not a date: counted in their bucket, their time null where it is shown */
  undated: number;
}
