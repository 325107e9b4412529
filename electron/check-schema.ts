/**
 * The JSON schema of the store doctor's report (`npm run check -- <store>
 * --json`), as zod: the README documents it, check-cli.test.ts validates the
 * CLI's output against it, and the compiler checks that it describes exactly
 * the engine's StoreCheck type (both ways), so the three cannot drift apart.
 * `z.toJSONSchema(checkReport)` gives it as a standard JSON Schema.
 */
import { z } from "zod";
import type { StoreCheck } from "../engine/src/inspect/index.js";

const severity = z.enum(["info", "warning", "error"]);
const warning = z.strictObject({
  code: z.enum(["malformed-line", "torn-line", "missing-file", "stats-mismatch", "lock-live", "lock-own", "lock-stale", "compact-lock-live", "compact-lock-own", "compact-lock-stale", "leftover-tmp", "chain-gap", "chain-mismatch", "lost-writes", "unreadable-file"]),
  severity,
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().optional(),
});
const fileFinding = z.strictObject({ file: z.string(), severity, message: z.string() });
const count = z.number().int().min(0);

export const checkReport = z.strictObject({
  format: z.literal("opslog-explorer/check@1"),
  store: z.string(),
  checkedAt: z.iso.datetime(),
  healthy: z.boolean(),
  problems: z.array(warning),
  kind: z.enum(["single-writer", "multi-writer", "mixed", "empty"]),
  counts: z.strictObject({ records: count.nullable(), timelineOps: count, agents: count, wals: count, snapshots: count, archivedRecords: count }),
  chain: z.strictObject({
    verified: count,
    mismatched: count,
    unverifiable: count,
    live: count,
    links: z.array(z.strictObject({
      epoch: count,
      snapshot: z.string().nullable(),
      next: z.string().nullable(),
      wals: z.array(z.string()),
      verified: z.enum(["ok", "mismatch", "unverifiable", "live"]),
      mismatchCount: count,
      mismatchIds: z.array(z.string()),
      missing: z.array(z.string()),
      droppedWrites: count,
    })),
  }),
  lostWrites: z.strictObject({
    total: count,
    byReason: z.record(z.string(), count),
    shown: z.array(z.strictObject({ reason: z.string(), file: z.string(), line: z.number().int().min(1), agent: z.string().nullable(), op: z.enum(["set", "delete"]), id: z.string(), heldAnyway: z.boolean(), explanation: z.string() })),
  }),
  badLines: z.strictObject({
    total: count,
    torn: count,
    malformed: count,
    shown: z.array(z.strictObject({ file: z.string(), line: z.number().int().min(1), torn: z.boolean(), cause: z.string() })),
  }),
  unreadableFiles: z.array(fileFinding),
  missingFiles: z.array(fileFinding),
  locks: z.array(z.strictObject({
    file: z.enum([".lock", ".compact-lock"]),
    state: z.enum(["held", "stale", "own"]),
    pid: z.number().int().nullable(),
    host: z.string().nullable(),
    expiresAt: z.iso.datetime().nullable(),
    holder: z.string(),
  })),
  conflicts: z.strictObject({ total: count }),
  warnings: z.array(warning),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compile-time check: the schema and the engine's type describe the same document. */
export type CheckSchemaMatches = Same<z.infer<typeof checkReport>, StoreCheck> extends true ? true : never;
const matches: CheckSchemaMatches = true;
void matches;
