// `npm start [-- store-dir] [--agent ID | --writer] [--read-only] [--help]`:
// checks the command line first (usage and exit 2 on an unknown flag), builds
// what is missing or stale (build/fresh.mjs), then runs the Electron app;
// without the Electron binary, says so and starts browser mode instead (its
// server bundled like the app's main process: dist/electron/serve.cjs).
// Every signal that would end this process is passed on to the app, which
// closes its stores (releasing their locks) and exits; this process exits
// with it. Browser mode also hears, through an IPC channel, if this process
// dies without a signal it can pass on (SIGKILL), and shuts down the same way.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { buildRendererIfStale, bundleMainIfStale, mainBundleFresh } from "./fresh.mjs";

const root = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const require = createRequire(import.meta.url);

// The same parser as the app's (electron/args.ts), before any slow build step: from the bundle when it is fresh
// (no TypeScript compiled: about a second sooner), else from the sources under tsx.
const { parseCommandLine, usage, UsageError, withoutChromiumSwitches, ENDING_SIGNALS } = mainBundleFresh()
  ? require(join(root, "dist/electron/start-cli.cjs"))
  : await fromSources();

async function fromSources() {
  const { tsImport } = await import("tsx/esm/api");
  return { ...(await tsImport("../electron/args.ts", import.meta.url)), ...(await tsImport("../electron/shutdown.ts", import.meta.url)) };
}
try {
  if (parseCommandLine(withoutChromiumSwitches(args), "npm start --").help) {
    console.log(usage("npm start --"));
    process.exit(0);
  }
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  console.error(err.message);
  process.exit(2);
}

buildRendererIfStale();

function electronBinary() {
  try {
    const path = require("electron"); // the package's main export is the binary's path
    return typeof path === "string" && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/**
 * Run the app; a signal to this process goes to it, and this exits when it
 * does. `npm start` runs this under npm and a shell, and a SIGTERM to npm
 * ends them but not this: when the parent goes (this process is adopted),
 * the app is told SIGTERM too, so it closes its stores instead of running on.
 */
function runApp(command, commandArgs, stdio) {
  const child = spawn(command, commandArgs, { cwd: root, stdio });
  child.on("exit", (code) => process.exit(code ?? 0));
  for (const signal of ENDING_SIGNALS) process.on(signal, () => child.kill(signal));
  const parent = process.ppid;
  const orphaned = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(orphaned);
    child.kill("SIGTERM");
  }, 250);
}

const electron = electronBinary();
if (electron) {
  bundleMainIfStale();
  runApp(electron, [join(root, "dist/electron/main.cjs"), ...args], "inherit");
} else {
  console.error(
    "\nThe Electron binary is missing, so the desktop window cannot open. Electron downloads its binary " +
      "when it is installed (`npm install` or `npm ci`); that download failed or was skipped on this machine " +
      "(no access to its download host, or ELECTRON_SKIP_BINARY_DOWNLOAD was set). To get it, run `npm install electron` " +
      "on a machine with internet access, or point ELECTRON_OVERRIDE_DIST_PATH at an Electron build. " +
      "Starting browser mode instead: open the URL below in your browser.\n",
  );
  // The server's bundle, as the desktop app runs its code: compiling the TypeScript sources under tsx at each start cost seconds before the first page.
  bundleMainIfStale();
  runApp(process.execPath, [join(root, "dist/electron/serve.cjs"), ...withoutChromiumSwitches(args)], ["inherit", "inherit", "inherit", "ipc"]);
}
