// The contract's runtime schemas: one per call, checked at the boundary by
// both transports (Electron IPC and HTTP). Loaded by the server side only:
// the renderer imports contract.ts (types) and call-error.ts, never this
// file, so zod stays out of its bundle (a test reads the bundle to check).
import { z } from "zod";
import { FILTER_LIMITS, RECORD_LIMITS, jsonBeyondLimits } from "../engine/src/limits.js";
import type { JsonLimits } from "../engine/src/limits.js";

const offset = z.number().int().min(0);
const limit = z.number().int().min(1).max(1000);
const position = z.number().int().min(0);
/** A JSON object within limits, checked before anything walks it recursively; `code` is the error a breach answers */
const boundedJson = (limits: JsonLimits, code: "bad-filter" | "bad-argument") =>
  z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    const beyond = jsonBeyondLimits(value, limits);
    if (beyond) ctx.addIssue({ code: "custom", message: beyond, params: { code } });
  });
const query = boundedJson(FILTER_LIMITS, "bad-filter");
const recordId = z.string().min(1).max(4096);
const isoTime = z.string().min(1).max(64);

/** The Operations view's filters: ops.page pages the ops they keep, timeline.events places archives and compactions among them. */
const opFilters = {
  agent: z.string().max(200).nullable().optional(),
  id: z.string().max(4096).optional(),
  op: z.enum(["set", "delete"]).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  filter: query.optional(),
};

export const schemas = {
  "store.open": z.strictObject({
    dir: z.string().min(1).max(4096),
    mode: z.enum(["read-only", "writer", "agent"]).optional(),
    agentId: z.string().min(1).max(200).regex(/^[A-Za-z0-9._-]+$/, "letters, digits, '.', '_' and '-' only").optional(),
    /** Agent mode on a single-writer store: the user has read why it is dangerous and goes on */
    confirmAgentOnSingleWriter: z.boolean().optional(),
  }),
  "store.summary": z.strictObject({}),
  "store.close": z.strictObject({}),
  "store.recent": z.strictObject({}),
  /** A native folder dialog (Electron); { dir: null } in browser mode */
  "store.pickDirectory": z.strictObject({}),
  /** The open the command line asked for and the user has yet to confirm (agent mode on a single-writer store), or null */
  "store.pending": z.strictObject({}),

  "records.page": z.strictObject({
    offset,
    limit,
    at: position.optional(),
    filter: query.optional(),
    sort: z.strictObject({ field: z.string().min(1).max(500), dir: z.union([z.literal(1), z.literal(-1)]) }).optional(),
    idContains: z.string().max(4096).optional(),
  }),
  "records.get": z.strictObject({ id: recordId, at: position.optional() }),
  "records.columns": z.strictObject({ at: position.optional() }),

  "ops.page": z.strictObject({ offset, limit, ...opFilters }),
  "ops.get": z.strictObject({ pos: position }),

  "agents.list": z.strictObject({}),
  "agents.ops": z.strictObject({ path: z.string().min(1).max(4096), offset, limit }),
  "conflicts.page": z.strictObject({ offset, limit, pos: position.optional() }),
  "lostWrites.page": z.strictObject({ offset, limit }),

  "archive.list": z.strictObject({}),
  "archive.page": z.strictObject({
    path: z.string().min(1).max(4096),
    offset,
    limit,
    filter: query.optional(),
    idContains: z.string().max(4096).optional(),
  }),

  "timeline.info": z.strictObject({}),
  /** Compare two positions; idContains and filter keep the records whose id contains it and whose value before or after matches it */
  "timeline.diff": z.strictObject({ a: position, b: position, offset, limit, idContains: z.string().max(4096).optional(), filter: query.optional() }),
  /** Archives and compactions; with the Operations view's filters, each placed among the ops they keep */
  "timeline.events": z.strictObject(opFilters),
  "timeline.posAtTime": z.strictObject({ ts: isoTime }),
  /** The charts: ops per agent per time bucket over [from, to], and the record count at each bucket's end */
  "timeline.buckets": z.strictObject({ buckets: z.number().int().min(1).max(2000), from: isoTime.optional(), to: isoTime.optional() }),

  "actions.undoPreview": z.strictObject({}),
  "actions.undo": z.strictObject({}),
  "actions.compact": z.strictObject({}),
  "actions.archive": z.strictObject({ filter: query, segment: z.string().min(1).max(200).regex(/^[A-Za-z0-9._-]+$/).optional() }),
  "actions.set": z.strictObject({ id: recordId, value: boundedJson(RECORD_LIMITS, "bad-argument") }),
  "actions.delete": z.strictObject({ id: recordId }),
  "actions.revertPreview": z.strictObject({ pos: position }),
  /** mode "own-change": undo only this op's field changes on the current value; "full": the record as before the op, overwriting later changes */
  "actions.revert": z.strictObject({
    pos: position,
    mode: z.enum(["own-change", "full"]),
    /** What the preview showed (the op's file:line, the later ops' count): the revert refuses if either changed since */
    seen: z.strictObject({ file: z.string().min(1).max(4096), line: z.number().int().min(1), laterOps: z.number().int().min(0) }).optional(),
  }),
  "actions.refresh": z.strictObject({}),
} as const;

/** Every call's name, from the one declaration above */
export const callNames = Object.keys(schemas) as (keyof typeof schemas)[];
