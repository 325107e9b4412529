// `npx tsx electron/bench/pages.ts`: the records call (200 rows, with and without
// a filter) on a 1,000,000-record store, through the handlers (what Electron
// IPC calls) and through browser-mode HTTP. p50/p99 over random offsets.
// Beside them, measured in the same run: the floor (read + JSON.parse every
// snapshot line) and the published opslog (its open, and the same pages taken
// from its records in memory). Targets: open <= 1.0 x floor, p99 <= 30 ms for
// an unfiltered page and <= 50 ms for a filtered one. The store is cached under
// /tmp/opslog-bench/pages-1m (written directly: a JSONL snapshot + empty WAL).
import { createWriteStream } from "node:fs";
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Store as Published } from "@backloghq/opslog";
import { AppData } from "../appdata.js";
import { Handlers } from "../handlers.js";
import { startServer } from "../serve.js";
import { prng } from "../../engine/src/demo.js";

const RECORDS = 1_000_000;
const PAGE = 200;
const SAMPLES = 200;
const DIR = "/tmp/opslog-bench/pages-1m";
const BASE_MS = Date.UTC(2026, 0, 1);
const STATUSES = ["todo", "doing", "review", "done"];


async function generate(dir: string): Promise<void> {
  try {
    await access(join(dir, "manifest.json"));
    return; // cached
  } catch {
    /* build it */
  }
  await rm(dir, { recursive: true, force: true });
  for (const sub of ["snapshots", "ops", "archive"]) await mkdir(join(dir, sub), { recursive: true });
  const snapshot = `snapshots/snap-${BASE_MS}.jsonl`;
  const wal = `ops/ops-${BASE_MS}.jsonl`;
  const random = prng(7);
  const out = createWriteStream(join(dir, snapshot));
  out.write(JSON.stringify({ version: 1, timestamp: new Date(BASE_MS).toISOString() }) + "\n");
  for (let i = 0; i < RECORDS; i++) {
    const data = { title: `Task ${i} for the page benchmark`, status: STATUSES[Math.floor(random() * 4)], estimate: Math.floor(random() * 13), owner: `agent-${i % 7}` };
    if (!out.write(JSON.stringify({ id: `task-${String(i).padStart(7, "0")}`, data }) + "\n")) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  await new Promise((r) => out.end(r));
  await writeFile(join(dir, wal), "");
  const stamp = new Date(BASE_MS).toISOString();
  const manifest = { version: 1, currentSnapshot: snapshot, activeOps: wal, archiveSegments: [], stats: { activeRecords: RECORDS, archivedRecords: 0, opsCount: 0, created: stamp, lastCheckpoint: stamp } };
  await writeFile(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
}

/** The floor: read the snapshot and JSON.parse every line, nothing else. */
async function floor(dir: string): Promise<number> {
  const start = performance.now();
  const text = await readFile(join(dir, "snapshots", `snap-${BASE_MS}.jsonl`), "utf-8");
  let n = 0;
  for (const line of text.split("\n")) if (line) n += JSON.parse(line) ? 1 : 0;
  if (n !== RECORDS + 1) throw new Error(`floor read ${n} lines, expected ${RECORDS + 1}`);
  return performance.now() - start;
}

type Doc = { status: string; estimate: number };

/** The published opslog opens the store read-only; its page is a slice of all() or of filter(), as a user of the library would take it. */
async function publishedPages(dir: string, filter: (doc: Doc) => boolean): Promise<{ openMs: number; store: Published<Doc>; page: (filtered: boolean) => PageCall }> {
  const start = performance.now();
  const store = new Published<Doc>();
  await store.open(dir, { readOnly: true });
  const openMs = performance.now() - start;
  const page = (filtered: boolean): PageCall => async (arg) => {
    const docs = filtered ? store.filter(filter) : store.all();
    const offset = arg.offset as number;
    return { total: docs.length, rows: docs.slice(offset, offset + (arg.limit as number)) };
  };
  return { openMs, store, page };
}

type PageCall = (arg: Record<string, unknown>) => Promise<{ total: number; rows?: unknown[] }>;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Time SAMPLES pages at random offsets (after 5 warm-up calls). */
async function measure(call: PageCall, filter?: Record<string, unknown>): Promise<{ p50: number; p99: number; total: number }> {
  const { total } = await call({ offset: 0, limit: PAGE, ...(filter ? { filter } : {}) });
  const random = prng(99);
  const offset = () => Math.floor(random() * Math.max(1, total - PAGE));
  for (let i = 0; i < 5; i++) await call({ offset: offset(), limit: PAGE, ...(filter ? { filter } : {}) });
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const arg = { offset: offset(), limit: PAGE, ...(filter ? { filter } : {}) };
    const start = performance.now();
    await call(arg);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), total };
}

