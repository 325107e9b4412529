// One error type for everything the engine tells a user: a code the UI can
// branch on, a message it can show as it is, and where the problem is.

export type OpslogErrorCode =
  | "not-a-store"
  | "half-written"
  | "missing-file"
  | "bad-manifest"
  | "bad-snapshot"
  | "bad-archive"
  | "locked"
  | "compaction-locked"
  | "read-only"
  | "not-open"
  | "not-found"
  | "bad-filter"
  | "bad-argument"
  | "confirm-required"
  | "nothing-to-undo"
  | "changed-on-disk"
  | "timeout"
  | "cancelled"
  | "disk-full"
  | "io";

export class OpslogError extends Error {
  readonly code: OpslogErrorCode;
  readonly file?: string;
  readonly line?: number;
  /** The process holding a lock ("locked"), as data: never parsed back out of the message */
  readonly pid?: number;

  constructor(code: OpslogErrorCode, message: string, where: { file?: string; line?: number; pid?: number; cause?: unknown } = {}) {
    super(message, where.cause === undefined ? undefined : { cause: where.cause });
    this.name = "OpslogError";
    this.code = code;
    this.file = where.file;
    this.line = where.line;
    this.pid = where.pid;
  }
}
