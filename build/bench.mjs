// `npm run bench [-- part…]`: runs each benchmark part in its own process, in
// order, so one part's memory never skews another's. Parts: store, inspect,
// reopen, ten, schema, pages, s3, export, ui. Each prints its own markdown table.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildRendererIfStale, bundleMainIfStale } from "./fresh.mjs";

const parts = [
  { name: "store", cmd: ["npx", "tsx", "engine/bench/store.ts"] },
  { name: "inspect", cmd: ["npx", "tsx", "engine/bench/inspect.ts"] },
  { name: "reopen", cmd: ["npx", "tsx", "engine/bench/reopen.ts"] },
  { name: "ten", cmd: ["npx", "tsx", "engine/bench/ten.ts"] },
  { name: "schema", cmd: ["npx", "tsx", "engine/bench/schema.ts"] },
  { name: "pages", cmd: ["npx", "tsx", "electron/bench/pages.ts"] },
  { name: "s3", cmd: ["npx", "tsx", "engine/bench/s3.ts"] },
  { name: "export", cmd: ["npx", "tsx", "electron/bench/export.ts"] },
  { name: "ui", cmd: ["npx", "tsx", "e2e/bench/ui.ts"] },
];

const wanted = process.argv.slice(2);
let failed = 0;
// The engine's worker threads run from the bundles the app ships (bundle.mjs), not from the TypeScript sources
// compiled again in every thread under tsx, which the app never does (engine/src/inspect/workers.ts).
const workers = mkdtempSync(join(tmpdir(), "opslog-bench-workers-"));
// rss-child: the inspector bench's memory rows, measured as the app runs the engine (engine/bench/rss-child.ts).
const bundled = spawnSync("node", [new URL("./bundle.mjs", import.meta.url).pathname, workers, "engine/bench/rss-child.ts"], { stdio: "inherit" });
if (bundled.status !== 0) process.exit(bundled.status ?? 1);
process.env.OPSLOG_ENGINE_WORKERS = workers;
console.log(`engine workers: bundled into ${workers} (as the app runs them)`);
for (const part of parts) {
  if (wanted.length > 0 && !wanted.includes(part.name)) continue;
  const file = part.cmd[part.cmd.length - 1];
  if (!existsSync(file)) {
    console.log(`\n## ${part.name}: skipped (${file} does not exist yet)`);
    continue;
  }
  if (part.name === "ui") {
    buildRendererIfStale(); // the UI benchmark drives the built renderer
    bundleMainIfStale(); // and starts the server as `npm start` does: its bundle (e2e/serve-child.ts)
    process.env.OPSLOG_EXPLORER_SERVE_BUNDLE = join(new URL("..", import.meta.url).pathname, "dist/electron/serve.cjs");
  }
  console.log(`\n## ${part.name} (${file})`);
  const run = spawnSync(part.cmd[0], part.cmd.slice(1), { stdio: "inherit" });
  if (run.status !== 0) {
    failed++;
    console.log(`## ${part.name}: failed with exit code ${run.status}`);
  }
}
rmSync(workers, { recursive: true, force: true });
process.exit(failed === 0 ? 0 : 1);
