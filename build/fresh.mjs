// Build steps that run only when their inputs changed, so a second `npm start`
// (or `npm run bench`) starts at once: the renderer (Vite) and the Electron
// main-process bundle (esbuild). An output is stale when it is missing or any
// file under its input folders is newer than it.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;

/** The newest modification time of any file under these paths (folders walked; node_modules, dist and test output skipped). */
export function newestMtime(paths) {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (!stat.isDirectory()) {
      newest = Math.max(newest, stat.mtimeMs);
      continue;
    }
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (["node_modules", "dist", "test-results"].includes(entry.name)) continue;
      newest = Math.max(newest, newestMtime([join(path, entry.name)]));
    }
  }
  return newest;
}

/** True when `output` is missing or older than any file under `inputs`. */
export function isStale(output, inputs) {
  return !existsSync(output) || newestMtime(inputs) > statSync(output).mtimeMs;
}

function run(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// The renderer imports the contract's types from electron/; the lock file stands for its dependencies.
const RENDERER_INPUTS = ["renderer", "electron", "package-lock.json"].map((p) => join(root, p));
const MAIN_INPUTS = ["electron", "engine/src", "package-lock.json"].map((p) => join(root, p));

/** Build the renderer into dist/renderer unless it is up to date. Returns whether it built. */
export function buildRendererIfStale() {
  if (!isStale(join(root, "dist/renderer/index.html"), RENDERER_INPUTS)) return false;
  console.error("Building the renderer (its sources changed since the last build)…");
  run("npx", ["vite", "build", "--config", "renderer/vite.config.ts", "--logLevel", "warn"]);
  return true;
}

/** Bundle the Electron main process into dist/electron unless it is up to date. Returns whether it bundled. */
export function bundleMainIfStale() {
  if (!isStale(join(root, "dist/electron/main.cjs"), MAIN_INPUTS)) return false;
  run("node", ["build/bundle.mjs"]);
  return true;
}
