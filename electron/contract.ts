// The one contract between the renderer and the main process (VS Code's
// IChannel is the model): each call takes one argument and returns one
// promise; events are subscriptions. Types only: every call is declared once
// in calls.ts (server side: its argument's parser, the inspector query it
// forwards to, whether it writes), the error class the client raises is in
// call-error.ts, so the renderer's bundle carries neither zod nor calls.ts.
import type { z } from "zod";
import type { OpslogErrorCode } from "../engine/src/errors.js";
import type { calls } from "./calls.js";
import type { Doc, HistoryEntry, QueryResult, ReplayStep, SnapshotPreview, StoreCheck, StoreSummary, TimelineOp } from "../engine/src/inspect/index.js";
import type { ExportCallResults } from "./export-calls.js";
import type { BlobCallResults } from "./blob-calls.js";
import type { LaterOp, LostOwnWrites, WriteCallResults } from "./contract-writes.js";

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
  SchemaField,
  SchemaType,
  StoreSchema,
  StoreCheck,
  StoreSummary,
  StoreWarning,
  TimelineEvent,
  TimelineInfo,
  TimelineOp,
  TimeBucket,
  TimeBuckets,
  PositionBucket,
  PositionBuckets,
} from "../engine/src/inspect/index.js";

export type { Download, ExportFormat, ExportSaved, ExportSource, StoreExported } from "./export-calls.js";
export type { BlobChunk, BlobInfo, BlobKind } from "./blob-calls.js";
export type * from "./contract-writes.js";

export type SessionMode = "read-only" | "writer" | "agent";

// ---------------------------------------------------------------- calls

/** A call's name and its argument, as its declaration (calls.ts) gives them */
export type CallName = keyof typeof calls;
export type CallArg<N extends CallName> = z.input<(typeof calls)[N]["schema"]>;

/** The calls forwarded to an inspector query, and which query each one is */
export type ForwardedCall = { [N in CallName]: (typeof calls)[N] extends { query: string } ? N : never }[CallName];
export type ForwardedQuery<N extends ForwardedCall> = (typeof calls)[N]["query"];
/** The calls the main process answers itself (own-calls.ts) */
export type OwnCall = Exclude<CallName, ForwardedCall>;
/** The calls answered with a file to download (browser mode's GET /api/download/<call>), never over IPC */
export type DownloadCall = { [N in CallName]: (typeof calls)[N] extends { download: true } ? N : never }[CallName];

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

/** store.folders: the sub-folders of the typed path's parent whose names start with its last part (electron/folders.ts). */
export interface FolderList {
  /** The folder listed (absolute, "~" expanded) */
  parent: string;
  /** The part typed after the parent's last separator: the names listed start with it (case aside) */
  partial: string;
  /** By name; isStore: it holds a manifest.json */
  folders: { name: string; path: string; isStore: boolean }[];
  /** More folders matched than the list holds */
  truncated: boolean;
  /** The parent itself holds a manifest.json */
  parentIsStore: boolean;
  /** Why the parent could not be listed (missing, a file, unreadable), in a sentence; null when it was */
  problem: string | null;
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
  /** Agent mode: the explorer's own writes found lost by this action (its message says so too): never a silent success */
  lost?: LostOwnWrites;
}

