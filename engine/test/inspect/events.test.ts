// Archives and compactions as events of the timeline, on a store written by
// the published opslog. The expectations come from the raw files (snapshots,
// WAL lines, segments) through this file's own small replay, and from what
// the published Store's archive() returned: never from the inspector.
import { readFile, readdir } from "node:fs/promises";
import { isDeepStrictEqual } from "node:util";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import type { DiffRow, Doc, InspectorApi } from "../../src/inspect/index.js";
import { fourArchivesThenCompacted, twoAgentsArchiveAndRecreate } from "../scenarios/index.js";
import { walLinesOf } from "../scenarios/index.js";
import type { Written } from "../scenarios/index.js";
import { suiteDir } from "./fixtures.js";

const ALL = { offset: 0, limit: 100_000 };

// ------------------------------------------------------------ the raw files

type State = Map<string, Doc>;
const msOf = (name: string) => Number(/-(\d+)\.jsonl?$/.exec(name)![1]);
const byMs = (names: string[]) => [...names].sort((a, b) => msOf(a) - msOf(b));

async function readSnapshot(dir: string, name: string): Promise<{ timestamp: string; records: State }> {
  const [head, ...lines] = (await readFile(join(dir, "snapshots", name), "utf-8")).split("\n").filter(Boolean);
  const records: State = new Map(lines.map((l) => JSON.parse(l) as { id: string; data: Doc }).map((r) => [r.id, r.data]));
  return { timestamp: (JSON.parse(head) as { timestamp: string }).timestamp, records };
}

type Line = { op: "set" | "delete"; id: string; data?: Doc; agent?: string; clock?: number };

async function readWal(dir: string, name: string): Promise<Line[]> {
  return (await walLinesOf(dir, `ops/${name}`)).map((l) => l.op as Line);
}

/** One link's WAL lines in opslog's replay order: by (clock, agent), stable; single-writer lines have neither. */
async function linkLines(dir: string, wals: string[]): Promise<Line[]> {
  const lines = (await Promise.all(wals.map((w) => readWal(dir, w)))).flat();
  return lines.sort((a, b) => (a.clock ?? 0) - (b.clock ?? 0) || ((a.agent ?? "") < (b.agent ?? "") ? -1 : (a.agent ?? "") > (b.agent ?? "") ? 1 : 0));
}

interface Expected {
  /** states[p]: the state after p ops (a compaction at p included) */
  states: State[];
  /** Per position: what changed each id there ("op", or "archive:<segment>", or "snapshot") */
  causes: Map<string, string>[];
  events: { kind: string; position: number; time: string; snapshot: string; segment: string | null; ids: string[]; opsFolded: number }[];
  /** Per id: its ops and archives, in order */
  histories: Map<string, { op: string; pos: number; segment?: string; before: Doc | null }[]>;
}

/** Replay the chain from the files: each snapshot, the WALs named after it, the next snapshot. */
async function replayFiles(dir: string): Promise<Expected> {
  const snapshots = byMs(await readdir(join(dir, "snapshots")));
  const wals = byMs(await readdir(join(dir, "ops")));
  const segments = await Promise.all((await readdir(join(dir, "archive"))).map(async (name) => ({ path: `archive/${name}`, records: (JSON.parse(await readFile(join(dir, "archive", name), "utf-8")) as { records: Record<string, Doc> }).records })));
  let state: State = new Map((await readSnapshot(dir, snapshots[0])).records);
  const out: Expected = { states: [new Map(state)], causes: [new Map()], events: [], histories: new Map() };
  const history = (id: string) => out.histories.get(id) ?? out.histories.set(id, []).get(id)!;
  for (let i = 0; i < snapshots.length; i++) {
    const next = snapshots[i + 1];
    const mine = wals.filter((w) => msOf(w) >= msOf(snapshots[i]) && (!next || msOf(w) < msOf(next)));
    let folded = 0;
    for (const line of await linkLines(dir, mine)) {
      history(line.id).push({ op: line.op, pos: out.states.length - 1, before: state.get(line.id) ?? null });
      if (line.op === "set") state.set(line.id, line.data!);
      else state.delete(line.id);
      out.states.push(new Map(state));
      out.causes.push(new Map([[line.id, "op"]]));
      folded++;
    }
    if (!next) break;
    const snap = await readSnapshot(dir, next);
    const k = out.states.length - 1;
    const removed = [...state.keys()].filter((id) => !snap.records.has(id)).sort();
    const bySegment = new Map<string, string[]>();
    for (const id of removed) {
      const holders = segments.filter((s) => id in s.records).map((s) => s.path);
      expect(holders, `${id} sits in exactly one segment in this store`).toHaveLength(1);
      bySegment.set(holders[0], [...(bySegment.get(holders[0]) ?? []), id]);
      history(id).push({ op: "archive", pos: k, segment: holders[0], before: state.get(id)! });
      out.causes[k].set(id, `archive:${holders[0]}`);
    }
    const base = { position: k, time: snap.timestamp, snapshot: `snapshots/${next}`, opsFolded: folded };
    for (const [segment, ids] of [...bySegment].sort(([a], [b]) => (a < b ? -1 : 1))) out.events.push({ ...base, kind: "archive", segment, ids });
    out.events.push({ ...base, kind: "compaction", segment: null, ids: [] });
    state = new Map(snap.records);
    out.states[k] = new Map(state);
  }
  return out;
}

