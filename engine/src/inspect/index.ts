/**
 * The inspector's one public entry: open a store's inspector (in this thread,
 * or in a thread of its own), the types of its answers, and the few engine
 * pieces the main process uses beside it (filters, JSON equality, reverts).
 * The main process imports the inspector from here, never from its parts.
 */
export { openInspector } from "./inspector.js";
export type { InspectOptions } from "./inspector.js";
export { DEFAULT_DEADLINE_MS, openInspectorThread } from "./thread.js";
export type { ThreadOptions } from "./thread.js";
export { EngineWorkerFailed } from "./workers.js";
export { queryNames } from "./queries.js";
export type { QueryName } from "./queries.js";
export type { InspectorApi, InspectorQueries, QueryArg, QueryOptions, QueryResult } from "./api.js";
export { compileFilter } from "./filter.js";
export { jsonEqual } from "./json.js";
export { changedFields, fieldsChangedLater, undoOwnChange } from "./revert.js";
export type { LaterChange } from "./revert.js";
export type * from "./types.js";
export { exportFileName, exportPages, exportText } from "./export.js";
export type { ExportFormat, ExportOptions, ExportSource } from "./export.js";
export { csvCell, csvValue, recordHeaders } from "./csv.js";
export { exportStore } from "./export-store.js";
export { blobRefs, listBlobs, readBlobChunk } from "./blobs.js";
export type { BlobChunk, BlobInfo, BlobKind } from "./blobs.js";
export { previewSnapshot } from "./preview.js";
export type { SnapshotPreview } from "./preview.js";
export type { BuildPhase, BuildProgress } from "./progress.js";
export { readManifestTolerantly } from "./scan.js";
export { CHECK_FORMAT, CHECK_SHOWN, checkStore } from "./check.js";
export type { Checkable, CheckOptions } from "./check.js";
export { clearIndexCache, indexCacheFromEnv } from "./index-cache-files.js";
export type { IndexCacheOptions } from "./index-cache-files.js";
export type { IndexCacheEvent } from "./index-cache.js";
