/**
 * `npm run check -- <store-dir | s3://bucket/prefix> [--json]`: the store
 * doctor for CI. Opens the store read-only (never writes a byte to it, never
 * takes a lock; an S3 store is mirrored into the explorer's cache folder, as
 * the app does), prints the report of engine/src/inspect/check.ts as text or
 * as one JSON document (schema: check-schema.ts), and exits 0 when the store
 * is healthy, 1 when it found problems, 2 when it could not open the store
 * (a missing folder, not a store, a bad S3 address, an unreachable bucket)
 * or the command line is wrong; the reason goes to stderr.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { checkStore, openInspector } from "../engine/src/inspect/index.js";
import type { CheckedLock, InspectorApi, StoreCheck } from "../engine/src/inspect/index.js";
import { checkText } from "./check-text.js";
import { withS3Settings } from "./s3-args.js";
import { storeSource } from "./store-source.js";

export const CHECK_USAGE = [
  "usage: npm run check -- <store-dir | s3://bucket/prefix> [--json] [--region R] [--endpoint URL] [--profile P]",
  "",
  "  Checks a store read-only and reports what the explorer knows of its health.",
  "  --json        print the report as one JSON document (its schema: README, \"Store doctor\")",
  "  --region R, --endpoint URL, --profile P   as for npm start, for an s3:// store",
  "  exit status   0 healthy, 1 problems found, 2 the store could not be opened (or a bad command line)",
].join("\n");

/** What the command line asks. */
export interface CheckCommand {
  store: string;
  json: boolean;
}

export class CheckUsageError extends Error {}

export function parseCheckArgs(args: string[]): CheckCommand | "help" {
  let parsed;
  try {
    parsed = parseArgs({ args, strict: true, allowPositionals: true, options: { json: { type: "boolean" }, help: { type: "boolean", short: "h" }, region: { type: "string" }, endpoint: { type: "string" }, profile: { type: "string" } } });
  } catch (err) {
    throw new CheckUsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  if (positionals.length !== 1) throw new CheckUsageError(positionals.length === 0 ? "Name the store to check: a folder or an s3:// address." : `Check one store at a time; got ${positionals.length}: ${positionals.join(", ")}.`);
  const s3 = { region: values.region, endpoint: values.endpoint, profile: values.profile };
  try {
    const store = Object.values(s3).some((v) => v !== undefined) ? withS3Settings(positionals[0], s3) : positionals[0];
    return { store, json: values.json === true };
  } catch (err) {
    throw new CheckUsageError((err as Error).message);
  }
}

/** The store opened for the check: its inspector, its locks when they are not files (S3), and how to let go. */
interface OpenedForCheck {
  inspector: InspectorApi;
  locks: CheckedLock[] | undefined;
  close(): Promise<void>;
}

async function openForCheck(store: string): Promise<OpenedForCheck> {
  const named = storeSource(store);
  await named.checkQuickly(); // a missing folder or a folder that is not a store fails here, with what to do
  const source = await named.open({});
  try {
    if (source.historyPending()) await source.sync(); // the doctor speaks for the whole store: an S3 store's history too, not its current period alone
    const inspector = await openInspector(source.dir);
    const locks = await source.locks();
    return { inspector, locks, close: async () => { await inspector.close(); await source.close(); } };
  } catch (err) {
    await source.close();
    throw err;
  }
}

/** Run the check as the command line asks; the exit status. */
export async function runCheck(args: string[], out: (text: string) => void, err: (text: string) => void): Promise<number> {
  let command: CheckCommand | "help";
  try {
    command = parseCheckArgs(args);
  } catch (e) {
    err(`opslog check: ${(e as Error).message}\n\n${CHECK_USAGE}\n`);
    return 2;
  }
  if (command === "help") {
    out(CHECK_USAGE + "\n");
    return 0;
  }
  let opened: OpenedForCheck;
  try {
    opened = await openForCheck(command.store);
  } catch (e) {
    err(`opslog check: cannot open ${command.store}: ${(e as Error).message}\n`);
    return 2;
  }
  let report: StoreCheck;
  try {
    report = await checkStore(opened.inspector, { store: storeSource(command.store).address, locks: opened.locks });
  } catch (e) {
    err(`opslog check: could not check ${command.store}: ${(e as Error).message}\n`);
    return 2;
  } finally {
    await opened.close();
  }
  out(command.json ? JSON.stringify(report, null, 2) + "\n" : checkText(report));
  return report.healthy ? 0 : 1;
}

async function main(): Promise<void> {
  const code = await runCheck(process.argv.slice(2), (t) => process.stdout.write(t), (t) => process.stderr.write(t));
  // Wait for stdout to drain (a pipe to jq may be slow) before the exit code ends the process.
  process.stdout.write("", () => process.exit(code));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void main();
