/**
 * One store's figures for the ten-million-op benchmark (ten.ts), measured in
 * a process of its own so that each store's memory is its own:
 * `node --expose-gc --import tsx engine/bench/ten-child.ts <dir> <ops>`
 * prints one JSON object of timings (ms) and sizes (bytes) on its last line,
 * and what it is doing on stderr. The same steps run for every size, so
 * their ratios compare. Build and floor also give their CPU time (every
 * thread of the process): a busy shared machine stretches wall time, far
 * less CPU time.
 */
import { open, readdir } from "node:fs/promises";
import { join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { Store as Published } from "@backloghq/opslog";
import { openInspector } from "../src/inspect/index.js";
import { prng } from "../src/demo.js";
import { bytesOnDisk } from "./agent-store.js";

export interface StoreFigures {
  diskBytes: number;
  floorMs: number;
  floorCpuMs: number;
  buildMs: number;
  buildCpuMs: number;
  publishedReadOnlyMs: number;
  rssAfterBuild: number;
  firstRowsMs: number;
  pastFilterEarlyMs: number;
  headFilterEarlyMs: number;
  seekP99Ms: number;
  diffMs: number;
  rssAfterHead: number;
  pastFilterOtherMs: number;
  headFilterOtherMs: number;
  rssOther: number;
  pastMatches: number;
  headMatches: number;
}

const CHUNK_BYTES = 16 << 20;
const SEEKS = 200;
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const say = (what: string) => process.stderr.write(`  ${new Date().toISOString().slice(11, 19)} ${what}\n`);

function cpuMs(since: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
}


/**
 * The floor: read every WAL in 16 MB chunks and JSON.parse every line,
 * nothing else (a whole 340 MB WAL as one string is near V8's string limit).
 */
async function floor(dir: string, ops: number): Promise<{ ms: number; cpuMs: number }> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  let n = 0;
  const buffer = Buffer.alloc(CHUNK_BYTES);
  for (const name of await readdir(join(dir, "ops"))) {
    const file = await open(join(dir, "ops", name), "r");
    const decoder = new StringDecoder("utf-8");
    let rest = "";
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      const lines = (rest + decoder.write(buffer.subarray(0, bytesRead))).split("\n");
      rest = lines.pop()!;
      for (const line of lines) if (line) n += JSON.parse(line) ? 1 : 0;
    }
    if (rest) n += JSON.parse(rest) ? 1 : 0;
    await file.close();
  }
  if (n !== ops) throw new Error(`floor read ${n} ops in ${dir}, expected ${ops}`);
  return { ms: performance.now() - start, cpuMs: cpuMs(cpu) };
}

/** The published opslog opening the store read-only: it reads the manifest's activeOps only, one WAL of the agents'. */
async function publishedReadOnly(dir: string): Promise<number> {
  const start = performance.now();
  const store = new Published();
  await store.open(dir, { readOnly: true });
  const ms = performance.now() - start;
  await store.close();
  return ms;
}

async function timed<T>(run: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await run();
  return [performance.now() - start, value];
}

/**
 * Open, then in order: the first page of the current state, a filter at a
 * past position and one on the current state right after the open, random
 * seeks, a diff; then a filter at another past position and one on the
 * current state on fields not asked yet. Filters name n at a tenth of the ops, so their share of matches is the
 * same at every size.
 */
async function measureInspector(dir: string, ops: number) {
  gc();
  say("open");
  const t0 = performance.now();
  const cpu = process.cpuUsage();
  const insp = await openInspector(dir);
  const buildMs = performance.now() - t0;
  const buildCpuMs = cpuMs(cpu);
  say("first rows, filters, seeks, diff");
  const [firstRowsMs] = await timed(() => insp.records({ offset: 0, limit: 200 }));
  gc();
  const rssAfterBuild = process.memoryUsage().rss;
  const { total } = await insp.timelineInfo();
  if (total !== ops) throw new Error(`the inspector reads ${total} ops in ${dir}, expected ${ops}`);
  const filter = { status: "review", n: { $gt: Math.floor(ops / 10) } };
  const [pastFilterEarlyMs, past] = await timed(() => insp.records({ at: Math.floor(total / 3), offset: 0, limit: 200, filter }));
  const [headFilterEarlyMs, head] = await timed(() => insp.records({ offset: 0, limit: 200, filter }));

  const random = prng(7);
  const seeks: number[] = [];
  for (let i = 0; i < SEEKS; i++) {
    const at = Math.floor(random() * (total + 1));
    seeks.push((await timed(() => insp.records({ at, offset: 0, limit: 200 })))[0]);
  }
  seeks.sort((a, b) => a - b);
  const a = Math.floor(total / 2);
  const [diffMs] = await timed(() => insp.diff({ a, b: a + 10_000, offset: 0, limit: 200 }));
  gc();
  const rssAfterHead = process.memoryUsage().rss;

  say("filters elsewhere");
  const [pastFilterOtherMs] = await timed(() => insp.records({ at: Math.floor(total / 4), offset: 0, limit: 200, filter }));
  const [headFilterOtherMs] = await timed(() => insp.records({ offset: 0, limit: 200, filter: { owner: "agent-b", title: { $gte: "Task task-05" } } }));
  gc();
  const rssOther = process.memoryUsage().rss;
  await insp.close();
  const seekP99Ms = seeks[Math.min(seeks.length - 1, Math.floor(0.99 * seeks.length))];
  return { buildMs, buildCpuMs, rssAfterBuild, firstRowsMs, pastFilterEarlyMs, headFilterEarlyMs, seekP99Ms, diffMs, rssAfterHead, pastFilterOtherMs, headFilterOtherMs, rssOther, pastMatches: past.total, headMatches: head.total };
}

async function main(): Promise<void> {
  const [dir, opsArg] = process.argv.slice(2);
  const ops = Number(opsArg);
  const inspected = await measureInspector(dir, ops);
  gc();
  // The floor runs after the inspector, so its garbage does not inflate the inspector's RSS.
  say("floor");
  const { ms: floorMs, cpuMs: floorCpuMs } = await floor(dir, ops);
  gc();
  say("published opslog, read-only");
  const publishedReadOnlyMs = await publishedReadOnly(dir);
  const figures: StoreFigures = { ...inspected, floorMs, floorCpuMs, publishedReadOnlyMs, diskBytes: await bytesOnDisk(dir) };
  console.log(JSON.stringify(figures));
}

await main();