function unwrap(envelope: { ok: boolean; value?: unknown; error?: { message: string } }): { total: number } {
  if (!envelope.ok) throw new Error(envelope.error?.message);
  return envelope.value as { total: number };
}

async function main(): Promise<void> {
  let t = performance.now();
  await generate(DIR);
  console.error(`store ready: ${DIR} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  const home = await mkdtemp(join(tmpdir(), "opslog-bench-home-"));
  const filter = { status: "done", estimate: { $gte: 6 } };
  const floorMs = Math.min(await floor(DIR), await floor(DIR));
  const rows: string[] = [];
  const row = (via: string, what: string, r: { p50: number; p99: number; total: number }, ours = true) => {
    const target = ours ? `<= ${what === "unfiltered" ? 30 : 50} ms` : "(for comparison)";
    rows.push(`| ${via} | ${what} | ${r.total.toLocaleString("en")} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${(r.p99 / floorMs).toFixed(4)} x | ${target} |`);
  };

  t = performance.now();
  const handlers = new Handlers({ appData: new AppData(home), pollMs: 0 });
  unwrap(await handlers.dispatch("store.open", { dir: DIR }));
  const openMs = performance.now() - t;
  const viaHandlers: PageCall = async (arg) => unwrap(await handlers.dispatch("records", arg));
  row("handlers", "unfiltered", await measure(viaHandlers));
  row("handlers", `filter ${JSON.stringify(filter)}`, await measure(viaHandlers, filter));
  await handlers.store.closeSession();

  const server = await startServer({ dir: DIR, appData: new AppData(home), pollMs: 0, staticDir: home });
  await server.handlers.store.settled(); // the store opens behind the server: pages are timed once it is open
  const viaHttp: PageCall = async (arg) => {
    const res = await fetch(`http://127.0.0.1:${server.port}/api/call/records`, { method: "POST", headers: { "content-type": "application/json", "x-opslog-token": server.token }, body: JSON.stringify(arg) });
    return unwrap((await res.json()) as { ok: boolean });
  };
  row("HTTP (browser mode)", "unfiltered", await measure(viaHttp));
  row("HTTP (browser mode)", `filter ${JSON.stringify(filter)}`, await measure(viaHttp, filter));
  await server.close();
  await rm(home, { recursive: true, force: true });

  const published = await publishedPages(DIR, (doc) => doc.status === filter.status && doc.estimate >= filter.estimate.$gte);
  const via = "published opslog 0.8.1 (all() / filter(), then a slice)";
  row(via, "unfiltered", await measure(published.page(false)), false);
  row(via, `filter ${JSON.stringify(filter)}`, await measure(published.page(true), filter), false);
  await published.store.close();

  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`\nThe records call, ${PAGE} rows, ${SAMPLES} random offsets, ${RECORDS.toLocaleString("en")}-record store\n`);
  console.log("| measure | value | note |\n| --- | --- | --- |");
  console.log(`| Floor: read + JSON.parse every snapshot line (best of 2) | ${s(floorMs)} | |`);
  console.log(`| Open read-only through the handlers | ${s(openMs)} | ${(openMs / floorMs).toFixed(2)} x floor (target <= 1.0 x), ${(openMs / published.openMs).toFixed(2)} x published |`);
  console.log(`| Published opslog 0.8.1 open, read-only | ${s(published.openMs)} | ${(published.openMs / floorMs).toFixed(2)} x floor |`);
  console.log("\n| via | page | total | p50 ms | p99 ms | p99 x floor | target (p99) |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: | --- |");
  for (const line of rows) console.log(line);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
