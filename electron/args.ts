/** The command line: `opslog-explorer [store-dir] [--agent ID | --writer] [--port N]`. */
import type { SessionMode } from "./contract.js";

export interface CommandLine {
  dir: string | null;
  mode: SessionMode | undefined;
  agentId: string | undefined;
  port: number | undefined;
}

export class UsageError extends Error {}

export const USAGE = "usage: opslog-explorer [store-dir] [--agent ID | --writer] [--port N]";

export function parseCommandLine(argv: string[]): CommandLine {
  const out: CommandLine = { dir: null, mode: undefined, agentId: undefined, port: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--writer") {
      if (out.mode === "agent") throw new UsageError(`--writer and --agent cannot be combined.\n${USAGE}`);
      out.mode = "writer";
    } else if (arg === "--agent" || arg.startsWith("--agent=")) {
      if (out.mode === "writer") throw new UsageError(`--writer and --agent cannot be combined.\n${USAGE}`);
      out.mode = "agent";
      const value = arg.includes("=") ? arg.slice(8) : argv[i + 1] && !argv[i + 1].startsWith("--") ? argv[++i] : "explorer";
      if (!/^[A-Za-z0-9._-]+$/.test(value)) throw new UsageError(`--agent takes an id of letters, digits, '.', '_' and '-', not "${value}".\n${USAGE}`);
      out.agentId = value;
    } else if (arg === "--port" || arg.startsWith("--port=")) {
      const value = arg.includes("=") ? arg.slice(7) : argv[++i];
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port takes a number from 0 to 65535, not "${value}".\n${USAGE}`);
      out.port = port;
    } else if (arg.startsWith("--")) {
      // Electron and Chromium add switches of their own; they are not ours to judge.
      continue;
    } else if (out.dir === null) {
      out.dir = arg;
    } else {
      throw new UsageError(`Only one store folder can be opened per window; got "${out.dir}" and "${arg}".\n${USAGE}`);
    }
  }
  return out;
}
