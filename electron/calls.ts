// The contract's calls, each declared once: its argument's zod parser
// (checked at the boundary by both transports, Electron IPC and HTTP), the
// inspector query it forwards to (a forwarded call bears the query's own
// name; dispatch.ts forwards it, and its result type is the query's), and
// whether it writes (refused under --read-only). A call without a query is the main process's own,
// implemented in own-calls.ts; the feature slices (export, blobs) declare
// theirs in their own files, spread in here. Loaded by the server side only:
// the renderer imports contract.ts (types) and call-error.ts, never this
// file, so zod stays out of its bundle (a test reads the bundle to check).
import { z } from "zod";
import type { QueryName } from "../engine/src/inspect/index.js";
import { FILTER_LIMITS, RECORD_LIMITS } from "../engine/src/limits.js";
import { boundedJson, isoTime, limit, mongoFilter, offset, opFilters, own, position, write } from "./schema-parts.js";
import { EXPORT_CALLS } from "./export-calls.js";
import { BLOB_CALLS } from "./blob-calls.js";

const recordId = z.string().min(1).max(4096);

/** Agent ids, as store.open takes them */
const agentList = z.array(z.string().min(1).max(200)).max(10_000);
/** Lost writes, by their place on disk */
const lostWriteRefs = z.array(z.strictObject({ file: z.string().min(1).max(4096), line: z.number().int().min(1) })).min(1).max(1000);

const filterBox = z.enum(["records", "operations", "archive", "watch"]);
/** A filter as typed in its box (it may be the shorthand, not JSON): as long as a filter may be */
const filterText = z.string().trim().min(1).max(FILTER_LIMITS.bytes);


/** A call forwarded as it is to an inspector query (dispatch.ts checks that the schema's output is the query's argument). */
const forward = <Q extends QueryName, S extends z.ZodType>(name: Q, schema: S) => ({ query: name, schema, writes: false as const });

