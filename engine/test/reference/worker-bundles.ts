/**
 * The engine's two worker threads bundled once, as build/bundle.mjs bundles
 * them for the app, for the fuzzer's long run: each program that opens the
 * inspector in a thread would otherwise compile the engine's sources in that
 * thread again (about two thirds of the run's CPU). The bundles are built
 * from the same sources at the start of the run, and are what the app runs.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const source = (name: string) => fileURLToPath(new URL(`../../src/inspect/${name}.ts`, import.meta.url));

/** Bundle the workers into a new folder and name it in OPSLOG_ENGINE_WORKERS (workers.ts), for this process and its children; gives back the removal. */
export async function useBundledWorkers(): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), "opslog-fuzz-workers-"));
  await build({
    entryPoints: ["inspect-worker", "scan-worker"].map((name) => ({ in: source(name), out: name })),
    outdir: dir,
    outExtension: { ".js": ".cjs" },
    bundle: true,
    platform: "node",
    format: "cjs",
    logLevel: "warning",
    logOverride: { "empty-import-meta": "silent" },
  });
  process.env.OPSLOG_ENGINE_WORKERS = dir;
  return () => rm(dir, { recursive: true, force: true });
}
