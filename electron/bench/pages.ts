// `npx tsx electron/bench/pages.ts`: records.page (200 rows, with and without
// a filter) on a 1,000,000-record store, through the handlers (what Electron
// IPC calls) and through browser-mode HTTP. p50/p99 over random offsets.
// Target: p99 <= 30 ms for an unfiltered page. The store is cached under
// /tmp/opslog-bench/pages-1m (written directly: a JSONL snapshot + empty WAL).
import { createWriteStream } from "node:fs";
import { access, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
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

type PageCall = (arg: Record<string, unknown>) => Promise<{ total: number }>;

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
  const rows: string[] = [];
  const row = (via: string, what: string, r: { p50: number; p99: number; total: number }) =>
    rows.push(`| ${via} | ${what} | ${r.total.toLocaleString("en")} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`);

  t = performance.now();
  const handlers = new Handlers({ appData: new AppData(home), pollMs: 0 });
  unwrap(await handlers.dispatch("store.open", { dir: DIR }));
  const openMs = performance.now() - t;
  const viaHandlers: PageCall = async (arg) => unwrap(await handlers.dispatch("records.page", arg));
  row("handlers", "unfiltered", await measure(viaHandlers));
  row("handlers", `filter ${JSON.stringify(filter)}`, await measure(viaHandlers, filter));
  await handlers.closeSession();

  const server = await startServer({ dir: DIR, appData: new AppData(home), pollMs: 0, staticDir: home });
  const viaHttp: PageCall = async (arg) => {
    const res = await fetch(`http://127.0.0.1:${server.port}/api/call/records.page`, { method: "POST", headers: { "content-type": "application/json", "x-opslog-token": server.token }, body: JSON.stringify(arg) });
    return unwrap((await res.json()) as { ok: boolean });
  };
  row("HTTP (browser mode)", "unfiltered", await measure(viaHttp));
  row("HTTP (browser mode)", `filter ${JSON.stringify(filter)}`, await measure(viaHttp, filter));
  await server.close();
  await rm(home, { recursive: true, force: true });

  console.log(`\nrecords.page, ${PAGE} rows, ${SAMPLES} random offsets, ${RECORDS.toLocaleString("en")}-record store (open read-only: ${(openMs / 1000).toFixed(1)} s)\n`);
  console.log("| via | page | total | p50 ms | p99 ms |");
  console.log("| --- | --- | ---: | ---: | ---: |");
  for (const line of rows) console.log(line);
  console.log("\ntarget: p99 <= 30 ms for an unfiltered page");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
