// `npm run typecheck`: tsc over the whole project. Electron is an optional
// dependency: where its binary cannot be downloaded, its install step fails
// and npm drops the whole package, types included. The types are all the
// typecheck needs, so install the locked version without its binary first.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;

function run(cmd, args, env = process.env) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!existsSync(join(root, "node_modules/electron/electron.d.ts"))) {
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"));
  const version = lock.packages["node_modules/electron"].version;
  console.error(
    `The electron package is missing: npm drops it when its binary download fails. ` +
      `Installing electron@${version} without the binary, for its types.`,
  );
  run("npm", ["install", "--no-save", "--no-audit", "--no-fund", `electron@${version}`], {
    ...process.env,
    ELECTRON_SKIP_BINARY_DOWNLOAD: "1",
  });
}
run("npx", ["tsc", "-p", "tsconfig.json"]);
