// `npm run test:e2e`: builds the renderer and bundles the server (as `npm start`
// runs it: dist/electron/serve.cjs), then drives it with Playwright in Debian's
// Chromium against browser mode. Never downloads a browser.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { bundleMainIfStale } from "./fresh.mjs";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  console.error(
    `The end-to-end tests need Debian's Chromium at ${chromium}, and it is not there.\n` +
      "Install it with: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH).",
  );
  process.exit(1);
}

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run("npx", ["vite", "build", "--config", "renderer/vite.config.ts", "--logLevel", "warn"]);
// The server each test starts is the bundle the app runs, not the TypeScript sources under tsx: what users run, and no compile at each start.
bundleMainIfStale();
process.env.OPSLOG_EXPLORER_SERVE_BUNDLE ??= join(new URL("..", import.meta.url).pathname, "dist/electron/serve.cjs");
run("npx", ["playwright", "test", "--config", "e2e/playwright.config.ts", ...process.argv.slice(2)]);
