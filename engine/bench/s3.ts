/**
 * S3 benchmark: opening a 100,000-op store that lives on S3 (s3rver on this
 * machine, so the network is loopback: the figures are the explorer's own
 * cost per object, not a real region's latency). Written once by the
 * published opslog + opslog-s3 (4 agents, 10 ops per write, so 10,000 batch
 * objects; cached under $OPSLOG_BENCH_DIR or /tmp/opslog-bench/s3-100k), in
 * two forms: as written (no compaction: the current period is the whole
 * store), and compacted after 90,000 ops (the retired WALs are history that
 * opslog-s3's own open never reads).
 * Rows: the first open current period first, as the app opens it (empty
 * cache: list, fetch the manifest and what it names, index, first records
 * page: the current state on screen; then the history behind it, and the
 * index refreshed to the whole store), the first open (empty cache: list,
 * fetch every object, index), the second open (cache warm: one listing, nothing fetched) and the listing
 * alone (on s3rver, which reads each object's metadata file, most of it), the same store
 * copied to a folder and opened from disk, and the published opslog-s3
 * opening it (Store.open as an agent). Prints a markdown table.
 *
 *   npx tsx engine/bench/s3.ts
 */
import { access, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Store as Published } from "@backloghq/opslog";
import { S3Backend } from "@backloghq/opslog-s3";
import { openInspector } from "../src/inspect/index.js";
import { createS3Client } from "../src/s3/client.js";
import { parseS3Url } from "../src/s3/location.js";
import { S3Mirror } from "../src/s3/mirror.js";
import { S3Objects } from "../src/s3/objects.js";
import { startS3Server } from "../test/helpers/s3server.js";
import type { S3TestServer } from "../test/helpers/s3server.js";
import { copyS3StoreToFolder, nextMs, task } from "../test/s3/fixtures.js";
import type { Task } from "../test/s3/fixtures.js";

const OPS = 100_000;
const PER_WRITE = 10;
const KEYS = 10_000;
const AGENTS = ["agent-a", "agent-b", "agent-c", "agent-d"];
/** The stores: as written (every op in the current period), and compacted at 90% (most of it history behind the current period). */
const STORES = [
  { prefix: "bench/store", ready: "ready", compactAt: null, title: "4 agents, no compaction (the current period is the whole store)" },
  { prefix: "bench/compacted", ready: "ready-compacted", compactAt: 0.9 * OPS, title: "4 agents, compacted after 90,000 ops (90,000 ops of history behind the current period)" },
];
const DATA = join(process.env.OPSLOG_BENCH_DIR ?? "/tmp/opslog-bench", "s3-100k");
const STATUSES = ["todo", "doing", "review", "done"];

/**
 * The store at `prefix`: OPS ops by four agents. With `compactAt`, agent-a
 * compacts after that many ops (the others reopen, as they must, to write to
 * WALs of the new period): the ops before it are history behind the current
 * period (retired WALs), which opslog-s3's own open never reads.
 */
async function generate(server: S3TestServer, prefix: string, compactAt: number | null): Promise<void> {
  const open = async (agentId: string) => {
    const store = new Published<Task>();
    await store.open(prefix, { backend: new S3Backend({ bucket: server.bucket, prefix, client: server.client() }), agentId, checkpointThreshold: 10 * OPS, checkpointOnClose: false });
    return store;
  };
  const stores: Published<Task>[] = [];
  for (const agentId of AGENTS) stores.push(await open(agentId));
  for (let write = 0; write < OPS / PER_WRITE; write++) {
    if (compactAt !== null && write * PER_WRITE === compactAt) {
      await nextMs(); // snapshots and WALs are named by the millisecond
      await stores[0].compact();
      for (let i = 1; i < stores.length; i++) {
        await stores[i].close();
        stores[i] = await open(AGENTS[i]);
      }
      await nextMs();
    }
    const store = stores[write % stores.length];
    await store.batch(() => {
      for (let j = 0; j < PER_WRITE; j++) {
        const i = write * PER_WRITE + j;
        void store.set(`task-${i % KEYS}`, task(i % KEYS, STATUSES[i % 4]));
      }
    });
  }
  for (const store of stores) await store.close();
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const result = await fn();
  return [performance.now() - start, result];
}

async function main(): Promise<void> {
  const fresh = await access(join(DATA, "ready")).then(() => false, () => true);
  if (fresh) await rm(DATA, { recursive: true, force: true });
  const server = await startS3Server("opslog-bench", join(DATA, "s3rver"));
  for (const store of STORES) {
    if (await access(join(DATA, store.ready)).then(() => true, () => false)) continue;
    console.error(`writing ${OPS.toLocaleString()} ops (${(OPS / PER_WRITE).toLocaleString()} objects) to s3rver at ${store.prefix} with the published opslog-s3 (once; cached in ${DATA})…`);
    await generate(server, store.prefix, store.compactAt);
    await writeFile(join(DATA, store.ready), "");
  }
  for (const store of STORES) {
    const rows = await benchStore(server, store.prefix);
    console.log(`\n${OPS.toLocaleString()} ops in ${(OPS / PER_WRITE).toLocaleString()} batch objects on s3rver (loopback), ${store.title}\n`);
    console.log("| open | time | ops | transferred |\n| --- | --- | --- | --- |");
    for (const row of rows) console.log(`| ${row.join(" | ")} |`);
  }
  await server.close();
}

