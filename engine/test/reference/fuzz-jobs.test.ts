// `npm run fuzz -- --jobs N`'s split: every run goes to exactly one job, the
// shares differ by at most one, and each job has a seed of its own (job 0
// the base seed, so a one-job run and job 0 generate the same programs).
import { describe, expect, it } from "vitest";
import { jobRuns, jobSeed } from "./fuzz-jobs.js";

describe("npm run fuzz --jobs: splitting the runs", () => {
  it("gives every run to one job, the shares differing by at most one", () => {
    for (const [runs, jobs] of [[10000, 2], [10000, 3], [7, 4], [1, 1], [5, 5]]) {
      const shares = Array.from({ length: jobs }, (_, i) => jobRuns(runs, jobs, i));
      expect(shares.reduce((a, b) => a + b, 0)).toBe(runs);
      expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
    }
  });

  it("gives each job a distinct 32-bit seed, job 0 the base seed", () => {
    for (const base of [20261208, 0, -1, 0x7fffffff]) {
      const seeds = Array.from({ length: 8 }, (_, i) => jobSeed(base, i));
      expect(seeds[0]).toBe(base | 0);
      expect(new Set(seeds).size).toBe(8);
      for (const s of seeds) expect(s).toBe(s | 0);
    }
  });
});
