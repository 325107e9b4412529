/**
 * Inspector benchmark: 1,000,000 ops over 100,000 keys in 4 agent WALs
 * (generated once, cached under $OPSLOG_BENCH_DIR or /tmp/opslog-bench).
 * Measures index build against the floor (read + JSON.parse every line),
 * memory after build, random seeks, a diff and filters, side by side with
 * the published opslog opening the same store, each figure beside its
 * target (issue 13). Prints a markdown table.
 * Then one 50 MB WAL line against the same bytes spread over many lines:
 * opening must stay linear in bytes, however long a line is.
 *
 *   npx tsx engine/bench/inspect.ts        (add --expose-gc via NODE_OPTIONS for steadier memory figures)
 *   npx tsx engine/bench/inspect.ts long-line    (the long-line table only)
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Store as Published } from "@backloghq/opslog";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { openInspector } from "../src/inspect/index.js";
import type { InspectorApi } from "../src/inspect/index.js";
import { openInspectorThread } from "../src/inspect/thread.js";
import { prng } from "../src/demo.js";
import { agentNames, bytesOnDisk, cachedAgentStore } from "./agent-store.js";
import type { MemoryFigures } from "./rss-child.js";

const OPS = 1_000_000;
const KEYS = 100_000;
const AGENTS = agentNames(4);
const BASE_MS = Date.UTC(2026, 0, 5, 8, 0, 0);
const DIR = join(process.env.OPSLOG_BENCH_DIR ?? "/tmp/opslog-bench", `inspect-${OPS}`);



/** CPU time (user + sys, every thread of the process) of the cheapest run of each measure: less sensitive than wall time to a shared machine. */
const cpuMs = { floor: Infinity, build: Infinity };
const cpuSince = (before: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(before);
  return (user + system) / 1000;
};

/** The floor: read every WAL and JSON.parse every line, nothing else. */
async function floor(dir: string): Promise<number> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  let n = 0;
  for (const name of await readdir(join(dir, "ops"))) {
    const text = await readFile(join(dir, "ops", name), "utf-8");
    for (const line of text.split("\n")) if (line) n += JSON.parse(line) ? 1 : 0;
  }
  if (n !== OPS) throw new Error(`floor read ${n} ops, expected ${OPS}`);
  cpuMs.floor = Math.min(cpuMs.floor, cpuSince(cpu));
  return performance.now() - start;
}