/** Every row for the store at `prefix`, each open on an empty cache of its own unless it says otherwise. */
async function benchStore(server: S3TestServer, prefix: string): Promise<string[][]> {
  const cache = await mkdtemp(join(tmpdir(), "opslog-s3-bench-cache-"));
  const location = parseS3Url(server.url(prefix));
  const openFromS3 = async (cacheRoot = cache) => {
    const mirror = new S3Mirror(location, createS3Client(location), cacheRoot);
    const sync = await mirror.sync();
    const insp = await openInspector(mirror.dir);
    const ops = (await insp.timelineInfo()).total;
    await insp.close();
    await mirror.release(); // the next open (a new session) takes the cache
    return { sync, ops };
  };
  const rows: string[][] = [];
  const whole = (ms: number, open: { sync: { fetchedObjects: number; fetchedBytes: number }; ops: number }, run: number) => ["explorer, first open, every object before the index (empty cache)" + ` (run ${run} of 2)`, `${ms.toFixed(0)} ms`, String(open.ops), `${open.sync.fetchedObjects} objects, ${(open.sync.fetchedBytes / 1e6).toFixed(1)} MB`];
  // The whole first open before and after the current-first one: the two are compared at the same load.
  const throwaway = await mkdtemp(join(tmpdir(), "opslog-s3-bench-whole-"));
  const [beforeMs, before] = await timed(() => openFromS3(throwaway));
  await rm(throwaway, { recursive: true, force: true });
  rows.push(whole(beforeMs, before, 1));
  // As the app opens it: the current period, its records shown; then the history, the same index refreshed.
  const currentFirst = await mkdtemp(join(tmpdir(), "opslog-s3-bench-current-"));
  const started = performance.now();
  const early = new S3Mirror(location, createS3Client(location), currentFirst);
  const current = await early.sync(undefined, "current");
  const shown = await openInspector(early.dir);
  const records = await shown.records({ offset: 0, limit: 100 });
  const shownMs = performance.now() - started;
  const history = await early.sync();
  await shown.refresh();
  const wholeOps = (await shown.timelineInfo()).total;
  const wholeMs = performance.now() - started;
  await shown.close();
  await early.release();
  await rm(currentFirst, { recursive: true, force: true });
  rows.push(["explorer, first open: current state shown (records page)", `${shownMs.toFixed(0)} ms`, `(${records.total} records)`, `${current.fetchedObjects} objects, ${(current.fetchedBytes / 1e6).toFixed(1)} MB; the history not listed yet`]);
  rows.push(["explorer, first open: the history in, index refreshed", `${wholeMs.toFixed(0)} ms`, String(wholeOps), `${history.fetchedObjects} more objects, ${(history.fetchedBytes / 1e6).toFixed(1)} MB`]);
  const [firstMs, first] = await timed(() => openFromS3());
  rows.push(whole(firstMs, first, 2));
  const [secondMs, second] = await timed(() => openFromS3());
  rows.push(["explorer, second open (cached)", `${secondMs.toFixed(0)} ms`, String(second.ops), `${second.sync.fetchedObjects} objects (${second.sync.listed} listed)`]);
  const [listMs, listed] = await timed(() => new S3Objects(createS3Client(location), location).list());
  rows.push(["of which: one listing of the prefix (all pages)", `${listMs.toFixed(0)} ms`, "-", `${listed.length} objects listed`]);
  const folder = await mkdtemp(join(tmpdir(), "opslog-s3-bench-folder-"));
  await copyS3StoreToFolder(server, prefix, folder);
  const [diskMs, diskOps] = await timed(async () => {
    const insp = await openInspector(folder);
    const total = (await insp.timelineInfo()).total;
    await insp.close();
    return total;
  });
  rows.push(["explorer, the same store on disk", `${diskMs.toFixed(0)} ms`, String(diskOps), "-"]);
  // The published backend fetches every batch at once (Promise.all, no bound): on a big store it may fail; say so rather than stop.
  try {
    const [publishedMs, publishedCount] = await timed(async () => {
      const store = new Published<Task>();
      await store.open(prefix, { backend: new S3Backend({ bucket: server.bucket, prefix: prefix, client: server.client() }), agentId: "bench-reader", checkpointOnClose: false, checkpointThreshold: 10 * OPS });
      const n = store.count();
      await store.close();
      return n;
    });
    rows.push(["published opslog-s3, Store.open as an agent", `${publishedMs.toFixed(0)} ms`, `(${publishedCount} records)`, "every batch object, no cache across processes"]);
  } catch (err) {
    rows.push(["published opslog-s3, Store.open as an agent", `failed: ${(err as Error).message}`, "-", "every batch object at once, unbounded"]);
  }
  await rm(cache, { recursive: true, force: true });
  await rm(folder, { recursive: true, force: true });
  return rows;
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
