// `npm run dist`: packages the app for this platform with electron-builder
// (build/electron-builder.json): AppImage + deb on Linux, dmg on macOS, nsis
// on Windows, into dist/packages. Packaging needs the Electron binary; where
// it is missing, or Node is older than 22.12, this says so and exits non-zero.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const path = require("electron"); // the package's main export is the binary's path
    return typeof path === "string" && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function run(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`\n${cmd} ${args.join(" ")} failed (exit code ${result.status}); see its output above.`);
    process.exit(result.status ?? 1);
  }
}

if (!electronBinary()) {
  console.error(
    "Cannot package: the Electron binary is missing. electron-builder copies it into every package, and " +
      "Electron downloads it when it is installed (`npm install` / `npm ci`); that download failed or was " +
      "skipped on this machine. Run `npm install electron` on a machine with internet access (or set " +
      "ELECTRON_OVERRIDE_DIST_PATH to an Electron build), then run `npm run dist` again.",
  );
  process.exit(1);
}

// electron-builder's @electron/rebuild and node-abi declare Node >= 22.12; say so before they fail obscurely.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`Cannot package on Node ${process.versions.node}: electron-builder's helpers need Node 22.12 or newer. The app and its tests run on Node 20.19+; only packaging needs 22.12+.`);
  process.exit(1);
}

const electronVersion = JSON.parse(readFileSync(join(root, "node_modules/electron/package.json"), "utf-8")).version;
run("npx", ["vite", "build", "--config", "renderer/vite.config.ts", "--logLevel", "warn"]);
run("node", ["build/bundle.mjs"]);
run("npx", ["electron-builder", "--config", "build/electron-builder.json", `-c.electronVersion=${electronVersion}`, "--publish", "never", ...process.argv.slice(2)]);
console.log("Packages written to dist/packages/.");
