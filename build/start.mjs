// `npm start [-- store-dir] [--agent ID | --writer] [--read-only] [--help]`:
// checks the command line first (usage and exit 2 on an unknown flag), builds
// what is missing, then runs the Electron app; without the Electron binary,
// says so and starts browser mode instead.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, statSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { tsImport } from "tsx/esm/api";

const root = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const require = createRequire(import.meta.url);

// The same parser as the app's (electron/args.ts), before any slow build step.
const { parseCommandLine, usage, UsageError, withoutChromiumSwitches } = await tsImport("../electron/args.ts", import.meta.url);
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

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function run(cmd, cmdArgs) {
  const result = spawnSync(cmd, cmdArgs, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// The renderer: rebuilt when any of its sources is newer than the build.
const index = join(root, "dist/renderer/index.html");
if (!existsSync(index) || newestMtime(join(root, "renderer")) > statSync(index).mtimeMs) {
  console.error("Building the renderer…");
  run("npx", ["vite", "build", "--config", "renderer/vite.config.ts", "--logLevel", "warn"]);
}

function electronBinary() {
  try {
    const path = require("electron"); // the package's main export is the binary's path
    return typeof path === "string" && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const electron = electronBinary();
if (electron) {
  run("node", ["build/bundle.mjs"]);
  const child = spawn(electron, [join(root, "dist/electron/main.cjs"), ...args], { cwd: root, stdio: "inherit" });
  child.on("exit", (code) => process.exit(code ?? 0));
} else {
  console.error(
    "\nThe Electron binary is missing, so the desktop window cannot open. Electron downloads its binary " +
      "when it is installed (`npm install` or `npm ci`); that download failed or was skipped on this machine " +
      "(no access to its download host, or ELECTRON_SKIP_BINARY_DOWNLOAD was set). To get it, run `npm install electron` " +
      "on a machine with internet access, or point ELECTRON_OVERRIDE_DIST_PATH at an Electron build. " +
      "Starting browser mode instead: open the URL below in your browser.\n",
  );
  const child = spawn("npx", ["tsx", "electron/serve.ts", ...withoutChromiumSwitches(args)], { cwd: root, stdio: "inherit" });
  child.on("exit", (code) => process.exit(code ?? 0));
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
}
