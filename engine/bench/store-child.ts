// One measurement in a fresh process, so each figure's memory is its own:
// `node --import tsx engine/bench/store-child.ts <what> <dir>` prints {ms, rssMb, n}.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Store as Published } from "@backloghq/opslog";
import { Store as Engine } from "../src/index.js";

const [what, dir] = process.argv.slice(2);
const SETS = 20_000;

async function openWith(StoreClass: typeof Engine | typeof Published): Promise<number> {
  const store = new StoreClass();
  await store.open(dir, { readOnly: true });
  return store.count();
}

/** The floor: read the same files and JSON.parse them, nothing else (the parsed values are kept, as any reader must). */
async function floor(): Promise<number> {
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8"));
  const snapshot = JSON.parse(await readFile(join(dir, manifest.currentSnapshot), "utf-8"));
  const wal = await readFile(join(dir, manifest.activeOps), "utf-8");
  const ops: unknown[] = [];
  for (const line of wal.split("\n")) if (line) ops.push(JSON.parse(line));
  return Object.keys(snapshot.records).length + ops.length;
}

async function sets(StoreClass: typeof Engine | typeof Published): Promise<number> {
  const store = new StoreClass();
  await store.open(dir, { checkpointThreshold: Number.MAX_SAFE_INTEGER, checkpointOnClose: false });
  const started = performance.now();
  for (let i = 0; i < SETS; i++) await store.set(`k${i % 5000}`, { title: `task ${i}`, status: i % 3 ? "open" : "done", n: i });
  const ms = performance.now() - started;
  await store.close();
  return ms;
}

const started = performance.now();
let n = 0;
let ms: number;
if (what === "open-engine") n = await openWith(Engine);
else if (what === "open-published") n = await openWith(Published);
else if (what === "floor") n = await floor();
if (what === "set-engine" || what === "set-published") {
  ms = await sets(what === "set-engine" ? Engine : Published);
  n = SETS;
} else ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024, n }) + "\n");
