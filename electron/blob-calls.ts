// The blob slice's calls, declared once: the files a store keeps beside its
// records (a record names one by a string value). Each argument's schema is
// spread into the registry (calls.ts), each result's type joined into
// CallResults (contract.ts). Handlers: blobs.ts; the renderer's side:
// renderer/src/state/blobs.ts. The renderer imports the types only.
import { z } from "zod";
import type { BlobChunk, BlobInfo, Page } from "../engine/src/inspect/index.js";
import { limit, offset, own, position } from "./schema-parts.js";

export type { BlobChunk, BlobInfo, BlobKind } from "../engine/src/inspect/index.js";

export const BLOB_CALLS = {
  "blobs.list": own(z.strictObject({ offset, limit, pathContains: z.string().max(4096).optional() })),
  /** Up to `length` bytes of a blob from `offset` (at most 1 MB a read) */
  "blobs.read": own(z.strictObject({ path: z.string().min(1).max(4096), offset, length: z.number().int().min(0).max(1024 * 1024) })),
  /** The blobs a record (at `at`, default now) refers to: its string values that name one */
  "blobs.refs": own(z.strictObject({ id: z.string().min(1).max(4096), at: position.optional() })),
} as const;

export interface BlobCallResults {
  "blobs.list": Page<BlobInfo>;
  "blobs.read": BlobChunk;
  "blobs.refs": string[];
}
