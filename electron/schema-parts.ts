// The pieces the calls' argument parsers are built from (calls.ts,
// schemas-export.ts): pages, positions, bounded filters and JSON. Server
// side only, like them.
import { z } from "zod";
import { FILTER_LIMITS, jsonBeyondLimits } from "../engine/src/limits.js";
import type { JsonLimits } from "../engine/src/limits.js";

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
