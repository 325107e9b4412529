/**
 * One store's figures for the ten-million-op benchmark (ten.ts), measured in
 * a process of its own so that each store's memory is its own:
 * `node --expose-gc --import tsx engine/bench/ten-child.ts <dir> <ops>`
 * prints one JSON object of timings (ms) and sizes (bytes) on its last line.
 * The same steps run for every size, so their ratios compare.
 */
import { open, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { openInspector } from "../src/inspect/index.js";
import type { InspectorApi } from "../src/inspect/index.js";
import { prng } from "../src/demo.js";

export interface StoreFigures {
  diskBytes: number;
  floorMs: number;
  buildMs: number;
  rssAfterBuild: number;
  firstRowsMs: number;
  pastFilterEarlyMs: number;
  headFilterEarlyMs: number;
  seekP99Ms: number;
  diffMs: number;
  rssAfterHead: number;
  sweptMs: number;
  pastFilterSweptMs: number;
  headFilterSweptMs: number;
  rssSwept: number;
  pastMatches: number;
  headMatches: number;
}

const CHUNK_BYTES = 16 << 20;
const SEEKS = 200;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function bytesOnDisk(dir: string): Promise<number> {
  let total = 0;
  for (const sub of ["", "snapshots", "ops"]) {
    for (const name of await readdir(join(dir, sub))) {
      const info = await stat(join(dir, sub, name));
      if (info.isFile()) total += info.size;
    }
  }
  return total;
}

/**
 * The floor: read every WAL in 16 MB chunks and JSON.parse every line,
 * nothing else (a whole 340 MB WAL as one string is near V8's string limit).
 */
async function floor(dir: string, ops: number): Promise<number> {
  const start = performance.now();
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
  return performance.now() - start;
}

async function timed<T>(run: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await run();
  return [performance.now() - start, value];
}

/**
 * Open, then in order: the first page of the current state, a filter at a
 * past position and one on the current state while the column sweep has
 * barely begun, random seeks, a diff; then, once the sweep is over, a filter
 * at another past position and one on the current state on fields not asked
 * yet. Filters name n at a tenth of the ops, so their share of matches is the
 * same at every size.
 */
async function measureInspector(dir: string, ops: number) {
  gc();
  const t0 = performance.now();
  const insp = await openInspector(dir);
  const buildMs = performance.now() - t0;
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

  await (insp as InspectorApi & { columnsSwept(): Promise<void> }).columnsSwept();
  const sweptMs = performance.now() - t0 - buildMs;
  const [pastFilterSweptMs] = await timed(() => insp.records({ at: Math.floor(total / 4), offset: 0, limit: 200, filter }));
  const [headFilterSweptMs] = await timed(() => insp.records({ offset: 0, limit: 200, filter: { owner: "agent-b", title: { $gte: "Task task-05" } } }));
  gc();
  const rssSwept = process.memoryUsage().rss;
  await insp.close();
  const seekP99Ms = seeks[Math.min(seeks.length - 1, Math.floor(0.99 * seeks.length))];
  return { buildMs, rssAfterBuild, firstRowsMs, pastFilterEarlyMs, headFilterEarlyMs, seekP99Ms, diffMs, rssAfterHead, sweptMs, pastFilterSweptMs, headFilterSweptMs, rssSwept, pastMatches: past.total, headMatches: head.total };
}

/** An index build alone, timed, then dropped. */
async function timeBuild(dir: string): Promise<number> {
  gc();
  const [ms, insp] = await timed(() => openInspector(dir));
  await insp.close();
  return ms;
}

async function main(): Promise<void> {
  const [dir, opsArg] = process.argv.slice(2);
  const ops = Number(opsArg);
  const inspected = await measureInspector(dir, ops);
  gc();
  // The floor runs after the inspector, so its garbage does not inflate the inspector's RSS.
  // Build and floor alternate twice and the best of each counts: the machine is shared.
  const firstFloor = await floor(dir, ops);
  const rebuild = await timeBuild(dir);
  gc();
  const floorMs = Math.min(firstFloor, await floor(dir, ops));
  const figures: StoreFigures = { ...inspected, buildMs: Math.min(inspected.buildMs, rebuild), floorMs, diskBytes: await bytesOnDisk(dir) };
  console.log(JSON.stringify(figures));
}

await main();
