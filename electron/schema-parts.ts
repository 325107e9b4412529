// The pieces the contract's calls are declared with (calls.ts and the
// feature slices' declarations, export-calls.ts and blob-calls.ts): the kinds
// of call, and the argument schemas' parts (pages, positions, bounded filters
// and JSON). Server side only, like them.
import { z } from "zod";
import { FILTER_LIMITS, jsonBeyondLimits } from "../engine/src/limits.js";
import type { JsonLimits } from "../engine/src/limits.js";

/** A call the main process answers itself (opening, the session's actions, calls that combine queries). */
export const own = <S extends z.ZodType>(schema: S) => ({ schema, writes: false as const });
/** A call that writes to the store. */
export const write = <S extends z.ZodType>(schema: S) => ({ schema, writes: true as const });
/** A call whose answer is a file to download (a Download: its name, type and text a chunk at a time): browser mode's GET /api/download/<call> only, never over IPC. */
export const download = <S extends z.ZodType>(schema: S) => ({ schema, writes: false as const, download: true as const });

export const offset = z.number().int().min(0);
export const limit = z.number().int().min(1).max(1000);
export const position = z.number().int().min(0);
/** A JSON object within limits, checked before anything walks it recursively; `code` is the error a breach answers */
export const boundedJson = (limits: JsonLimits, code: "bad-filter" | "bad-argument") =>
  z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    const beyond = jsonBeyondLimits(value, limits);
    if (beyond) ctx.addIssue({ code: "custom", message: beyond, params: { code } });
  });
/** A MongoDB-style filter within FILTER_LIMITS (a breach answers "bad-filter") */
export const mongoFilter = boundedJson(FILTER_LIMITS, "bad-filter");
export const isoTime = z.string().min(1).max(64);

/** The Operations view's filters: the ops call pages the ops they keep, timelineEvents places archives and compactions among them, an export of the list writes them. */
export const opFilters = {
  agent: z.string().max(200).nullable().optional(),
  id: z.string().max(4096).optional(),
  op: z.enum(["set", "delete"]).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  filter: mongoFilter.optional(),
};
