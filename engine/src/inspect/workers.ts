/**
 * Starting the engine's worker threads, wherever the engine runs: bundled
 * (the Electron main process, dist/electron/*.cjs, each worker bundled beside
 * it) or from its TypeScript sources (tsx, vitest), where the worker first
 * registers tsx's loader and then imports its source. OPSLOG_ENGINE_WORKERS
 * names a folder of bundled workers to use from the sources too: the
 * fuzzer's long run bundles them once (bundleEngineWorkers), so that each
 * of its thousands of threads does not compile the sources again.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";

export type EngineWorker = "scan-worker" | "inspect-worker";

/** A worker thread could not be started (or died before it was ready). */
export class EngineWorkerFailed extends Error {}

export function startEngineWorker(name: EngineWorker): Worker {
  try {
    const given = process.env.OPSLOG_ENGINE_WORKERS;
    if (given && existsSync(join(given, `${name}.cjs`))) return new Worker(join(given, `${name}.cjs`), { execArgv: [] }); // a bundle needs none of tsx's loaders
    if (typeof __dirname === "string") {
      const bundled = join(__dirname, `${name}.cjs`);
      if (existsSync(bundled)) return new Worker(bundled);
    }
    const source = new URL(`./${name}.ts`, import.meta.url).href;
    const tsx = import.meta.resolve("tsx/esm/api");
    return new Worker(`import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(source)}); });`, { eval: true });
  } catch (err) {
    throw new EngineWorkerFailed(`the ${name} thread cannot start: ${(err as Error).message}`);
  }
}
