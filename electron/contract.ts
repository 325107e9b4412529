// The one contract between the renderer and the main process (VS Code's
// IChannel is the model): each call takes one argument and returns one
// promise; events are subscriptions. Every argument has a runtime schema,
// checked at the boundary by both transports (Electron IPC and HTTP).
// The renderer imports this file's types and `callNames` only.
import { z } from "zod";
import { FILTER_LIMITS, RECORD_LIMITS, jsonBeyondLimits } from "../engine/src/limits.js";
import type { JsonLimits } from "../engine/src/limits.js";
import type {
  AgentLane,
  ArchiveSegmentInfo,
  Column,
  Conflict,
  DiffPage,
  Doc,
  HistoryEntry,
  LaneOp,
  LostWrite,
  Page,
  RecordRow,
  StoreSummary,
  TimelineEvent,
  TimelineInfo,
  TimelineOp,
} from "../engine/src/inspect/types.js";

export type {
  AgentLane,
  ArchiveSegmentInfo,
  ChainLink,
  Column,
  Conflict,
  DiffPage,
  DiffRow,
  Doc,
  HistoryEntry,
  LaneOp,
  LostWrite,
  Page,
  RecordRow,
  StoreSummary,
  StoreWarning,
  TimelineEvent,
  TimelineInfo,
  TimelineOp,
} from "../engine/src/inspect/types.js";

export type SessionMode = "read-only" | "writer" | "agent";

// ---------------------------------------------------------------- schemas

const offset = z.number().int().min(0);
const limit = z.number().int().min(1).max(1000);
const position = z.number().int().min(0);
/** A JSON object within limits, checked before anything walks it recursively; `code` is the error a breach answers */
const boundedJson = (limits: JsonLimits, code: "bad-filter" | "bad-argument") =>
  z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    const beyond = jsonBeyondLimits(value, limits);
    if (beyond) ctx.addIssue({ code: "custom", message: beyond, params: { code } });
  });
const query = boundedJson(FILTER_LIMITS, "bad-filter");
const recordId = z.string().min(1).max(4096);
const isoTime = z.string().min(1).max(64);

/** The Operations view's filters: ops.page pages the ops they keep, timeline.events places archives and compactions among them. */
const opFilters = {
  agent: z.string().max(200).nullable().optional(),
  id: z.string().max(4096).optional(),
  op: z.enum(["set", "delete"]).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  filter: query.optional(),
};

export const schemas = {
  "store.open": z.strictObject({
    dir: z.string().min(1).max(4096),
    mode: z.enum(["read-only", "writer", "agent"]).optional(),
    agentId: z.string().min(1).max(200).regex(/^[A-Za-z0-9._-]+$/, "letters, digits, '.', '_' and '-' only").optional(),
    /** Agent mode on a single-writer store: the user has read why it is dangerous and goes on */
    confirmAgentOnSingleWriter: z.boolean().optional(),
  }),
  "store.summary": z.strictObject({}),
  "store.close": z.strictObject({}),
  "store.recent": z.strictObject({}),
  /** A native folder dialog (Electron); { dir: null } in browser mode */
  "store.pickDirectory": z.strictObject({}),
  /** The open the command line asked for and the user has yet to confirm (agent mode on a single-writer store), or null */
  "store.pending": z.strictObject({}),

  "records.page": z.strictObject({
    offset,
    limit,
    at: position.optional(),
    filter: query.optional(),
    sort: z.strictObject({ field: z.string().min(1).max(500), dir: z.union([z.literal(1), z.literal(-1)]) }).optional(),
    idContains: z.string().max(4096).optional(),
  }),
  "records.get": z.strictObject({ id: recordId, at: position.optional() }),
  "records.columns": z.strictObject({ at: position.optional() }),

  "ops.page": z.strictObject({ offset, limit, ...opFilters }),
  "ops.get": z.strictObject({ pos: position }),

  "agents.list": z.strictObject({}),
  "agents.ops": z.strictObject({ path: z.string().min(1).max(4096), offset, limit }),
  "conflicts.page": z.strictObject({ offset, limit, pos: position.optional() }),
  "lostWrites.page": z.strictObject({ offset, limit }),

  "archive.list": z.strictObject({}),
  "archive.page": z.strictObject({
    path: z.string().min(1).max(4096),
    offset,
    limit,
    filter: query.optional(),
    idContains: z.string().max(4096).optional(),
  }),

  "timeline.info": z.strictObject({}),
  "timeline.diff": z.strictObject({ a: position, b: position, offset, limit }),
  /** Archives and compactions; with the Operations view's filters, each placed among the ops they keep */
  "timeline.events": z.strictObject(opFilters),
  "timeline.posAtTime": z.strictObject({ ts: isoTime }),

  "actions.undoPreview": z.strictObject({}),
  "actions.undo": z.strictObject({}),
  "actions.compact": z.strictObject({}),
  "actions.archive": z.strictObject({ filter: query, segment: z.string().min(1).max(200).regex(/^[A-Za-z0-9._-]+$/).optional() }),
  "actions.set": z.strictObject({ id: recordId, value: boundedJson(RECORD_LIMITS, "bad-argument") }),
  "actions.delete": z.strictObject({ id: recordId }),
  "actions.revertPreview": z.strictObject({ pos: position }),
  /** mode "own-change": undo only this op's field changes on the current value; "full": the record as before the op, overwriting later changes */
  "actions.revert": z.strictObject({
    pos: position,
    mode: z.enum(["own-change", "full"]),
    /** What the preview showed (the op's file:line, the later ops' count): the revert refuses if either changed since */
    seen: z.strictObject({ file: z.string().min(1).max(4096), line: z.number().int().min(1), laterOps: z.number().int().min(0) }).optional(),
  }),
  "actions.refresh": z.strictObject({}),
} as const;

