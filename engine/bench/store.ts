/**
 * Store benchmark: open (read-only) of 1,000,000 records + 200,000 WAL ops,
 * engine vs the published opslog vs the floor (readFile + JSON.parse), and
 * set() throughput in immediate mode; each measurement in its own process,
 * alternating, 3 rounds; medians. `npx tsx engine/bench/store.ts`
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = process.env.OPSLOG_BENCH_DIR ?? "/tmp/opslog-bench";
const DIR = join(ROOT, "store-1m");
const RECORDS = 1_000_000;
const OPS = 200_000;
const ROUNDS = 3;

function record(i: number, rev = 0): Record<string, unknown> {
  return { title: `Task ${i}: index the agent transcripts`, status: ["todo", "doing", "done"][(i + rev) % 3], owner: `agent-${i % 7}`, estimate: (i * 7 + rev) % 13, tags: ["ops", "bench"], rev };
}

async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  let buffer = "";
  for (const line of lines) {
    buffer += line + "\n";
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, "drain");
      buffer = "";
    }
  }
  out.end(buffer);
  await once(out, "finish");
}

/** Files as the engine writes them: a single-object JSON snapshot (one record a line) and a full-prev WAL. */
async function generate(): Promise<void> {
  if (existsSync(join(DIR, "manifest.json"))) return;
  console.error(`generating ${RECORDS} records + ${OPS} ops in ${DIR} …`);
  await rm(DIR, { recursive: true, force: true });
  for (const sub of ["snapshots", "ops", "archive"]) await mkdir(join(DIR, sub), { recursive: true });
  const ts = "2026-03-01T00:00:00.000Z";
  await writeLines(join(DIR, "snapshots/snap-1.json"), (function* () {
    yield `{"version":1,"timestamp":"${ts}","records":{`;
    for (let i = 0; i < RECORDS; i++) yield `${JSON.stringify(`task-${i}`)}:${JSON.stringify(record(i))}${i < RECORDS - 1 ? "," : ""}`;
    yield "}}";
  })());
  await writeLines(join(DIR, "ops/ops-2.jsonl"), (function* () {
    for (let j = 0; j < OPS; j++) {
      const i = (j * 7919) % RECORDS;
      yield JSON.stringify({ ts, op: "set", id: `task-${i}`, data: record(i, j + 1), prev: record(i) });
    }
  })());
  const manifest = { version: 1, currentSnapshot: "snapshots/snap-1.json", activeOps: "ops/ops-2.jsonl", archiveSegments: [], stats: { activeRecords: RECORDS, archivedRecords: 0, opsCount: 0, created: ts, lastCheckpoint: ts } };
  await writeFile(join(DIR, "manifest.json"), JSON.stringify(manifest, null, 2));
}

function child(what: string, dir: string): { ms: number; rssMb: number; n: number } {
  const out = execFileSync(process.execPath, ["--max-old-space-size=8192", "--import", "tsx", "engine/bench/store-child.ts", what, dir], { encoding: "utf-8", stdio: ["ignore", "pipe", "inherit"] });
  return JSON.parse(out.trim().split("\n").pop()!);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

await generate();
const bytes = (await stat(join(DIR, "snapshots/snap-1.json"))).size + (await stat(join(DIR, "ops/ops-2.jsonl"))).size;
const results: Record<string, { ms: number[]; rss: number[] }> = {};
const add = (key: string, r: { ms: number; rssMb: number }) => {
  results[key] ??= { ms: [], rss: [] };
  results[key].ms.push(r.ms);
  results[key].rss.push(r.rssMb);
};
for (let round = 0; round < ROUNDS; round++) {
  for (const what of ["open-engine", "open-published", "floor"]) add(what, child(what, DIR));
  for (const what of ["set-engine", "set-published"]) {
    const fresh = await mkdtemp(join(tmpdir(), "opslog-bench-set-"));
    add(what, child(what, fresh));
    await rm(fresh, { recursive: true, force: true });
  }
  console.error(`round ${round + 1}/${ROUNDS} done`);
}
const m = (key: string) => median(results[key].ms);
const r = (key: string) => median(results[key].rss);
const setRate = (key: string) => 20_000 / (m(key) / 1000);
console.log(`\nStore: ${RECORDS.toLocaleString()} records + ${OPS.toLocaleString()} WAL ops (${(bytes / 1e6).toFixed(0)} MB on disk); medians of ${ROUNDS} alternating rounds, one process each\n`);
console.log("| measure | engine | published 0.8.1 | floor | engine / published | engine / floor | target |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
console.log(`| open, read-only (ms) | ${m("open-engine").toFixed(0)} | ${m("open-published").toFixed(0)} | ${m("floor").toFixed(0)} | ${(m("open-engine") / m("open-published")).toFixed(2)} | ${(m("open-engine") / m("floor")).toFixed(2)} | <= 0.9 and <= 1.1 |`);
console.log(`| open peak RSS (MB) | ${r("open-engine").toFixed(0)} | ${r("open-published").toFixed(0)} | ${r("floor").toFixed(0)} | ${(r("open-engine") / r("open-published")).toFixed(2)} | | <= 1.0 |`);
console.log(`| set(), immediate (ops/s) | ${setRate("set-engine").toFixed(0)} | ${setRate("set-published").toFixed(0)} | | ${(setRate("set-engine") / setRate("set-published")).toFixed(2)} | | >= 1.0 |`);
console.log(`| set() peak RSS (MB) | ${r("set-engine").toFixed(0)} | ${r("set-published").toFixed(0)} | | ${(r("set-engine") / r("set-published")).toFixed(2)} | | <= 1.0 |`);
