// A store for the schema tests (Node and e2e), written by the published
// opslog, and the expectations computed independently of the inspector: the
// state at any position by replaying the raw WAL lines, and each field's
// figures by plain loops over those records. No vitest here: e2e imports it.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Store as Published } from "@backloghq/opslog";

export type Doc = Record<string, unknown>;

const STATUSES = ["todo", "doing", "review", "done"];
const TEAMS = ["core", "infra", "ui"];
const TAGS = ["bug", "infra", "agents", "docs", "ui"];

/** A deterministic pseudo-random sequence (the test's own, not the engine's). */
function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

/** A task with every kind of field the schema describes: strings, numbers, booleans, ISO dates, nulls, nested objects, arrays; some fields only on some records. */
function taskValue(i: number, random: () => number): Doc {
  const doc: Doc = { title: `Task number ${i}`, status: STATUSES[Math.floor(random() * 4)], estimate: 1 + Math.floor(random() * 13), done: random() < 0.3 };
  if (random() < 0.5) doc.due = new Date(Date.UTC(2026, 0, 1 + Math.floor(random() * 200), 9)).toISOString();
  if (random() < 0.6) doc.owner = { name: `agent-${Math.floor(random() * 5)}`, team: TEAMS[Math.floor(random() * 3)] };
  if (random() < 0.2) doc.estimate = random() < 0.5 ? null : Math.round(random() * 1000) / 100;
  doc.tags = TAGS.filter(() => random() < 0.35);
  return doc;
}

/**
 * `records` creations, then as many updates and a few deletes, in one WAL
 * with no compaction (so position p is the state after the WAL's first p
 * lines). Returns the number of ops written.
 */
export async function writeSchemaStore(dir: string, records = 240): Promise<number> {
  const store = new Published<Doc>();
  await store.open(dir, { checkpointThreshold: 1_000_000, checkpointOnClose: false });
  const random = lcg(11);
  let ops = 0;
  for (let i = 0; i < records; i++, ops++) await store.set(`task-${String(i).padStart(4, "0")}`, taskValue(i, random));
  for (let i = 0; i < records; i++, ops++) await store.set(`task-${String(Math.floor(random() * records)).padStart(4, "0")}`, taskValue(i + records, random));
  for (let i = 0; i < records / 20; i++) {
    const id = `task-${String(i * 7).padStart(4, "0")}`;
    if (store.get(id) === undefined) continue;
    await store.delete(id);
    ops++;
  }
  await store.close();
  return ops;
}

/** The state after the first `at` lines of the active WAL (all of them when at is undefined), by replaying the raw lines. */
export async function replayRawWal(dir: string, at?: number): Promise<Map<string, Doc>> {
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { activeOps: string };
  const lines = (await readFile(join(dir, manifest.activeOps), "utf-8")).split("\n").filter((l) => l.trim() !== "");
  const state = new Map<string, Doc>();
  for (const line of lines.slice(0, at ?? lines.length)) {
    const op = JSON.parse(line) as { op: string; id: string; data?: Doc };
    if (op.op === "set") state.set(op.id, op.data!);
    else state.delete(op.id);
  }
  return state;
}

/** Every value each field path holds across the records (nested objects walked; arrays are values). */
export function valuesByPath(docs: Doc[]): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  const walk = (doc: Doc, prefix: string) => {
    for (const [key, value] of Object.entries(doc)) {
      const path = prefix + key;
      if (!out.has(path)) out.set(path, []);
      out.get(path)!.push(value);
      if (value && typeof value === "object" && !Array.isArray(value)) walk(value as Doc, `${path}.`);
    }
  };
  docs.forEach((d) => walk(d, ""));
  return out;
}

/** The test's own type names: ISO date strings are "date" (every string this store writes either is one or has no digits-dash start). */
export function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "string") return /^\d{4}-\d\d-\d\dT/.test(v) ? "date" : "string";
  return typeof v;
}

/** How often each item occurs in a list, commonest first. */
export function countsOf<T>(items: T[]): [T, number][] {
  const m = new Map<T, number>();
  for (const x of items) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1]);
}
