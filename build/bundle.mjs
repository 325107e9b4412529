// Bundles the Electron main process with esbuild: main, preload, and the
// engine's two worker threads (each a file of its own): the inspector's
// thread and the WAL scan worker it starts; and browser mode's server
// (serve.cjs), which `npm start` runs where Electron's binary is missing,
// and what start.mjs parses the command line with (start-cli.cjs).
//   node build/bundle.mjs [outdir] [extra-entry.ts ...]
// The engine also runs from its TypeScript sources (tsx, vitest); the path it
// takes there uses import.meta, which the CommonJS bundle never reaches, so
// esbuild's warning about it is silenced.
import { spawnSync } from "node:child_process";
import { basename } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const [outdir = "dist/electron", ...extra] = process.argv.slice(2);
const entries = ["electron/main.ts", "electron/preload.ts", "electron/serve.ts", "electron/start-cli.ts", "engine/src/inspect/inspect-worker.ts", "engine/src/inspect/scan-worker.ts", ...extra];
const flags = ["--bundle", "--platform=node", "--format=cjs", "--external:electron", "--log-level=warning", "--log-override:empty-import-meta=silent"];
for (const entry of entries) {
  const out = `${outdir}/${basename(entry).replace(/\.ts$/, ".cjs")}`;
  const result = spawnSync("npx", ["esbuild", entry, `--outfile=${out}`, ...flags], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