export interface UndoPreview {
  /** The op undo would remove; null when there is nothing to undo */
  op: TimelineOp | null;
  /** Why there is nothing to undo, or what undo will do */
  message: string;
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

/** Where a store's load is: listing and fetching (S3 only), then reading its snapshot, reading its WALs, and finishing the index. */
export type LoadPhase = "listing" | "fetching" | "snapshot" | "wals" | "finishing";

/** A store loading: what it is doing, and how far it has come. */
export interface LoadProgress {
  /** The store: its folder, or its s3:// address */
  url: string;
  phase: LoadPhase;
  /** S3: objects fetched of those to fetch (a cached store fetches only what is new); 0 of 0 for a folder */
  objects: number;
  totalObjects: number;
  /** Bytes fetched of those to fetch (listing, fetching), or read of those to read (snapshot, WALs, finishing) */
  bytes: number;
  totalBytes: number;
  /** WAL ops indexed so far */
  ops: number;
  /** Since the load began */
  elapsedMs: number;
  /** Time left in this load's current stage (fetching, or indexing), at the pace so far; null until there is a pace */
  etaMs: number | null;
}

/** An S3 store opened on its current period, while the history behind it (retired WALs, older snapshots, blobs) is fetched. */
export interface HistoryProgress {
  /** The bucket has been listed, so the objects to fetch are known (until then, 0 of 0) */
  listed: boolean;
  /** Objects of the history fetched, of those to fetch */
  objects: number;
  totalObjects: number;
  bytes: number;
  totalBytes: number;
  /** Since the history's fetch began */
  elapsedMs: number;
  /** Why the last attempt failed, in a sentence (the next poll tries again); null while it goes on */
  failed: string | null;
}

export type { SnapshotPreview };

/** The filter boxes that keep a history: Records (and its Schema tab), Operations' op query, Archive, the Timeline's watched query */
export type FilterBox = "records" | "operations" | "archive" | "watch";

export interface SavedFilter {
  name: string;
  text: string;
  savedAt: string;
}

/** One filter box's filters for the open store: the last 20 applied (newest first) and the saved ones (newest first). */
export interface FilterHistory {
  recent: string[];
  saved: SavedFilter[];
}

/** An open asked for on the command line that waits for the user's confirmation in the UI. */
export interface PendingOpen {
  dir: string;
  mode: SessionMode;
  agentId: string | null;
  /** Why it needs confirming */
  reason: string;
}

/**
 * Every Timeline pane at one position: the op, its diff, the diff to the end
 * and the state table's pages through the watched query; when those fail at
 * this position (too slow there, say), `stateError` says so and `state` is
 * empty, while the rest still shows.
 */
export interface ReplayStepAnswer extends Omit<ReplayStep, "stateError"> {
  stateError: ContractError | null;
}

/** What the main process's own calls answer */
export interface OwnResults extends ExportCallResults, BlobCallResults, WriteCallResults {
  "store.open": OpenResult;
  "store.summary": OpenResult;
  /** The store doctor's report (npm run check's --json document) */
  "store.check": StoreCheck;
  "store.close": { closed: true };
  "store.recent": RecentStore[];
  /** What "Clear index cache" removed, in a sentence */
  "cache.clearIndex": { message: string; files: number; bytes: number };
  "store.pickDirectory": { dir: string | null };
  "store.folders": FolderList;
  /** The store being opened, and how far its load has come; null when no open is in flight */
  "store.loading": LoadProgress | null;
  /** The first records of the current snapshot of the store being opened (WALs not applied); null when no open is in flight */
  "store.preview": SnapshotPreview | null;
  /** The open store's history still being fetched (S3: the current period is shown first); null once the store is whole */
  "store.history": HistoryProgress | null;
  "store.pending": PendingOpen | null;
  "records.get": RecordDetail;
  "ops.get": TimelineOp;
  "timeline.step": ReplayStepAnswer;
  "timeline.posAtTime": { pos: number };
  "savedFilters.list": FilterHistory;
  "savedFilters.remember": FilterHistory;
  "savedFilters.save": FilterHistory;
  "savedFilters.forget": FilterHistory;
  "actions.undoPreview": UndoPreview;
  "actions.undo": ActionResult;
  "actions.compact": ActionResult;
  "actions.archive": ActionResult;
  "actions.set": ActionResult;
  "actions.delete": ActionResult;
  "actions.revertPreview": RevertPreview;
  "actions.revert": ActionResult;
  "actions.reapply": ActionResult;
  "actions.refresh": ActionResult;
}

/** Every call's result: a forwarded call answers what its query does */
export type CallResults = { [N in CallName]: N extends ForwardedCall ? QueryResult<ForwardedQuery<N>> : N extends keyof OwnResults ? OwnResults[N] : never };

export type CallResult<N extends CallName> = CallResults[N];

// ---------------------------------------------------------------- events

export interface StoreChangedEvent {
  /** "ops": new ops were tailed; "rebuilt": the manifest changed (compaction), an undo rewrote a WAL, or the history behind a current-period open (S3) came in; "summary": something else the summary shows changed (a lock taken or left, bad lines appended); "action": this session wrote; "closed"; "opened": the store that was loading is open (its index complete); "open-failed": it could not be opened (store.summary says why) */
  what: "ops" | "rebuilt" | "summary" | "action" | "closed" | "opened" | "open-failed";
  newOps: number;
  summary: StoreSummary | null;
  /** Agent mode: the explorer's own writes that this change shows lost (a compaction beside it, a manifest rewritten under it) */
  lostOwnWrites?: LostOwnWrites;
}

export interface Events {
  "store.changed": StoreChangedEvent;
  /** The desktop app's menu asks the window to show its open screen (File › Open Store…, Ctrl/Cmd-O) */
  "window.showOpen": Record<string, never>;
}
export type EventName = keyof Events;

// ---------------------------------------------------------------- errors

/**
 * Every code an error can carry across the boundary: the engine's own
 * (OpslogErrorCode, one list) with "not-open" said as "no-store", plus the
 * boundary's own.
 */
export type ContractErrorCode = Exclude<OpslogErrorCode, "not-open"> | "no-store" | "loading" | "unknown-call" | "unauthorized" | "internal";

/** How an error crosses the boundary: shown to the user as it is. */
export interface ContractError {
  code: ContractErrorCode;
  message: string;
  detail?: string;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ContractError };

/** How a call is made: a newer call with the same `supersede` key stops this one (the user typed on, the cursor moved), which then fails with code "cancelled". */
export interface CallOptions {
  supersede?: string;
}

/** What the renderer talks to, in Electron (preload) and in browser mode (fetch + SSE) alike. */
export interface ContractClient {
  call<N extends CallName>(name: N, arg: CallArg<N>, options?: CallOptions): Promise<CallResult<N>>;
  /** Whether this transport downloads files (browser mode); the desktop app's main process saves them itself instead */
  readonly downloads: boolean;
  /** Where the browser downloads a download call's file: the call's argument and the token in the URL (only where `downloads`) */
  downloadUrl<N extends DownloadCall>(name: N, arg: CallArg<N>): string;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}
