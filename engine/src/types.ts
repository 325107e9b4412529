// The public types of opslog 0.3.0, unchanged, so that programs written
// against @backloghq/opslog 0.3.0 type-check against this engine.

export interface Operation<T = Record<string, unknown>> {
  /** ISO 8601 timestamp */
  ts: string;
  op: "set" | "delete";
  id: string;
  /** New value (present for set operations) */
  data?: T;
  /** Previous value: null for creates, the full record (or a reverse delta, see encoding) for updates/deletes */
  prev: T | null;
  /** Omitted or "full" = prev is the full record; "delta" (opslog 0.4+) = prev is a reverse patch */
  encoding?: "full" | "delta";
  /** Agent ID (multi-writer mode) */
  agent?: string;
  /** Lamport clock value (multi-writer mode) */
  clock?: number;
}

export interface Snapshot<T = Record<string, unknown>> {
  version: number;
  timestamp: string;
  records: Record<string, T>;
}

export interface Manifest {
  version: number;
  currentSnapshot: string;
  activeOps: string;
  /** Per-agent ops file paths (multi-writer mode). Keys are agent IDs. */
  activeAgentOps?: Record<string, string>;
  archiveSegments: string[];
  stats: ManifestStats;
}

export interface ManifestStats {
  activeRecords: number;
  archivedRecords: number;
  opsCount: number;
  created: string;
  lastCheckpoint: string;
}

export interface ArchiveSegment<T = Record<string, unknown>> {
  version: number;
  period: string;
  timestamp: string;
  records: Record<string, T>;
}

export interface StoreOptions {
  /** Auto-checkpoint after this many operations (default: 100) */
  checkpointThreshold?: number;
  /** Checkpoint on close (default: true) */
  checkpointOnClose?: boolean;
  /** Schema version for migration (default: 1) */
  version?: number;
  /** Migration function: called if stored version < current version */
  migrate?: (record: unknown, fromVersion: number) => unknown;
  /** Open in read-only mode: skips directory lock, rejects all mutations. */
  readOnly?: boolean;
  /** Storage backend implementation (default: FsBackend). */
  backend?: StorageBackend;
  /** Agent ID for multi-writer mode. Enables per-agent WAL streams and LWW conflict resolution. */
  agentId?: string;
}

export interface StoreStats {
  activeRecords: number;
  opsCount: number;
  archiveSegments: number;
}

/** Opaque lock handle returned by StorageBackend locking methods. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LockHandle {}

/** Pluggable storage backend (opslog 0.3.0). Store itself never touches node:fs. */
export interface StorageBackend {
  initialize(dir: string, opts: { readOnly: boolean }): Promise<void>;
  shutdown(): Promise<void>;
  readManifest(): Promise<Manifest | null>;
  writeManifest(manifest: Manifest): Promise<void>;
  writeSnapshot(records: Map<string, unknown>, version: number): Promise<string>;
  loadSnapshot(relativePath: string): Promise<{ records: Map<string, unknown>; version: number }>;
  appendOps(relativePath: string, ops: Operation[]): Promise<void>;
  readOps(relativePath: string): Promise<Operation[]>;
  truncateLastOp(relativePath: string): Promise<boolean>;
  createOpsFile(): Promise<string>;
  writeArchiveSegment(period: string, records: Map<string, unknown>): Promise<string>;
  loadArchiveSegment(relativePath: string): Promise<Map<string, unknown>>;
  listArchiveSegments(): Promise<string[]>;
  acquireLock(): Promise<LockHandle>;
  releaseLock(handle: LockHandle): Promise<void>;
  createAgentOpsFile(agentId: string): Promise<string>;
  listOpsFiles(): Promise<string[]>;
  acquireCompactionLock(): Promise<LockHandle>;
  releaseCompactionLock(handle: LockHandle): Promise<void>;
  getManifestVersion(): Promise<string | null>;
}
