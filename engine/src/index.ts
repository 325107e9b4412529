// The engine's public API: a drop-in for @backloghq/opslog 0.3.0.
export { Store } from "./store.js";
export type { ExplorerStoreOptions } from "./store.js";
export { FsBackend } from "./backend.js";
export { LamportClock } from "./clock.js";
export { acquireLock, releaseLock } from "./lock.js";
export { validateOp, validateManifest, validateSnapshot, validateArchiveSegment } from "./validate.js";
export { appendOp, appendOps, readOps, truncateLastOp } from "./wal.js";
export type { SkippedLine } from "./wal.js";
export { OpslogError } from "./errors.js";
export type { OpslogErrorCode } from "./errors.js";
export type {
  Operation,
  Snapshot,
  Manifest,
  ManifestStats,
  ArchiveSegment,
  StoreOptions,
  StoreStats,
  StorageBackend,
  LockHandle,
} from "./types.js";