export const calls = {
  "store.open": own(z.strictObject({
    dir: z.string().min(1).max(4096),
    mode: z.enum(["read-only", "writer", "agent"]).optional(),
    agentId: z.string().min(1).max(200).regex(/^[A-Za-z0-9._-]+$/, "letters, digits, '.', '_' and '-' only").optional(),
    /** Agent mode on a single-writer store: the user has read why it is dangerous and goes on */
    confirmAgentOnSingleWriter: z.boolean().optional(),
  })),
  "store.summary": own(z.strictObject({})),
  /** The store doctor's report (what `npm run check` prints): read-only, allowed in every mode */
  "store.check": own(z.strictObject({})),
  "store.close": own(z.strictObject({})),
  "store.recent": own(z.strictObject({})),
  /** Remove every index kept in the cache folder (the next open of each store builds it again) */
  "cache.clearIndex": own(z.strictObject({})),
  /** A native folder dialog (Electron); { dir: null } in browser mode */
  "store.pickDirectory": own(z.strictObject({})),
  /** The open screen's path completion: folder names under the typed path's parent, stores marked (names only: allowed read-only) */
  "store.folders": own(z.strictObject({ path: z.string().max(4096) })),
  /** The open the command line asked for and the user has yet to confirm (agent mode on a single-writer store), or null */
  "store.pending": own(z.strictObject({})),
  /** How far the open in flight has come (phase, bytes, ops, time left), or null */
  "store.loading": own(z.strictObject({})),
  /** The first records of the loading store's current snapshot, or null */
  "store.preview": own(z.strictObject({})),
  /** The open store's history still being fetched (S3, current period first), or null */
  "store.history": own(z.strictObject({})),

  "records": forward("records", z.strictObject({
    offset,
    limit,
    at: position.optional(),
    filter: mongoFilter.optional(),
    sort: z.strictObject({ field: z.string().min(1).max(500), dir: z.union([z.literal(1), z.literal(-1)]) }).optional(),
    idContains: z.string().max(4096).optional(),
  })),
  "records.get": own(z.strictObject({ id: recordId, at: position.optional() })),
  "columns": forward("columns", z.strictObject({ at: position.optional() })),
  /** The schema of the records at `at` (default now) that `filter` keeps, from a sample of `sample` records (default 1000; 0: every record) */
  "schema": forward("schema", z.strictObject({ at: position.optional(), filter: mongoFilter.optional(), sample: z.number().int().min(0).max(10_000_000).optional() })),

  "ops": forward("ops", z.strictObject({ offset, limit, ...opFilters })),
  "ops.get": own(z.strictObject({ pos: position })),

  "lanes": forward("lanes", z.strictObject({})),
  "laneOps": forward("laneOps", z.strictObject({ path: z.string().min(1).max(4096), offset, limit })),
  "conflicts": forward("conflicts", z.strictObject({ offset, limit, pos: position.optional() })),
  /** The lost writes, each with the op that re-applied it in this session (the session's own: it keeps that ledger) */
  "lostWrites.page": own(z.strictObject({ offset, limit })),

  "archiveSegments": forward("archiveSegments", z.strictObject({})),
  "archivePage": forward("archivePage", z.strictObject({
    path: z.string().min(1).max(4096),
    offset,
    limit,
    filter: mongoFilter.optional(),
    idContains: z.string().max(4096).optional(),
  })),

  "timelineInfo": forward("timelineInfo", z.strictObject({})),
  /** Compare two positions; idContains and filter keep the records whose id contains it and whose value before or after matches it */
  "diff": forward("diff", z.strictObject({ a: position, b: position, offset, limit, idContains: z.string().max(4096).optional(), filter: mongoFilter.optional() })),
  /** Every Timeline pane at one position in one answer: the op that led there, its diff, the diff to `end`, and the state table's pages (through the watched query), whose failure fails the state alone (replay-step.ts) */
  "timeline.step": own(z.strictObject({
    pos: position,
    end: position,
    opDiffLimit: limit,
    laterDiffLimit: limit,
    statePages: z.array(z.strictObject({ offset, limit })).max(40), // a paged table keeps 40 pages at most (paged.ts)
    filter: mongoFilter.optional(),
  })),
  /** Archives and compactions; with the Operations view's filters, each placed among the ops they keep */
  "timelineEvents": forward("timelineEvents", z.strictObject(opFilters)),
  "timeline.posAtTime": own(z.strictObject({ ts: isoTime })),
  /** The charts: ops per agent per time bucket over [from, to], and the record count at each bucket's end */
  "buckets": forward("buckets", z.strictObject({ buckets: z.number().int().min(1).max(2000), from: isoTime.optional(), to: isoTime.optional() })),
  /** The Timeline's chart: ops per agent in equal ranges of timeline positions (the scrubber's axis), their times, and the record count at each range's end */
  "positionBuckets": forward("positionBuckets", z.strictObject({ buckets: z.number().int().min(1).max(2000) })),

  /** Saved and recent filters of one filter box, for the open store: the explorer's app data, never the store (allowed read-only) */
  "savedFilters.list": own(z.strictObject({ box: filterBox })),
  "savedFilters.remember": own(z.strictObject({ box: filterBox, text: filterText })),
  "savedFilters.save": own(z.strictObject({ box: filterBox, name: z.string().trim().min(1).max(200), text: filterText })),
  "savedFilters.forget": own(z.strictObject({ box: filterBox, name: z.string().min(1).max(200) })),

  "actions.undoPreview": own(z.strictObject({})),
  "actions.undo": write(z.strictObject({})),
  /** What a compaction would do; in agent mode, the other agents whose WALs it retires */
  "actions.compactPreview": own(z.strictObject({})),
  /** confirmAgents: in agent mode, required, naming every other agent the preview listed (their next writes are lost until they refresh) */
  "actions.compact": write(z.strictObject({ confirmAgents: agentList.optional() })),
  "actions.archive": write(z.strictObject({ filter: mongoFilter, segment: z.string().min(1).max(200).regex(/^[A-Za-z0-9._-]+$/).optional(), confirmAgents: agentList.optional() })),
  "actions.set": write(z.strictObject({ id: recordId, value: boundedJson(RECORD_LIMITS, "bad-argument") })),
  "actions.delete": write(z.strictObject({ id: recordId })),
  "actions.revertPreview": own(z.strictObject({ pos: position })),
  /** mode "own-change": undo only this op's field changes on the current value; "full": the record as before the op, overwriting later changes */
  "actions.revert": write(z.strictObject({
    pos: position,
    mode: z.enum(["own-change", "full"]),
    /** What the preview showed (the op's file:line, the later ops' count): the revert refuses if either changed since */
    seen: z.strictObject({ file: z.string().min(1).max(4096), line: z.number().int().min(1), laterOps: z.number().int().min(0) }).optional(),
  })),
  /** What re-applying these lost writes would do, per record: now, after, the later ops it overrides */
  "actions.reapplyPreview": own(z.strictObject({ writes: lostWriteRefs })),
  /** Write the lost writes' values anew; refused if a record moved on since the preview (seen, as the preview gave it) */
  "actions.reapply": write(z.strictObject({
    writes: lostWriteRefs,
    seen: z.array(z.strictObject({ id: recordId, laterOps: z.number().int().min(0), now: z.string().min(1).max(64) })).min(1).max(1000),
  })),
  "actions.refresh": own(z.strictObject({})),
  ...EXPORT_CALLS,
  ...BLOB_CALLS,
} as const;

/** Every call's name, from the one declaration above */
export const callNames = Object.keys(calls) as (keyof typeof calls)[];