/** The published opslog on the same data: read-only (it reads activeOps only) and as a registered agent (all 4 WALs). */
async function timePublishedOpen(dir: string): Promise<string[][]> {
  const rows: string[][] = [];
  for (const [label, options] of [
    ["read-only, no agent: reads activeOps, 1 of 4 WALs", { readOnly: true }],
    ["as agent-a: reads all 4 WALs, writes nothing", { agentId: AGENTS[0], checkpointOnClose: false }],
  ] as const) {
    const start = performance.now();
    const store = new Published();
    try {
      await store.open(dir, options);
      rows.push([`Published opslog 0.8.1 open, ${label}`, ms(performance.now() - start), `${store.count()} records`]);
      await store.close();
    } catch (err) {
      rows.push([`Published opslog 0.8.1 open, ${label}`, "fails", `${(err as Error).name}: ${(err as Error).message}`]);
    }
    gc();
  }
  return rows;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const ms = (t: number) => `${t.toFixed(1)} ms`;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

const rebuilds: number[] = [];

/** One more index build, timed, then dropped. */
async function timeBuild(parallel: "auto" | "never" = "auto"): Promise<number> {
  gc();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const insp = await openInspector(DIR, { parallel });
  const took = performance.now() - start;
  if (parallel === "auto") cpuMs.build = Math.min(cpuMs.build, cpuSince(cpu));
  await insp.close();
  return took;
}

/**
 * How long this thread is held up while the store opens and a first filter
 * runs on it: the longest event loop delay (what a UI request arriving then
 * would wait), with the inspector here and in its own thread (as the app
 * opens it). Also how long the two took.
 */
async function mainThreadStall(): Promise<{ here: [number, number]; thread: [number, number] }> {
  const measure = async (open: () => Promise<InspectorApi>): Promise<[number, number]> => {
    gc();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const start = performance.now();
    const insp = await open();
    await insp.records({ offset: 0, limit: 200, filter: { status: "done" } });
    const took = performance.now() - start;
    delay.disable();
    await insp.close();
    return [delay.max / 1e6, took];
  };
  return { here: await measure(() => openInspector(DIR)), thread: await measure(() => openInspectorThread(DIR)) };
}

/**
 * A filter at a past position asked the moment the store is open, in a fresh
 * inspector: only what the build kept (kept-columns.ts) has been read.
 */
async function filterRightAfterOpen(): Promise<{ openMs: number; filterMs: number }> {
  gc();
  const start = performance.now();
  const insp = await openInspector(DIR);
  const openMs = performance.now() - start;
  const { total } = await insp.timelineInfo();
  const s = performance.now();
  await insp.records({ at: Math.floor(total / 3), offset: 0, limit: 200, filter: { status: "review", n: { $gt: 100_000 } } });
  const filterMs = performance.now() - s;
  await insp.close();
  return { openMs, filterMs };
}

/** Build the index, then seek, diff and filter on it; the index is dropped on return. */
async function measureInspector() {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const insp = await openInspector(DIR);
  const buildMs = performance.now() - t0;
  cpuMs.build = Math.min(cpuMs.build, cpuSince(cpu));
  gc();
  const mem = process.memoryUsage();
  const { total } = await insp.timelineInfo();

  const random = prng(7);
  const seeks: number[] = [];
  for (let i = 0; i < 200; i++) {
    const at = Math.floor(random() * (total + 1));
    const s = performance.now();
    await insp.records({ at, offset: 0, limit: 200 });
    seeks.push(performance.now() - s);
  }
  seeks.sort((a, b) => a - b);

  // What following the store live costs while nobody writes: one poll every 400 ms.
  const polls: number[] = [];
  for (let i = 0; i < 20; i++) {
    const p = performance.now();
    await insp.refresh();
    polls.push(performance.now() - p);
  }
  polls.sort((x, y) => x - y);

  const buckets = await measureBuckets(insp);
  const a = Math.floor(total / 2);
  let s = performance.now();
  const diff = await insp.diff({ a, b: a + 10_000, offset: 0, limit: 200 });
  const diffMs = performance.now() - s;
  // Compare with a filter: the whole diff is read to find the records whose value before or after matches.
  s = performance.now();
  const filteredDiff = await insp.diff({ a, b: a + 10_000, offset: 0, limit: 200, filter: { status: "review" } });
  const filteredDiffMs = performance.now() - s;

  s = performance.now();
  const filtered = await insp.records({ at: a, offset: 0, limit: 200, filter: { status: "review", n: { $gt: 100_000 } } });
  const filterMs = performance.now() - s;
  // The Timeline steps on with the filter applied: the next position reuses what this one read.
  s = performance.now();
  await insp.records({ at: a + 1, offset: 0, limit: 200, filter: { status: "review", n: { $gt: 100_000 } } });
  const filterNextMs = performance.now() - s;

  // The current state: the values a filter names come from the columns (read back only where the build did not keep them).
  s = performance.now();
  const headFiltered = await insp.records({ offset: 0, limit: 200, filter: { status: "review", n: { $gt: 100_000 } } });
  const headFilterMs = performance.now() - s;
  s = performance.now();
  await insp.records({ offset: 0, limit: 200, filter: { status: "done" } });
  const headFilterAgainMs = performance.now() - s;
  gc();
  const memAfterHead = process.memoryUsage();

  // Elsewhere: a first filter at a new position and on fields not asked yet, and a new diff.
  const b = Math.floor(total / 4);
  s = performance.now();
  await insp.records({ at: b, offset: 0, limit: 200, filter: { status: "review", n: { $gt: 100_000 } } });
  const otherFilterMs = performance.now() - s;
  s = performance.now();
  await insp.records({ offset: 0, limit: 200, filter: { owner: "agent-b", title: { $gte: "Task task-05" } } });
  const otherHeadMs = performance.now() - s;
  s = performance.now();
  await insp.diff({ a: b, b: b + 10_000, offset: 0, limit: 200 });
  const otherDiffMs = performance.now() - s;
  gc();
  const memOther = process.memoryUsage();
  await insp.close();

  return { buildMs, mem, seeks, polls, buckets, diff, diffMs, filteredDiff, filteredDiffMs, filtered, filterMs, filterNextMs, headFiltered, headFilterMs, headFilterAgainMs, memAfterHead, total, otherFilterMs, otherHeadMs, otherDiffMs, memOther };
}

/** The charts' call: the whole timeline in 400 time buckets (as the Timeline draws it; the first call lays out each op's time), again at another width, then a zoom to its middle tenth. */
async function measureBuckets(insp: InspectorApi) {
  let s = performance.now();
  const all = await insp.buckets({ buckets: 400 });
  const firstMs = performance.now() - s;
  s = performance.now();
  await insp.buckets({ buckets: 401 });
  const againMs = performance.now() - s;
  const from = Date.parse(all.from!);
  const span = Date.parse(all.to!) - from;
  s = performance.now();
  await insp.buckets({ buckets: 400, from: new Date(from + span * 0.45).toISOString(), to: new Date(from + span * 0.55).toISOString() });
  return { firstMs, againMs, zoomMs: performance.now() - s, count: all.buckets.length };
}

const LONG_LINE_BYTES = 50 * 1024 * 1024;
const SPREAD_LINES = 12_800;
/** Runs of each long-line measure, alternating: the best counts */
const RUNS = 5;

/** A single-writer store whose WAL holds `bytes` of record text in `lines` set ops (opslog 0.8's layout). */
async function writeWideStore(dir: string, bytes: number, lines: number): Promise<number> {
  await rm(dir, { recursive: true, force: true });
  for (const sub of ["snapshots", "ops", "archive"]) await mkdir(join(dir, sub), { recursive: true });
  const snapshot = `snapshots/snap-${BASE_MS}.jsonl`;
  const wal = `ops/ops-${BASE_MS + 1}.jsonl`;
  await writeFile(join(dir, snapshot), JSON.stringify({ version: 1, timestamp: new Date(BASE_MS).toISOString() }) + "\n");
  const body = "x".repeat(Math.floor(bytes / lines));
  const stream = createWriteStream(join(dir, wal));
  for (let i = 0; i < lines; i++) {
    const op = { ts: new Date(BASE_MS + 10 + i).toISOString(), op: "set", id: `doc-${i}`, data: { body, n: i }, prev: null };
    if (!stream.write(JSON.stringify(op) + "\n")) await new Promise<void>((r) => stream.once("drain", () => r()));
  }
  await new Promise((r) => stream.end(r));
  const manifest = {
    version: 1, currentSnapshot: snapshot, activeOps: wal, archiveSegments: [],
    stats: { activeRecords: 0, archivedRecords: 0, opsCount: lines, created: new Date(BASE_MS).toISOString(), lastCheckpoint: new Date(BASE_MS).toISOString() },
  };
  await writeFile(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
  return (await stat(join(dir, wal))).size;
}

/** Best of `runs` timings of each of `opens`, taken in turn so that a busy moment of a shared machine hits both alike. */
async function bestOfEach(runs: number, ...opens: (() => Promise<void>)[]): Promise<number[]> {
  const best = opens.map(() => Infinity);
  for (let i = 0; i < runs; i++) {
    for (const [k, open] of opens.entries()) {
      gc();
      const start = performance.now();
      await open();
      best[k] = Math.min(best[k], performance.now() - start);
    }
  }
  return best;
}

/** One 50 MB line against the same bytes over 12,800 lines: inspector and published opslog open each. */
async function longLineRows(): Promise<string[][]> {
  const base = join(process.env.OPSLOG_BENCH_DIR ?? "/tmp/opslog-bench", "long-line");
  const longDir = join(base, "one-line");
  const spreadDir = join(base, "spread");
  const longBytes = await writeWideStore(longDir, LONG_LINE_BYTES, 1);
  const spreadBytes = await writeWideStore(spreadDir, LONG_LINE_BYTES, SPREAD_LINES);
  const inspect = (dir: string, ops: number) => async () => {
    const insp = await openInspector(dir);
    const { total } = await insp.timelineInfo();
    await insp.close();
    if (total !== ops) throw new Error(`${dir}: the inspector read ${total} ops, expected ${ops}`);
  };
  const published = (dir: string, records: number) => async () => {
    const store = new Published();
    await store.open(dir, { readOnly: true });
    if (store.count() !== records) throw new Error(`${dir}: the published opslog read ${store.count()} records, expected ${records}`);
    await store.close();
  };
  const [longMs, spreadMs] = await bestOfEach(RUNS, inspect(longDir, 1), inspect(spreadDir, SPREAD_LINES));
  const [publishedLongMs, publishedSpreadMs] = await bestOfEach(RUNS, published(longDir, 1), published(spreadDir, SPREAD_LINES));
  await rm(base, { recursive: true, force: true });
  return [
    [`Inspector open, one 50 MB WAL line (best of ${RUNS})`, ms(longMs), `${mb(longBytes)} WAL; ${(longMs / spreadMs).toFixed(2)} x the same bytes over many lines (target <= 1.5 x)`],
    [`Inspector open, the same bytes over ${SPREAD_LINES.toLocaleString("en")} lines (best of ${RUNS})`, ms(spreadMs), `${mb(spreadBytes)} WAL`],
    [`Published opslog 0.8.1 open (read-only), one 50 MB line (best of ${RUNS})`, ms(publishedLongMs), `inspector: ${(longMs / publishedLongMs).toFixed(2)} x`],
    [`Published opslog 0.8.1 open (read-only), ${SPREAD_LINES.toLocaleString("en")} lines (best of ${RUNS})`, ms(publishedSpreadMs), `inspector: ${(spreadMs / publishedSpreadMs).toFixed(2)} x`],
  ];
}

/**
 * The memory rows as the app runs the engine: rss-child in a process of its own, bundled by
 * build/bench.mjs beside the workers (or, run outside it, from the sources under tsx, which says so).
 */
function appMemory(): { figures: MemoryFigures; how: string } {
  const bundle = process.env.OPSLOG_ENGINE_WORKERS ? join(process.env.OPSLOG_ENGINE_WORKERS, "rss-child.cjs") : "";
  const bundled = bundle !== "" && existsSync(bundle);
  const args = bundled ? ["--expose-gc", bundle, DIR] : ["--expose-gc", "--import", "tsx", new URL("./rss-child.ts", import.meta.url).pathname, DIR];
  const run = spawnSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (run.status !== 0) throw new Error(`rss-child failed with exit code ${run.status}`);
  const figures = JSON.parse(run.stdout.trim().split("\n").pop()!) as MemoryFigures;
  return { figures, how: bundled ? "bundled, inspector in its thread, as the app runs it" : "from the sources under tsx (run through `npm run bench` for the bundled figure)" };
}

function printTable(rows: string[][]): void {
  console.log("| Measure | Value | Note |\n|---|---|---|");
  for (const [m, v, n] of rows) console.log(`| ${m} | ${v} | ${n} |`);
}

async function main(): Promise<void> {
  if (await cachedAgentStore(DIR, { ops: OPS, keys: KEYS, agents: AGENTS })) console.log(`Generated ${OPS} ops in ${DIR}`);
  const disk = await bytesOnDisk(DIR);
  const rssBefore = process.memoryUsage().rss;
  const inspected = await measureInspector();
  gc();
  // The floor runs after the inspector, so its garbage does not inflate the inspector's RSS.
  // Build and floor alternate twice and the best of each counts: the machine may be shared.
  const floorMs = Math.min(await floor(DIR), await timeBuild().then(async (again) => {
    rebuilds.push(again);
    return floor(DIR);
  }));
  const serialMs = await timeBuild("never");
  const stall = await mainThreadStall();
  const app = appMemory();
  const ofDisk = (bytes: number) => `${(bytes / disk).toFixed(2)} x disk`;
  const early = await filterRightAfterOpen();
  const published = await timePublishedOpen(DIR);
  const { mem, seeks, polls, buckets, diff, diffMs, filteredDiff, filteredDiffMs, filtered, filterMs, filterNextMs, headFiltered, headFilterMs, headFilterAgainMs, memAfterHead, total, otherFilterMs, otherHeadMs, otherDiffMs, memOther } = inspected;
  const buildMs = Math.min(inspected.buildMs, ...rebuilds);
  const x = (t: number) => `${(t / floorMs).toFixed(3)} x floor`;

  const rows = [
    ["Store on disk", mb(disk), ""],
    ["Floor: read + JSON.parse every WAL line (best of 2)", ms(floorMs), `CPU time (user + sys) ${ms(cpuMs.floor)}`],
    ["Inspector index build (best of 2)", ms(buildMs), `${(buildMs / floorMs).toFixed(2)} x floor (target <= 1.0 x); CPU time ${ms(cpuMs.build)} = ${(cpuMs.build / cpuMs.floor).toFixed(2)} x the floor's`],
    ["Inspector index build, all in one thread (parallel: \"never\")", ms(serialMs), `${(serialMs / floorMs).toFixed(2)} x floor`],
    ...published,
    ["RSS after build, this process (sources under tsx, inspector in this thread)", mb(mem.rss), `${ofDisk(mem.rss)} (target <= 2 x); grew ${mb(mem.rss - rssBefore)} from ${mb(rssBefore)}`],
    [`RSS after build and a first page, engine ${app.how}`, mb(app.figures.afterOpen), `${ofDisk(app.figures.afterOpen)} (target <= 2 x); grew ${mb(app.figures.afterOpen - app.figures.before)} from ${mb(app.figures.before)}`],
    ["Heap used after build", mb(mem.heapUsed), `${(mem.heapUsed / disk).toFixed(2)} x disk; heap total ${mb(mem.heapTotal)}, external ${mb(mem.external)}`],
    ["Longest stall of the calling thread, open + first filter on the current state: inspector in that thread", ms(stall.here[0]), `both took ${ms(stall.here[1])}`],
    ["... inspector in its own thread (as the app opens it)", ms(stall.thread[0]), `both took ${ms(stall.thread[1])}`],
    ["Random seek, records({at, limit: 200}) p50", ms(quantile(seeks, 0.5)), "200 positions"],
    ["Random seek p99", ms(quantile(seeks, 0.99)), "target <= 50 ms"],
    ["A poll that finds nothing new, refresh() p50", ms(quantile(polls, 0.5)), `20 polls; p99 ${ms(quantile(polls, 0.99))}`],
    ["Charts: the buckets query, whole timeline in 400 buckets, first call", ms(buckets.firstMs), `${buckets.count} buckets (target <= 150 ms); lays out each op's time once`],
    ["... again in 401 buckets / zoomed to a tenth", `${ms(buckets.againMs)} / ${ms(buckets.zoomMs)}`, "target <= 150 ms"],
    ["Diff 10,000 ops apart, first page", ms(diffMs), `${diff.total} ids differ; ${x(diffMs)}; target <= 50 ms`],
    ["Compare: the same diff filtered by a query ({status: \"review\"}), first page", ms(filteredDiffMs), `${filteredDiff.total} of them match before or after`],
    ["Filtered page of 200 at a position", ms(filterMs), `${filtered.total} match; ${x(filterMs)}; target <= 150 ms`],
    ["... the same, asked the moment the store is open (nothing read yet but what the build kept)", ms(early.filterMs), `${x(early.filterMs)}; the open took ${ms(early.openMs)}`],
    ["The same filter one position on (a Timeline step)", ms(filterNextMs), `re-checks only the records the op touched; target <= 30 ms`],
    ["Filtered page of 200 on the current state, first", ms(headFilterMs), `${headFiltered.total} match; ${x(headFilterMs)}; target <= 150 ms`],
    ["Another filter on the current state", ms(headFilterAgainMs), "target <= 50 ms"],
    ["RSS after the current state is filtered, this process", mb(memAfterHead.rss), `${ofDisk(memAfterHead.rss)} (reported: the app runs no tsx)`],
    ["RSS after the current state is filtered, engine as the app runs it", mb(app.figures.afterHead), `${ofDisk(app.figures.afterHead)} (target <= 1.0 x); grew ${mb(app.figures.afterHead - app.figures.before)}`],
    ["Filtered page of 200 at another position, first filter there", ms(otherFilterMs), `${x(otherFilterMs)}; target <= 150 ms`],
    ["First filter on the current state on fields not asked yet", ms(otherHeadMs), `${x(otherHeadMs)}; target <= 150 ms`],
    ["Diff 10,000 ops apart elsewhere, first page", ms(otherDiffMs), `${x(otherDiffMs)}; target <= 50 ms`],
    ["RSS after those, this process", mb(memOther.rss), `${ofDisk(memOther.rss)} (reported)`],
    ["RSS after those, engine as the app runs it", mb(app.figures.afterOthers), `${ofDisk(app.figures.afterOthers)} (target <= 1.0 x)`],
  ];
  console.log(`\n${OPS.toLocaleString("en")} ops, ${KEYS.toLocaleString("en")} keys, ${AGENTS.length} agent WALs; ${total} timeline ops\n`);
  printTable(rows);
}

if (!process.argv.includes("long-line")) await main();
console.log("\nOne long WAL line against the same bytes over many lines\n");
printTable(await longLineRows());
