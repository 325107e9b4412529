/**
 * How a failure crosses the boundary: an engine error keeps its code, file
 * and line; a file system error says which file; anything else is
 * "internal", its text kept as the detail. Both transports and the calls
 * that answer a part's failure beside the rest (replay-step.ts) use it.
 */
import { OpslogError } from "../engine/src/errors.js";
import type { OpslogErrorCode } from "../engine/src/errors.js";
import type { ContractError, ContractErrorCode } from "./contract.js";
import { StoreLoading } from "./loading-store.js";
import { EndpointNotAllowed } from "./s3-endpoints.js";

/** The engine's codes cross as they are, but "not-open", which the UI calls "no-store" (checked by the compiler, no cast). */
function contractCode(code: OpslogErrorCode): ContractErrorCode {
  return code === "not-open" ? "no-store" : code;
}

export function toContractError(err: unknown): ContractError {
  if (err instanceof StoreLoading) return { code: "loading", message: err.message };
  if (err instanceof EndpointNotAllowed) return { code: "unauthorized", message: err.message };
  if (err instanceof OpslogError) {
    const code = contractCode(err.code);
    return { code, message: err.message, ...(err.file ? { detail: err.line ? `${err.file}:${err.line}` : err.file } : {}) };
  }
  const e = err as NodeJS.ErrnoException;
  if (e?.code === "ENOENT" || e?.code === "EACCES" || e?.code === "EPERM") {
    return { code: "io", message: `${e.code === "ENOENT" ? "Not found" : "Permission denied"}: ${e.path ?? "a file"}.`, detail: e.message };
  }
  if (e?.code === "ENOSPC" || e?.code === "EDQUOT") {
    // Not "nothing changed": a write other than a WAL append (a snapshot, an export) may have left a part behind.
    return { code: "disk-full", message: `The disk is full (${e.code}): ${e.path ?? "a file"} could not be written. Free some space on that disk, then try again.`, detail: e.message };
  }
  return { code: "internal", message: "Something went wrong inside the explorer. The store was not changed by this error.", detail: e?.message ?? String(err) };
}