/** The diff a -> b as this file's replay sees it: id, kind, and the segment of an archived record. */
function expectedDiff(x: Expected, a: number, b: number): { id: string; kind: string; segment?: string }[] {
  const before = x.states[a];
  const after = x.states[b];
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort();
  const rows: { id: string; kind: string; segment?: string }[] = [];
  for (const id of ids) {
    const had = before.get(id);
    const has = after.get(id);
    if (had && has) {
      if (!isDeepStrictEqual(had, has)) rows.push({ id, kind: "changed" });
    } else if (has) rows.push({ id, kind: "added" });
    else if (had) {
      // Removed: by an archive if the last thing that touched it at or before b was one.
      let p = b;
      while (!x.causes[p].has(id)) p--;
      const cause = x.causes[p].get(id)!;
      rows.push(cause.startsWith("archive:") ? { id, kind: "archived", segment: cause.slice(8) } : { id, kind: "removed" });
    }
  }
  return rows;
}

const shape = (rows: DiffRow[]) => rows.map((r) => ({ id: r.id, kind: r.kind, ...(r.segment ? { segment: r.segment } : {}) }));

const STORES = [
  { name: "single writer", write: (dir: string) => fourArchivesThenCompacted.build(dir) },
  { name: "two agents", write: (dir: string) => twoAgentsArchiveAndRecreate.build(dir) },
];

describe.each(STORES)("archives and compactions in the timeline (published opslog, $name)", ({ write }) => {
  let dir: string;
  let written: Written;
  let x: Expected;
  let insp: InspectorApi;
  beforeAll(async () => {
    dir = await suiteDir();
    written = await write(dir);
    x = await replayFiles(dir);
    insp = await openInspector(dir);
  });

  it("lists each archive (segment, ids) and each compaction (snapshot, ops folded) at the position it takes effect", async () => {
    const events = await insp.timelineEvents();
    expect(events.map((e) => ({ kind: e.kind, position: e.position, time: e.time, snapshot: e.snapshot, segment: e.segment, ids: e.archivedIds, opsFolded: e.opsFolded }))).toEqual(x.events);
    // Each archive event moved as many records as the published archive() said it did, to the segment it named.
    const archives = events.filter((e) => e.kind === "archive");
    expect(archives.map((e) => ({ segment: e.segment, count: e.archivedCount }))).toEqual(written.archives);
    expect(events.every((e) => e.opsBefore === e.position)).toBe(true);
    expect((await insp.timelineInfo()).total).toBe(x.states.length - 1);
  });

  it("labels records an archive removed as archived, with their segment, in every diff to the next op and to now", async () => {
    const total = x.states.length - 1;
    for (let p = 0; p <= total; p++) {
      if (p > 0) {
        const prev = await insp.diff({ a: p - 1, b: p, ...ALL });
        expect(shape(prev.rows), `changed by op #${p - 1}`).toEqual(expectedDiff(x, p - 1, p));
      }
      const now = await insp.diff({ a: p, b: total, ...ALL });
      const rows = expectedDiff(x, p, total);
      expect(shape(now.rows), `from ${p} to now`).toEqual(rows);
      const count = (kind: string) => rows.filter((r) => r.kind === kind).length;
      expect(now.counts).toEqual({ added: count("added"), removed: count("removed"), changed: count("changed"), archived: count("archived") });
    }
  });

  it("at the first archive, the op before it shows its own change and the archived records, none of them deleted", async () => {
    const first = x.events[0];
    const diff = await insp.diff({ a: first.position - 1, b: first.position, ...ALL });
    const ownChange = expectedDiff(x, first.position - 1, first.position).filter((r) => r.kind !== "archived");
    expect(ownChange).toHaveLength(1);
    expect(diff.counts).toEqual({ added: 0, removed: 0, changed: 0, [ownChange[0].kind]: 1, archived: first.ids.length });
    expect(diff.rows.filter((r) => r.kind === "archived").map((r) => [r.id, r.segment, r.before])).toEqual(first.ids.map((id) => [id, first.segment, x.states[first.position - 1].get(id)]));
  });

  it("ends a record's history with 'archived to' its segment, and goes on when the id is created again and archived again", async () => {
    for (const [id, steps] of x.histories) {
      const history = await insp.recordHistory({ id });
      expect(history.map((h) => ({ op: h.op, pos: h.pos, ...(h.segment ? { segment: h.segment } : {}), before: h.before })), id).toEqual(steps);
      for (const h of history.filter((e) => e.op === "archive")) expect(h.after).toBeNull();
    }
    expect((await insp.recordHistory({ id: "r3" })).map((h) => h.op)).toEqual(x.histories.get("r3")!.map((h) => h.op));
    expect(x.histories.get("r3")!.filter((h) => h.op === "archive")).toHaveLength(2);
  });

  it("places events among the ops a filter keeps: only the archives that moved an id, counted in that id's ops", async () => {
    const r3 = await insp.timelineEvents({ id: "r3" });
    const r3Ops = (await insp.ops({ ...ALL, id: "r3" })).rows.map((o) => o.pos);
    const expected = x.events.filter((e) => e.ids.includes("r3"));
    expect(r3.map((e) => [e.kind, e.position])).toEqual(expected.map((e) => [e.kind, e.position]));
    expect(r3.map((e) => e.opsBefore)).toEqual(expected.map((e) => r3Ops.filter((pos) => pos < e.position).length));
    const deletes = await insp.timelineEvents({ op: "delete" });
    const deletePositions = [...x.histories.values()].flat().filter((h) => h.op === "delete").map((h) => h.pos);
    expect(deletes.map((e) => e.opsBefore)).toEqual(x.events.map((e) => deletePositions.filter((pos) => pos < e.position).length));
  });
});
