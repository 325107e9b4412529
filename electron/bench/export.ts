// `npx tsx electron/bench/export.ts` (`npm run bench -- export`): exporting a
// 1,000,000-record store, as CSV and JSONL to a file (export.save, what the
// desktop app's save dialog leads to), as a browser-mode download (GET
// /api/download/export.download, read and dropped), and as a new store (export.store). For each:
// time, rows/s, bytes, and the growth of this process's RSS over its level
// with the store open (sampled every 20 ms): the export is streamed a page at
// a time, so the growth stays far below the size of what is written.
// The store is the pages benchmark's (/tmp/opslog-bench/pages-1m), made here
// the same way when absent: a JSONL snapshot + an empty WAL.
import { createWriteStream } from "node:fs";
import { access, mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { AppData } from "../appdata.js";
import { Handlers } from "../handlers.js";
import { startServer } from "../serve.js";
import { prng } from "../../engine/src/demo.js";

const RECORDS = 1_000_000;
const DIR = "/tmp/opslog-bench/pages-1m";
const BASE_MS = Date.UTC(2026, 0, 1);
const STATUSES = ["todo", "doing", "review", "done"];
const MB = 1024 * 1024;

/** The same store as electron/bench/pages.ts builds (same seed, same layout), unless it is cached. */
async function generate(dir: string): Promise<void> {
  if (await access(join(dir, "manifest.json")).then(() => true, () => false)) return;
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

/** Run `work`, sampling RSS every 20 ms: its time and the peak RSS over the level before it started. */
async function measured<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; growthMb: number }> {
  globalThis.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const start = performance.now();
  const value = await work();
  const ms = performance.now() - start;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { value, ms, growthMb: (peak - base) / MB };
}

function unwrap<T>(envelope: { ok: boolean; value?: unknown; error?: { message: string } }): T {
  if (!envelope.ok) throw new Error(envelope.error?.message);
  return envelope.value as T;
}

async function main(): Promise<void> {
  let t = performance.now();
  await generate(DIR);
  console.error(`store ready: ${DIR} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  const home = await mkdtemp(join(tmpdir(), "opslog-bench-export-"));
  const rows: string[] = [];
  const row = (via: string, what: string, count: number, bytes: number, r: { ms: number; growthMb: number }) =>
    rows.push(`| ${via} | ${what} | ${count.toLocaleString("en")} | ${(bytes / MB).toFixed(1)} | ${(r.ms / 1000).toFixed(1)} | ${Math.round(count / (r.ms / 1000)).toLocaleString("en")} | ${r.growthMb.toFixed(0)} |`);

  t = performance.now();
  const handlers = new Handlers({ appData: new AppData(home), pollMs: 0 });
  unwrap(await handlers.dispatch("store.open", { dir: DIR }));
  const openMs = performance.now() - t;
  for (const format of ["csv", "jsonl"] as const) {
    const path = join(home, `records.${format}`);
    const r = await measured(async () => unwrap<{ rows: number; bytes: number }>(await handlers.dispatch("export.save", { source: { kind: "records" }, format, path })));
    row("export.save (file)", `all records, ${format}`, r.value.rows, r.value.bytes, r);
    await rm(path);
  }
  const filtered = join(home, "filtered.csv");
  const f = await measured(async () => unwrap<{ rows: number; bytes: number }>(await handlers.dispatch("export.save", { source: { kind: "records", filter: { status: "done" } }, format: "csv", path: filtered })));
  row("export.save (file)", 'filter {status: "done"}, csv', f.value.rows, f.value.bytes, f);
  const target = join(home, "new-store");
  const s = await measured(async () => unwrap<{ records: number }>(await handlers.dispatch("export.store", { dir: target })));
  const snapshots = await readdir(join(target, "snapshots"));
  row("export.store (new store)", "state now, JSON snapshot", s.value.records, (await stat(join(target, "snapshots", snapshots[0]))).size, s);
  await handlers.store.closeSession();

  const server = await startServer({ dir: DIR, appData: new AppData(home), pollMs: 0, staticDir: home });
  await server.handlers.store.settled(); // the store opens behind the server: the download is timed once it is open
  const arg = encodeURIComponent(JSON.stringify({ source: { kind: "records" }, format: "jsonl" }));
  const d = await measured(async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/api/download/export.download?token=${server.token}&arg=${arg}`);
    if (res.status !== 200) throw new Error(`GET /api/download/export.download answered ${res.status}: ${await res.text()}`);
    let bytes = 0;
    let lines = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const b of chunk) if (b === 10) lines++;
    }
    return { bytes, lines };
  });
  row("GET /api/download/export.download", "all records, jsonl", d.value.lines, d.value.bytes, d);
  await server.close();
  await rm(home, { recursive: true, force: true });

  console.log(`\nexport, ${RECORDS.toLocaleString("en")}-record store (open read-only: ${(openMs / 1000).toFixed(1)} s; RSS growth = peak RSS during the export minus RSS before it, whole process)\n`);
  console.log("| via | what | rows | MB written | s | rows/s | RSS growth MB |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
  for (const line of rows) console.log(line);
  console.log("\ntarget: RSS growth stays bounded (well under the MB written): one page of rows at a time");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
