// The index cache's property: whatever happens to a store between two opens
// (the published opslog appends, undoes, compacts, archives; a byte of a WAL
// is rewritten; a snapshot is replaced; files are touched without change),
// an open that may use the cache answers exactly what a fresh build of the
// same bytes answers with the cache off, whichever way its kept columns come
// in (asked for, read behind, or lost). Bounded to a few seconds in npm test.
import { readFile, readdir, rename, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/tmp.js";
import { openInspector } from "../../src/inspect/index.js";
import type { InspectorApi } from "../../src/inspect/index.js";
import { indexCacheWrites } from "../../src/inspect/index-cache.js";
import type { IndexCacheEvent } from "../../src/inspect/index-cache.js";
import { settleDeferredColumns } from "../../src/inspect/index-cache-columns.js";
import { closeWriters, openWriters, runCmd } from "../reference/program.js";
import type { Cmd, Journal } from "../reference/program.js";

/** On a loaded machine the run stops early rather than time out; it says how many programs it ran. */
const TIME_BUDGET_MS = 8_000;
const ALL = { offset: 0, limit: 10_000 };
const IDS = ["a", "b", "c", "ü"];

type FileAction =
  | { kind: "rewrite-byte"; pick: number; at: number; keepMtime: boolean }
  | { kind: "replace-snapshot"; pick: number; change: boolean; keepMtime: boolean }
  | { kind: "touch"; pick: number };
type Action = { kind: "cmd"; cmd: Cmd } | FileAction;

function actionArb(agents: number): fc.Arbitrary<Action> {
  const agent = fc.integer({ min: 0, max: agents - 1 });
  const id = fc.constantFrom(...IDS);
  const value = fc.record({ k: fc.constantFrom("done", "open"), n: fc.integer({ min: 0, max: 9 }), t: fc.constantFrom("x", "naïve") });
  const cmd = (arb: fc.Arbitrary<Cmd>) => arb.map((c): Action => ({ kind: "cmd", cmd: c }));
  return fc.oneof(
    { weight: 10, arbitrary: cmd(fc.record({ kind: fc.constant("set" as const), agent, id, value, poll: fc.constant(false) })) },
    { weight: 2, arbitrary: cmd(fc.record({ kind: fc.constant("delete" as const), agent, id, poll: fc.constant(false) })) },
    { weight: 2, arbitrary: cmd(fc.record({ kind: fc.constant("undo" as const), agent, poll: fc.constant(false) })) },
    { weight: 1, arbitrary: cmd(fc.record({ kind: fc.constant("compact" as const), agent, poll: fc.constant(false) })) },
    { weight: 1, arbitrary: cmd(fc.record({ kind: fc.constant("archive" as const), agent, k: fc.constantFrom("done", "open"), segment: fc.constantFrom("A", "B"), poll: fc.constant(false) })) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("rewrite-byte" as const), pick: fc.nat(), at: fc.nat(), keepMtime: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("replace-snapshot" as const), pick: fc.nat(), change: fc.boolean(), keepMtime: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("touch" as const), pick: fc.nat() }) },
  );
}

async function filesIn(dir: string, sub: string): Promise<string[]> {
  return (await readdir(join(dir, sub)).catch(() => [] as string[])).sort().map((name) => join(dir, sub, name));
}

/** Put a file's times back as they were: a rewrite that stat cannot see (only the hashes can). */
async function restoreTimes(path: string, before: { atimeMs: number; mtimeMs: number }): Promise<void> {
  await utimes(path, before.atimeMs / 1000, before.mtimeMs / 1000); // seconds as a number: finer than a Date's ms
}

async function fileAction(dir: string, action: FileAction): Promise<void> {
  if (action.kind === "rewrite-byte") {
    const wals = [];
    for (const path of await filesIn(dir, "ops")) if ((await stat(path)).size > 0) wals.push(path);
    if (wals.length === 0) return;
    const path = wals[action.pick % wals.length];
    const before = await stat(path);
    const bytes = await readFile(path);
    // In the first half: the last line alone is what the live tail's own check reads again.
    const at = action.at % Math.max(1, bytes.length >> 1);
    // A digit or letter becomes another (the line may still parse, as another value); anything else is left alone.
    const b = bytes[at];
    if (b >= 0x30 && b <= 0x38) bytes[at] = b + 1;
    else if (b >= 0x61 && b <= 0x79) bytes[at] = b + 1;
    else return;
    await writeFile(path, bytes);
    if (action.keepMtime) await restoreTimes(path, before);
  } else if (action.kind === "replace-snapshot") {
    const snaps = await filesIn(dir, "snapshots");
    if (snaps.length === 0) return;
    const path = snaps[action.pick % snaps.length];
    const before = await stat(path);
    let text = await readFile(path, "utf-8");
    if (action.change) text = text.includes('"done"') ? text.replace('"done"', '"open"') : text.replace('"open"', '"done"'); // the same size
    await writeFile(`${path}.new`, text);
    await rename(`${path}.new`, path); // a new inode
    if (action.keepMtime) await restoreTimes(path, before);
  } else {
    const all = [join(dir, "manifest.json"), ...(await filesIn(dir, "ops")), ...(await filesIn(dir, "snapshots")), ...(await filesIn(dir, "archive"))];
    const path = all[action.pick % all.length];
    const later = new Date(Date.now() + 5000);
    await utimes(path, later, later);
  }
}

