// Build steps that run only when their inputs changed, so a second `npm start`
// (or `npm run bench`) starts at once: the renderer (Vite) and the Electron
// main-process bundle (esbuild). An output is stale when its stamp is missing
// or any file under its input folders is newer than it. The stamp is written
// only after a build succeeds, so a failed build is never taken for a fresh one.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
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

/** Run a build step unless its stamp is newer than every input; stamp it once it succeeded. Returns whether it built. */
export function buildIfStale(stamp, inputs, build) {
  if (!isStale(stamp, inputs)) return false;
  rmSync(stamp, { force: true });
  build();
  writeFileSync(stamp, `built ${new Date().toISOString()}\n`);
  return true;
}

/** Build the renderer into dist/renderer unless it is up to date. Returns whether it built. */
export function buildRendererIfStale() {
  return buildIfStale(join(root, "dist/renderer.built"), RENDERER_INPUTS, () => {
    console.error("Building the renderer (its sources changed since the last build)…");
    run("npx", ["vite", "build", "--config", "renderer/vite.config.ts", "--logLevel", "warn"]);
  });
}

/** Whether dist/electron's bundles are up to date with their sources (and every one of them is there). */
export function mainBundleFresh() {
  return !isStale(join(root, "dist/electron.built"), MAIN_INPUTS) && existsSync(join(root, "dist/electron/start-cli.cjs")) && existsSync(join(root, "dist/electron/serve.cjs"));
}

/** Bundle the Electron main process into dist/electron unless it is up to date. Returns whether it bundled. */
export function bundleMainIfStale() {
  // A stamp from before the bundle had all its files (serve.cjs, start-cli.cjs) counts as stale.
  if (!mainBundleFresh()) rmSync(join(root, "dist/electron.built"), { force: true });
  return buildIfStale(join(root, "dist/electron.built"), MAIN_INPUTS, () => run("node", ["build/bundle.mjs"]));
}
