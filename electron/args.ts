/**
 * The command line of `npm start`, `npm run serve` and the packaged app:
 * `[store-dir] [--writer | --agent ID] [--read-only] [--port N] [--help]`.
 * Parsed strictly (node's util.parseArgs): a misspelt flag is an error that
 * names it, never silently ignored, so `--writter` cannot open a store in
 * a mode the user did not ask for.
 */
import { parseArgs } from "node:util";
import type { SessionMode } from "./contract.js";
import { withS3Settings } from "./s3-args.js";

export interface CommandLine {
  dir: string | null;
  mode: SessionMode | undefined;
  agentId: string | undefined;
  port: number | undefined;
  /** --read-only: the explorer refuses every writable open and every write, whatever a window or client asks */
  readOnly: boolean;
  /** --help: print usage and exit 0 */
  help: boolean;
  /** --yes: the user confirms up front what the UI would otherwise ask (agent mode on a single-writer store) */
  yes: boolean;
  /** --no-index-cache: build every store's index on open; never read or write the index cache */
  noIndexCache: boolean;
}

export class UsageError extends Error {}

export const USAGE = usage("opslog-explorer");

/** The help text, for the command the user typed (`npm start --`, `npm run serve --`, `opslog-explorer`). */
export function usage(command: string): string {
  return [
    `usage: ${command} [store-dir] [--writer | --agent ID [--yes]] [--read-only] [--no-index-cache] [--port N] [--region R] [--endpoint URL] [--profile P]`,
    "",
    "  store-dir     the store folder to open (default: a demo store, read-only),",
    "                or s3://bucket/prefix: a store on S3, credentials from the AWS chain (env, ~/.aws, profiles)",
    "  --region R    the bucket's AWS region (default: AWS_REGION or the profile's)",
    "  --endpoint URL  an S3-compatible server (MinIO, s3rver, LocalStack...)",
    "  --profile P   the AWS profile whose credentials to use",
    "  --writer      writer mode, for single-writer stores: takes the store's .lock",
    "  --agent ID    agent mode, for multi-writer stores: writes as agent ID (default explorer)",
    "  --yes         with --agent on a single-writer store: go on without asking (the owning app never reads the explorer's WAL)",
    "  --read-only   never write, whatever is asked: the mode cannot be switched from the UI",
    "  --no-index-cache  build the index on every open: do not read or keep it in the cache folder",
    "  --port N      browser mode only: listen on 127.0.0.1:N (default: a free port)",
    "  -h, --help    show this help",
  ].join("\n");
}

const OPTIONS = {
  writer: { type: "boolean" },
  agent: { type: "string" },
  "read-only": { type: "boolean" },
  port: { type: "string" },
  help: { type: "boolean", short: "h" },
  yes: { type: "boolean", short: "y" },
  "no-index-cache": { type: "boolean" },
  region: { type: "string" },
  endpoint: { type: "string" },
  profile: { type: "string" },
} as const;

// Chromium and Node switches the desktop app may be given (sandbox, GPU, Wayland, logging; debugging, as Playwright's Electron driver does).
const CHROMIUM_SWITCHES = /^--(no-sandbox|disable-gpu|disable-dev-shm-usage|enable-logging|ozone-platform|ozone-platform-hint|enable-features|disable-features|enable-wayland-ime|force-device-scale-factor|lang|remote-debugging-port|remote-debugging-pipe|inspect|inspect-brk|inspect-port)(=.*)?$/;

/** The desktop app's argv without the Chromium switches Chromium reads itself (and macOS's -psn_ process id). */
export function withoutChromiumSwitches(argv: string[]): string[] {
  return argv.filter((arg) => !CHROMIUM_SWITCHES.test(arg) && !arg.startsWith("-psn_"));
}

export function parseCommandLine(argv: string[], command = "opslog-explorer"): CommandLine {
  const fail = (message: string) => new UsageError(`${message}\n${usage(command)}`);
  // A bare --agent (last, or before another flag) means agent "explorer".
  const args = argv.map((arg, i) => (arg === "--agent" && (i === argv.length - 1 || argv[i + 1].startsWith("-")) ? "--agent=explorer" : arg));
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: true });
  } catch (err) {
    throw fail(explainParseError(err as Error & { code?: string }));
  }
  const { values, positionals } = parsed;
  const out: CommandLine = { dir: positionals[0] ?? null, mode: undefined, agentId: undefined, port: undefined, readOnly: values["read-only"] === true, help: values.help === true, yes: values.yes === true, noIndexCache: values["no-index-cache"] === true };
  if (out.help) return out;
  if (positionals.length > 1) throw fail(`Only one store folder can be opened per window; got "${positionals[0]}" and "${positionals[1]}".`);
  if (values.writer && values.agent !== undefined) throw fail("--writer and --agent cannot be combined.");
  if (out.readOnly && (values.writer || values.agent !== undefined)) throw fail(`--read-only cannot be combined with ${values.writer ? "--writer" : "--agent"}.`);
  if (out.yes && values.agent === undefined) throw fail("--yes goes with --agent: it confirms agent mode on a single-writer store.");
  if (values.region !== undefined || values.endpoint !== undefined || values.profile !== undefined) {
    try {
      out.dir = withS3Settings(out.dir, { region: values.region, endpoint: values.endpoint, profile: values.profile });
    } catch (err) {
      throw fail((err as Error).message);
    }
  }
  if (values.writer) out.mode = "writer";
  if (values.agent !== undefined) {
    if (!/^[A-Za-z0-9._-]+$/.test(values.agent)) throw fail(`--agent takes an id of letters, digits, '.', '_' and '-', not "${values.agent}".`);
    out.mode = "agent";
    out.agentId = values.agent;
  }
  if (values.port !== undefined) {
    const port = /^\d+$/.test(values.port) ? Number(values.port) : NaN;
    if (!(port >= 0 && port <= 65535)) throw fail(`--port takes a number from 0 to 65535, not "${values.port}".`);
    out.port = port;
  }
  return out;
}

/** util.parseArgs' errors, in a line that names the flag and what to do. */
function explainParseError(err: Error & { code?: string }): string {
  const flag = /'([^' ]+)/.exec(err.message)?.[1] ?? "";
  if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `Unknown option ${flag}.`;
  if (err.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    if (/does not take an argument/.test(err.message)) return `${flag} takes no value.`;
    return `${flag} needs a value.`;
  }
  return err.message;
}