/** What the views ask of an inspector: records at several positions, op pages, lanes, lost writes, timeline info, schema. */
async function answers(insp: InspectorApi): Promise<Record<string, unknown>> {
  const info = await insp.timelineInfo();
  const total = info.total;
  const out: Record<string, unknown> = { info, summary: await insp.summary(), ops: await insp.ops(ALL), lanes: await insp.lanes(), lost: await insp.lostWrites(ALL), conflicts: await insp.conflicts(ALL) };
  for (const at of new Set([0, total >> 1, Math.max(0, total - 1), total])) {
    out[`records ${at}`] = await insp.records({ at, ...ALL });
    out[`schema ${at}`] = await insp.schema({ at, sample: 0 });
  }
  out["records done"] = await insp.records({ filter: { k: "done" }, ...ALL });
  out.events = await insp.timelineEvents({});
  out.columns = await insp.columns({ at: total });
  for (const id of IDS) out[`history ${id}`] = await insp.recordHistory({ id });
  for (const lane of out.lanes as { path: string }[]) out[`lane ${lane.path}`] = await insp.laneOps({ path: lane.path, ...ALL });
  out.segments = await insp.archiveSegments();
  return out;
}

const tally = { hits: 0, grown: 0, misses: 0, columns: { asked: 0, read: 0, lost: 0 } };
let runs = 0;

/**
 * How a cached open's kept columns come in (index-cache-columns.ts): read by
 * the first query that needs them, by the background read before any query,
 * or lost (a read that failed: every value is then read from its WAL).
 */
type ColumnsIn = "asked" | "read" | "lost";

/** Open with the cache and without; the answers must be the same. */
async function compareOpens(dir: string, cacheDir: string, where: string, columnsIn: ColumnsIn): Promise<void> {
  const events: IndexCacheEvent[] = [];
  const cached = await openInspector(dir, { parallel: "never", indexCache: { dir: cacheDir, maxBytes: 1 << 30 }, onIndexCache: (e) => events.push(e) });
  if (columnsIn !== "asked") await settleDeferredColumns(columnsIn);
  const fresh = await openInspector(dir, { parallel: "never" });
  try {
    const open = events.find((e) => e.kind === "hit" || e.kind === "miss");
    if (open?.kind === "hit") {
      tally.hits++;
      if (open.grown) tally.grown++;
      tally.columns[columnsIn]++;
    } else tally.misses++;
    expect(await answers(cached), `${where} (${JSON.stringify(open)}, columns ${columnsIn})`).toEqual(await answers(fresh));
  } finally {
    await cached.close();
    await fresh.close();
    await indexCacheWrites();
  }
  // An index the codec cannot write (a class or value it does not know) is a fault here, not a quiet miss next time.
  expect(events.filter((e) => e.kind === "not-written" && /index holds/.test(e.reason))).toEqual([]);
}

describe("index cache: a cached open answers what a fresh build of the same bytes answers", () => {
  it("after random appends, undos, compactions, archives, rewritten bytes, replaced snapshots and touched files between opens", async () => {
    const round = (agents: number) => fc.record({ actions: fc.array(actionArb(agents), { minLength: 0, maxLength: 4 }), columnsIn: fc.constantFrom<ColumnsIn>("asked", "read", "lost") });
    const program = fc.integer({ min: 1, max: 2 }).chain((agents) => fc.record({ agents: fc.constant(agents), rounds: fc.array(round(agents), { minLength: 2, maxLength: 5 }) }));
    await fc.assert(
      fc.asyncProperty(program, async ({ agents, rounds }) => {
        runs++;
        const dir = await tempDir("opslog-cache-store-");
        const cacheDir = await tempDir("opslog-cache-");
        const journal: Journal = { archives: [], blobs: new Map() };
        const w = await openWriters(dir, agents);
        try {
          await runCmd(dir, w, { kind: "set", agent: 0, id: "a", value: { k: "done", n: 1 }, poll: false }, journal);
          for (const [i, { actions, columnsIn }] of rounds.entries()) {
            for (const action of actions) {
              if (action.kind === "cmd") await runCmd(dir, w, action.cmd, journal);
              else await fileAction(dir, action);
            }
            await compareOpens(dir, cacheDir, `round ${i}: ${JSON.stringify(actions)}`, columnsIn);
          }
        } finally {
          await closeWriters(w).catch(() => {}); // a replaced file may fail a writer's close: the store is thrown away
        }
      }),
      { seed: 20261207, numRuns: 30, interruptAfterTimeLimit: TIME_BUDGET_MS, markInterruptAsFailure: false },
    );
    console.log(`index-cache property: ${runs} programs, ${tally.hits} cached opens (${tally.grown} after appends; columns ${JSON.stringify(tally.columns)}), ${tally.misses} rebuilt`);
    // Not vacuous: the cache was used, and so was its append path, and each way its columns come in.
    expect(tally.hits).toBeGreaterThan(0);
    expect(tally.grown).toBeGreaterThan(0);
    for (const way of ["asked", "read", "lost"] as const) expect(tally.columns[way], way).toBeGreaterThan(0);
  }, 120_000);
});
