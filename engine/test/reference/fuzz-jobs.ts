/**
 * `npm run fuzz -- --jobs N`: the long run split over N child processes (a
 * program spends much of its time waiting on the disk and on the next ms,
 * so two processes on two cores go nearly twice as fast). Each child runs
 * its share of the runs with a seed of its own derived from the base seed,
 * prints its lines prefixed with its number (a failure's seed, path, replay
 * command and shrunk program as a single run prints them), and the parent
 * prints one summary; the exit code is 1 if any child failed.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

/** Child i's seed: the base seed for child 0, spread apart (by the 32-bit golden ratio) for the others. */
export function jobSeed(base: number, i: number): number {
  return (base + Math.imul(i, 0x9e3779b9)) | 0;
}

/** Child i's share of the runs: as even as can be, the first ones taking the remainder. */
export function jobRuns(runs: number, jobs: number, i: number): number {
  return Math.floor(runs / jobs) + (i < runs % jobs ? 1 : 0);
}

interface JobResult {
  job: number;
  seed: number;
  runs: number;
  passed: number | null;
  failed: boolean;
  code: number | null;
}

/** Run `script` as N children (same Node and loader flags as this process), and summarise. Returns the exit code. */
export async function runJobs(script: string, runs: number, jobs: number, seed: number): Promise<number> {
  const started = Date.now();
  console.log(`fuzz: ${runs} run(s) over ${jobs} job(s), base seed ${seed}`);
  const results = await Promise.all(Array.from({ length: jobs }, (_, i) => runJob(script, i, jobRuns(runs, jobs, i), jobSeed(seed, i))));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const passed = results.reduce((n, r) => n + (r.passed ?? 0), 0);
  const failed = results.filter((r) => r.failed || r.code !== 0);
  for (const r of results) console.log(`  job ${r.job}: seed ${r.seed}, ${r.runs} run(s): ${r.failed ? "FAILED (above: its seed, path, replay command and shrunk program)" : r.code === 0 ? `${r.passed} passed` : `exited with code ${r.code}`}`);
  if (failed.length === 0) console.log(`fuzz: ${passed} run(s) passed over ${jobs} job(s) in ${seconds} s (wall time)`);
  else console.log(`fuzz: FAILED in ${failed.length} of ${jobs} job(s) (${seconds} s wall time); ${passed} run(s) passed in the others`);
  return failed.length === 0 ? 0 : 1;
}

function runJob(script: string, job: number, runs: number, seed: number): Promise<JobResult> {
  const child = spawn(process.execPath, [...process.execArgv, script, "--runs", String(runs), "--seed", String(seed)], { stdio: ["ignore", "pipe", "pipe"] });
  const result: JobResult = { job, seed, runs, passed: null, failed: false, code: null };
  const prefix = (line: string) => `[job ${job}] ${line}`;
  createInterface({ input: child.stdout }).on("line", (line) => {
    const ok = /^fuzz: (\d+) run\(s\) passed/.exec(line);
    if (ok) result.passed = Number(ok[1]);
    if (line.startsWith("fuzz: FAILED")) result.failed = true;
    console.log(prefix(line));
  });
  createInterface({ input: child.stderr }).on("line", (line) => console.error(prefix(line)));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ ...result, code }));
  });
}
