/**
 * Runtime validators for everything read from disk (opslog 0.3.0's API and
 * messages). Each returns its input typed, or throws an Error saying what is wrong.
 */
import type { ArchiveSegment, Manifest, Operation, Snapshot } from "./types.js";

type Obj = Record<string, unknown>;

function isObject(raw: unknown): raw is Obj {
  return typeof raw === "object" && raw !== null && !Array.isArray(raw);
}

function isNonNegativeInt(value: unknown): boolean {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

function requireObject(raw: unknown, what: string): Obj {
  if (!isObject(raw)) throw new Error(`Invalid ${what}: not an object`);
  return raw;
}

function requireVersion(obj: Obj, what: string): void {
  if (!isNonNegativeInt(obj.version) || (obj.version as number) < 1) {
    throw new Error(`Invalid ${what}: version must be a positive finite integer`);
  }
}

export function validateOp(raw: unknown): Operation {
  const obj = requireObject(raw, "operation");
  if (!isNonEmptyString(obj.ts)) throw new Error("Invalid operation: ts must be a non-empty string");
  if (obj.op !== "set" && obj.op !== "delete") {
    throw new Error(`Invalid operation: op must be "set" or "delete", got "${String(obj.op)}"`);
  }
  if (!isNonEmptyString(obj.id)) throw new Error("Invalid operation: id must be a non-empty string");
  if (!("prev" in obj)) throw new Error("Invalid operation: missing prev");
  if (obj.prev !== null && !isObject(obj.prev)) throw new Error("Invalid operation: prev must be an object or null");
  if (obj.op === "set" && (!("data" in obj) || obj.data === null)) {
    throw new Error("Invalid operation: set op must have non-null data");
  }
  if (obj.op === "delete" && obj.prev === null) throw new Error("Invalid operation: delete op must have non-null prev");
  if (obj.op === "delete" && "data" in obj) throw new Error("Invalid operation: delete op must not have data field");
  if ("encoding" in obj && obj.encoding !== "full" && obj.encoding !== "delta") {
    throw new Error(`Invalid operation: encoding must be "full" or "delta", got "${String(obj.encoding)}"`);
  }
  if ("agent" in obj && !isNonEmptyString(obj.agent)) throw new Error("Invalid operation: agent must be a non-empty string");
  if ("clock" in obj && !isNonNegativeInt(obj.clock)) {
    throw new Error("Invalid operation: clock must be a non-negative integer");
  }
  return raw as Operation;
}

export function validateManifest(raw: unknown): Manifest {
  const obj = requireObject(raw, "manifest");
  requireVersion(obj, "manifest");
  if (!isNonEmptyString(obj.currentSnapshot)) throw new Error("Invalid manifest: missing currentSnapshot");
  if (!isNonEmptyString(obj.activeOps)) throw new Error("Invalid manifest: missing activeOps");
  if (!Array.isArray(obj.archiveSegments)) throw new Error("Invalid manifest: archiveSegments must be an array");
  if (!obj.archiveSegments.every(isNonEmptyString)) {
    throw new Error("Invalid manifest: archiveSegments entries must be non-empty strings");
  }
  if (!isObject(obj.stats)) throw new Error("Invalid manifest: missing stats");
  for (const key of ["activeRecords", "archivedRecords", "opsCount"]) {
    if (!isNonNegativeInt(obj.stats[key])) throw new Error(`Invalid manifest: stats.${key} must be a non-negative integer`);
  }
  for (const key of ["created", "lastCheckpoint"]) {
    if (!isNonEmptyString(obj.stats[key])) throw new Error(`Invalid manifest: stats.${key} must be a non-empty string`);
  }
  if (obj.activeAgentOps !== undefined) {
    if (!isObject(obj.activeAgentOps)) throw new Error("Invalid manifest: activeAgentOps must be an object");
    if (!Object.values(obj.activeAgentOps).every(isNonEmptyString)) {
      throw new Error("Invalid manifest: activeAgentOps values must be non-empty strings");
    }
  }
  return raw as Manifest;
}

export function validateSnapshot(raw: unknown): Snapshot {
  const obj = requireObject(raw, "snapshot");
  requireVersion(obj, "snapshot");
  if (!isNonEmptyString(obj.timestamp)) throw new Error("Invalid snapshot: timestamp must be a non-empty string");
  if (!isObject(obj.records)) throw new Error("Invalid snapshot: records must be an object");
  return raw as Snapshot;
}

export function validateArchiveSegment(raw: unknown): ArchiveSegment {
  const obj = requireObject(raw, "archive segment");
  requireVersion(obj, "archive segment");
  if (!isNonEmptyString(obj.period)) throw new Error("Invalid archive segment: period must be a non-empty string");
  if (!isNonEmptyString(obj.timestamp)) throw new Error("Invalid archive segment: timestamp must be a non-empty string");
  if (!isObject(obj.records)) throw new Error("Invalid archive segment: records must be an object");
  return raw as ArchiveSegment;
}
