/**
 * S3 benchmark: opening a 100,000-op store that lives on S3 (s3rver on this
 * machine, so the network is loopback: the figures are the explorer's own
 * cost per object, not a real region's latency). Written once by the
 * published opslog + opslog-s3 (4 agents, 10 ops per write, so 10,000 batch
 * objects; cached under $OPSLOG_BENCH_DIR or /tmp/opslog-bench/s3-100k).
 * Rows: the first open (empty cache: list, fetch every object, index), the
 * second open (cache warm: one listing, nothing fetched) and the listing
 * alone (on s3rver, which reads each object's metadata file, most of it), the same store
 * copied to a folder and opened from disk, and the published opslog-s3
 * opening it (Store.open as an agent). Prints a markdown table.
 *
 *   npx tsx engine/bench/s3.ts
 */
import { access, mkdtemp, rm } from "node:fs/promises";
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
import { copyS3StoreToFolder, task } from "../test/s3/fixtures.js";
import type { Task } from "../test/s3/fixtures.js";

const OPS = 100_000;
const PER_WRITE = 10;
const KEYS = 10_000;
const AGENTS = ["agent-a", "agent-b", "agent-c", "agent-d"];
const PREFIX = "bench/store";
const DATA = join(process.env.OPSLOG_BENCH_DIR ?? "/tmp/opslog-bench", "s3-100k");
const STATUSES = ["todo", "doing", "review", "done"];

async function generate(server: S3TestServer): Promise<void> {
  const stores: Published<Task>[] = [];
  for (const agentId of AGENTS) {
    const store = new Published<Task>();
    await store.open(PREFIX, { backend: new S3Backend({ bucket: server.bucket, prefix: PREFIX, client: server.client() }), agentId, checkpointThreshold: 10 * OPS, checkpointOnClose: false });
    stores.push(store);
  }
  for (let write = 0; write < OPS / PER_WRITE; write++) {
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
  if (fresh) {
    console.error(`writing ${OPS.toLocaleString()} ops (${(OPS / PER_WRITE).toLocaleString()} objects) to s3rver with the published opslog-s3 (once; cached in ${DATA})…`);
    await generate(server);
    await import("node:fs/promises").then((fs) => fs.writeFile(join(DATA, "ready"), ""));
  }
  const cache = await mkdtemp(join(tmpdir(), "opslog-s3-bench-cache-"));
  const location = parseS3Url(server.url(PREFIX));
  const openFromS3 = async () => {
    const mirror = new S3Mirror(location, createS3Client(location), cache);
    const sync = await mirror.sync();
    const insp = await openInspector(mirror.dir);
    const ops = (await insp.timelineInfo()).total;
    await insp.close();
    await mirror.release(); // the next open (a new session) takes the cache
    return { sync, ops };
  };
  const rows: string[][] = [];
  const [firstMs, first] = await timed(openFromS3);
  rows.push(["explorer, first open (empty cache)", `${firstMs.toFixed(0)} ms`, String(first.ops), `${first.sync.fetchedObjects} objects, ${(first.sync.fetchedBytes / 1e6).toFixed(1)} MB`]);
  const [secondMs, second] = await timed(openFromS3);
  rows.push(["explorer, second open (cached)", `${secondMs.toFixed(0)} ms`, String(second.ops), `${second.sync.fetchedObjects} objects (${second.sync.listed} listed)`]);
  const [listMs, listed] = await timed(() => new S3Objects(createS3Client(location), location).list());
  rows.push(["of which: one listing of the prefix (all pages)", `${listMs.toFixed(0)} ms`, "-", `${listed.length} objects listed`]);
  const folder = await mkdtemp(join(tmpdir(), "opslog-s3-bench-folder-"));
  await copyS3StoreToFolder(server, PREFIX, folder);
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
      await store.open(PREFIX, { backend: new S3Backend({ bucket: server.bucket, prefix: PREFIX, client: server.client() }), agentId: "bench-reader", checkpointOnClose: false, checkpointThreshold: 10 * OPS });
      const n = store.count();
      await store.close();
      return n;
    });
    rows.push(["published opslog-s3, Store.open as an agent", `${publishedMs.toFixed(0)} ms`, `(${publishedCount} records)`, "every batch object, no cache across processes"]);
  } catch (err) {
    rows.push(["published opslog-s3, Store.open as an agent", `failed: ${(err as Error).message}`, "-", "every batch object at once, unbounded"]);
  }
  console.log(`\n${OPS.toLocaleString()} ops in ${(OPS / PER_WRITE).toLocaleString()} batch objects on s3rver (loopback), 4 agents\n`);
  console.log("| open | time | ops | transferred |\n| --- | --- | --- | --- |");
  for (const row of rows) console.log(`| ${row.join(" | ")} |`);
  await rm(cache, { recursive: true, force: true });
  await rm(folder, { recursive: true, force: true });
  await server.close();
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