export type CallName = keyof typeof schemas;
export const callNames = Object.keys(schemas) as CallName[];
export type CallArg<N extends CallName> = z.input<(typeof schemas)[N]>;

// ---------------------------------------------------------------- results

export interface SessionInfo {
  dir: string;
  mode: SessionMode;
  /** The agent id this session writes as (agent mode only) */
  agentId: string | null;
  /** Why the session is in this mode, or why a write mode was not available */
  modeReason: string;
  /** Is this the built-in demo store */
  demo: boolean;
  /** The explorer was started with --read-only: no mode but read-only can be opened, so the UI offers none */
  lockedReadOnly: boolean;
}

export interface OpenResult {
  session: SessionInfo;
  summary: StoreSummary;
}

export interface RecentStore {
  dir: string;
  openedAt: string;
}

export interface RecordDetail {
  id: string;
  /** The record at `at` (default now); null when absent there */
  value: Doc | null;
  history: HistoryEntry[];
}

export interface ActionResult {
  /** One sentence for the user: what happened */
  message: string;
  summary: StoreSummary;
}

export interface UndoPreview {
  /** The op undo would remove; null when there is nothing to undo */
  op: TimelineOp | null;
  /** Why there is nothing to undo, or what undo will do */
  message: string;
}

/** One op on the same record after the op being reverted. */
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

/** What each way of reverting an op would do, before anything is written. */
export interface RevertPreview {
  op: TimelineOp;
  /** The record now (null: absent) */
  now: Doc | null;
  /** After the full revert: the record as it was before the op (null: absent) */
  afterFull: Doc | null;
  /** After undoing only this op's change (null: absent) */
  afterOwnChange: Doc | null;
  ownChange: { applicable: boolean; restored: string[]; explanation: string };
  fullExplanation: string;
  /** Fields this op changed that later ops changed again */
  fieldsChangedLater: string[];
  /** Later ops on this record, which a full revert overwrites: the first 50, oldest first */
  laterOps: LaterOp[];
  laterOpsTotal: number;
}

/** An open asked for on the command line that waits for the user's confirmation in the UI. */
export interface PendingOpen {
  dir: string;
  mode: SessionMode;
  agentId: string | null;
  /** Why it needs confirming */
  reason: string;
}

export interface CallResults {
  "store.open": OpenResult;
  "store.summary": OpenResult;
  "store.close": { closed: true };
  "store.recent": RecentStore[];
  "store.pickDirectory": { dir: string | null };
  "store.pending": PendingOpen | null;
  "records.page": Page<RecordRow>;
  "records.get": RecordDetail;
  "records.columns": Column[];
  "ops.page": Page<TimelineOp>;
  "ops.get": TimelineOp;
  "agents.list": AgentLane[];
  "agents.ops": Page<LaneOp>;
  "conflicts.page": Page<Conflict>;
  "lostWrites.page": Page<LostWrite>;
  "archive.list": ArchiveSegmentInfo[];
  "archive.page": Page<RecordRow>;
  "timeline.info": TimelineInfo;
  "timeline.diff": DiffPage;
  "timeline.events": TimelineEvent[];
  "timeline.posAtTime": { pos: number };
  "actions.undoPreview": UndoPreview;
  "actions.undo": ActionResult;
  "actions.compact": ActionResult;
  "actions.archive": ActionResult;
  "actions.set": ActionResult;
  "actions.delete": ActionResult;
  "actions.revertPreview": RevertPreview;
  "actions.revert": ActionResult;
  "actions.refresh": ActionResult;
}

export type CallResult<N extends CallName> = CallResults[N];

// ---------------------------------------------------------------- events

export interface StoreChangedEvent {
  /** "ops": new ops were tailed; "rebuilt": the manifest changed (compaction) or an undo rewrote a WAL; "summary": something else the summary shows changed (a lock taken or left, bad lines appended); "action": this session wrote; "closed" */
  what: "ops" | "rebuilt" | "summary" | "action" | "closed";
  newOps: number;
  summary: StoreSummary | null;
}

export interface Events {
  "store.changed": StoreChangedEvent;
}
export type EventName = keyof Events;

// ---------------------------------------------------------------- errors

export type ContractErrorCode =
  | "bad-argument"
  | "unknown-call"
  | "no-store"
  | "not-a-store"
  | "half-written"
  | "missing-file"
  | "bad-manifest"
  | "bad-snapshot"
  | "bad-archive"
  | "locked"
  | "compaction-locked"
  | "read-only"
  | "not-found"
  | "bad-filter"
  | "confirm-required"
  | "nothing-to-undo"
  | "unauthorized"
  | "changed-on-disk"
  | "timeout"
  | "io"
  | "internal";

/** How an error crosses the boundary: shown to the user as it is. */
export interface ContractError {
  code: ContractErrorCode;
  message: string;
  detail?: string;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ContractError };

/** What the renderer talks to, in Electron (preload) and in browser mode (fetch + SSE) alike. */
export interface ContractClient {
  call<N extends CallName>(name: N, arg: CallArg<N>): Promise<CallResult<N>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

/** A failed call as the client raises it: the ContractError, as an Error. */
export class CallError extends Error implements ContractError {
  readonly code: ContractErrorCode;
  readonly detail?: string;
  constructor(error: ContractError) {
    super(error.message);
    this.name = "CallError";
    this.code = error.code;
    this.detail = error.detail;
  }
}
