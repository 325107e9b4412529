/**
 * Index cache benchmark (issue 22, item 1): the inspector benchmark's store
 * (1,000,000 ops over 100,000 keys in 4 agent WALs), copied to a temporary
 * folder, opened once with an index cache (a build, the cache written after
 * it), then opened again unchanged, and again after each WAL grew by 1% (the
 * WALs cut back and the cache of the unchanged store put back after each run). Each figure is a
 * ratio to the floor (read + JSON.parse every WAL line) measured in this run.
 * Prints a markdown table.
 *
 *   npx tsx engine/bench/reopen.ts      (or npm run bench -- reopen)
 */
import { appendFile, copyFile, cp, mkdtemp, readFile, readdir, rm, stat, truncate, utimes } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { openInspector } from "../src/inspect/index.js";
import { indexCacheWrites } from "../src/inspect/index-cache.js";
import type { IndexCacheEvent } from "../src/inspect/index-cache.js";
import { agentNames, agentWals, BENCH_BASE_MS, cachedAgentStore } from "./agent-store.js";

const OPS = 1_000_000;
const KEYS = 100_000;
const AGENTS = agentNames(4);
const GROWTH = 0.01;
const RUNS = 3;
const SOURCE = join(process.env.OPSLOG_BENCH_DIR ?? "/tmp/opslog-bench", `inspect-${OPS}`);

const ms = (t: number) => `${t.toFixed(1)} ms`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

/** The floor: read every WAL and JSON.parse every line, nothing else. */
async function floor(dir: string): Promise<number> {
  const start = performance.now();
  for (const name of await readdir(join(dir, "ops"))) {
    const text = await readFile(join(dir, "ops", name), "utf-8");
    for (const line of text.split("\n")) if (line) JSON.parse(line);
  }
  return performance.now() - start;
}

/** Open with the cache in `cacheDir`: how long the open took (as the inspector benchmark times a build), and what it did with the cache. */
async function timedOpen(dir: string, cacheDir: string): Promise<{ took: number; event: IndexCacheEvent | undefined; total: number }> {
  gc();
  const events: IndexCacheEvent[] = [];
  const start = performance.now();
  const insp = await openInspector(dir, { indexCache: { dir: cacheDir, maxBytes: 8 * 1024 ** 3 }, onIndexCache: (e) => events.push(e) });
  const took = performance.now() - start;
  const { total } = await insp.timelineInfo();
  await insp.close();
  await indexCacheWrites();
  return { took, event: events.find((e) => e.kind === "hit" || e.kind === "miss"), total };
}

/** Append `share` more ops to the agents' WALs, continuing the generator's order (clocks and times after the last op). */
async function grow(dir: string, share: number): Promise<number> {
  const extra = Math.round(OPS * share);
  const wals = agentWals(AGENTS);
  const lines = AGENTS.map(() => [] as string[]);
  for (let i = OPS; i < OPS + extra; i++) {
    const a = i % AGENTS.length;
    const id = `grown-${i}`;
    const data = { title: `Task ${id} for the benchmark`, status: "todo", n: i, owner: AGENTS[a] };
    lines[a].push(JSON.stringify({ ts: new Date(BENCH_BASE_MS + 10 + i * 10).toISOString(), op: "set", id, data, prev: null, agent: AGENTS[a], clock: Math.floor(i / AGENTS.length) + 1 }));
  }
  for (const [a, wal] of wals.entries()) await appendFile(join(dir, wal), lines[a].join("\n") + "\n");
  return extra;
}

async function main(): Promise<void> {
  if (await cachedAgentStore(SOURCE, { ops: OPS, keys: KEYS, agents: AGENTS })) console.log(`Generated ${OPS} ops in ${SOURCE}`);
  const work = await mkdtemp(join(tmpdir(), "opslog-reopen-"));
  try {
    const store = join(work, "store");
    const cacheDir = join(work, "cache");
    await cp(SOURCE, store, { recursive: true });
    const floorMs = Math.min(await floor(store), await floor(store));
    const cold = await timedOpen(store, cacheDir);
    if (cold.event?.kind !== "miss") throw new Error(`the first open should build: ${JSON.stringify(cold.event)}`);
    const [cacheFile] = await readdir(cacheDir);
    const cacheBytes = (await stat(join(cacheDir, cacheFile))).size;
    const kept = join(work, "unchanged.idx");
    await copyFile(join(cacheDir, cacheFile), kept);

    const unchanged: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await timedOpen(store, cacheDir);
      if (run.event?.kind !== "hit" || run.event.grown || run.total !== cold.total) throw new Error(`an unchanged reopen should load the cache: ${JSON.stringify(run.event)}, ${run.total} ops`);
      unchanged.push(run.took);
    }
    // Each run grows the WALs, opens, then cuts them back (same inodes, times put back) and puts the unchanged store's cache back.
    const wals = [];
    for (const wal of agentWals(AGENTS)) wals.push({ path: join(store, wal), ...(await stat(join(store, wal))) });
    const grownRuns: number[] = [];
    let extra = 0;
    for (let i = 0; i < RUNS; i++) {
      await copyFile(kept, join(cacheDir, cacheFile));
      extra = await grow(store, GROWTH);
      const run = await timedOpen(store, cacheDir);
      if (run.event?.kind !== "hit" || !run.event.grown || run.total !== cold.total + extra) throw new Error(`a grown reopen should load the cache and tail: ${JSON.stringify(run.event)}, ${run.total} ops`);
      grownRuns.push(run.took);
      for (const wal of wals) {
        await truncate(wal.path, wal.size);
        await utimes(wal.path, wal.atimeMs / 1000, wal.mtimeMs / 1000);
      }
    }
    const best = (list: number[]) => Math.min(...list);
    const x = (t: number) => `${(t / floorMs).toFixed(3)} x floor`;
    const rows = [
      ["Floor: read + JSON.parse every WAL line (best of 2)", ms(floorMs), ""],
      ["First open, index built, cache written after it (in the background)", ms(cold.took), `${x(cold.took)}; cache file ${mb(cacheBytes)}`],
      [`Reopen, unchanged (best of ${RUNS})`, ms(best(unchanged)), `${x(best(unchanged))} (target <= 0.1 x); runs ${unchanged.map(ms).join(", ")}`],
      [`Reopen after the WALs grew by ${GROWTH * 100}% (${extra.toLocaleString("en")} ops; best of ${RUNS})`, ms(best(grownRuns)), `${x(best(grownRuns))} (target <= 0.15 x); runs ${grownRuns.map(ms).join(", ")}`],
    ];
    console.log(`\n${OPS.toLocaleString("en")} ops, ${KEYS.toLocaleString("en")} keys, ${AGENTS.length} agent WALs; load average ${loadavg().map((l) => l.toFixed(2)).join(" ")} (2 cores)\n`);
    console.log("| Measure | Value | Note |\n|---|---|---|");
    for (const [m, v, n] of rows) console.log(`| ${m} | ${v} | ${n} |`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
