/**
 * `npm run fuzz -- --runs N [--seed S] [--path P] [--jobs J]`: the differential fuzzer
 * run long, outside vitest. Each run writes a random program's store with
 * the published opslog and compares every inspector answer with the
 * reference model's. A failure prints the seed, fast-check's path, the
 * shrunk program (paste it into fuzz.test.ts's fixed examples) and the first
 * answer that differed; the exit code is then 1. FUZZ_SKIP leaves out
 * features other branches are still fixing (see README). `--jobs J` splits
 * the runs over J child processes (fuzz-jobs.ts).
 */
import fc from "fast-check";
import { fileURLToPath } from "node:url";
import { runJobs } from "./fuzz-jobs.js";
import { skipsFromEnv } from "./program.js";
import { fuzzProperty, showProgram } from "./run.js";
import { useBundledWorkers } from "./worker-bundles.js";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

const runs = Number(arg("runs") ?? 100);
const seed = arg("seed") === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(arg("seed"));
const path = arg("path");
const jobs = Number(arg("jobs") ?? 1);
if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`--jobs: a whole number from 1 up, not "${arg("jobs")}"`);
if (jobs > 1 && path) throw new Error("--path replays one failure: give it without --jobs");
// Bundled once here, for this process and the jobs it starts (unless a parent bundled them already).
const removeBundles = process.env.OPSLOG_ENGINE_WORKERS ? async () => undefined : await useBundledWorkers();
if (jobs > 1) {
  const code = await runJobs(fileURLToPath(import.meta.url), runs, Math.min(jobs, runs), seed);
  await removeBundles();
  process.exit(code);
}
const skips = skipsFromEnv();
if (skips.size > 0) console.log(`FUZZ_SKIP: leaving out ${[...skips].join(", ")} (features other branches are fixing)`);
console.log(`fuzz: ${runs} run(s), seed ${seed}`);
const started = Date.now();
let done = 0;
const property = fuzzProperty(skips).afterEach(() => {
  done++;
  if (done % 100 === 0) console.log(`  ${done} programs run (after a failure, its shrink attempts count too), ${((Date.now() - started) / 1000).toFixed(0)} s`);
});
const result = await fc.check(property, { numRuns: runs, seed, ...(path ? { path } : {}), endOnFailure: false });
const seconds = ((Date.now() - started) / 1000).toFixed(1);
await removeBundles();
if (!result.failed) {
  console.log(`fuzz: ${result.numRuns} run(s) passed in ${seconds} s`);
  process.exit(0);
}
console.log(`fuzz: FAILED after ${result.numRuns} run(s), ${result.numShrinks} shrink(s), ${seconds} s`);
console.log(`  seed: ${result.seed}   path: ${result.counterexamplePath}`);
console.log(`  replay: npm run fuzz -- --runs 1 --seed ${result.seed} --path ${result.counterexamplePath}`);
console.log(`  shrunk program (a fixed example for fuzz.test.ts):\n${result.counterexample ? showProgram(result.counterexample[0]) : "(none)"}`);
console.log(`  first difference:\n${result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)}`);
process.exit(1);
