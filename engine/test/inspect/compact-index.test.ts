// The compact index keeps where each op is, not its data, and reads values
// back from the WALs: these tests cover what that design could get wrong.
import { cp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Store as Published } from "@backloghq/opslog";
import { describe, expect, it } from "vitest";
import { OpslogError } from "../../src/errors.js";
import { compareOps } from "../../src/store.js";
import { openInspector } from "../../src/inspect/index.js";
import { tempDir } from "../helpers/tmp.js";
import { StateLog, handWritten, publishedState, task } from "./fixtures.js";
import type { State, Task } from "./fixtures.js";

const ALL = { offset: 0, limit: 100_000 };

function asEntries(state: State): [string, unknown][] {
  return [...state].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

describe("the compact index", () => {
  it("tails ops after the index was queried, and every position still equals the writer's state", async () => {
    const dir = await tempDir();
    const writer = new Published<Task>();
    await writer.open(dir, { checkpointThreshold: 1000 });
    const log = new StateLog(writer);
    const set = async (id: string, value: Task) => {
      await writer.set(id, value);
      log.record();
    };
    for (let i = 0; i < 6; i++) await set(`t${i}`, task(i, "todo"));
    const insp = await openInspector(dir);
    // Queries at past positions first, so that later versions arrive after the index is sealed.
    expect((await insp.records({ ...ALL, at: 3 })).rows.map((r) => [r.id, r.data])).toEqual(asEntries(log.states[3]));
    for (let i = 0; i < 6; i++) await set(`t${i % 3}`, task(i % 3, i % 2 ? "done" : "doing"));
    await writer.delete("t4");
    log.record();
    await set("t4", task(4, "back"));
    await set("new", task(9, "todo"));
    expect(await insp.refresh()).toEqual({ newOps: 9, rebuilt: false });
    for (let at = 0; at < log.states.length; at++) {
      expect((await insp.records({ ...ALL, at })).rows.map((r) => [r.id, r.data]), `state ${at}`).toEqual(asEntries(log.states[at]));
    }
    // Filtered, position after position and back: each past state reuses the values the last one read.
    const positions = log.states.map((_, at) => at);
    for (const at of [...positions, ...positions.reverse()]) {
      const rows = (await insp.records({ ...ALL, at, filter: { status: { $ne: "done" } } })).rows.map((r) => [r.id, r.data]);
      expect(rows, `state ${at}, filtered`).toEqual(asEntries(log.states[at]).filter(([, value]) => (value as Task).status !== "done"));
    }
    const history = await insp.recordHistory({ id: "t4" });
    expect(history.map((h) => h.op)).toEqual(["set", "delete", "set"]);
    expect(history[2].before).toBeNull();
    expect(history[2].after).toEqual(task(4, "back"));
    const diff = await insp.diff({ a: 6, b: log.states.length - 1, ...ALL });
    expect(diff.counts).toEqual({ added: 1, removed: 0, changed: 4, archived: 0 });
    await writer.close();
  });

  it("replays a WAL whose clocks go backwards in opslog's order (a stable sort), not in file order", async () => {
    const op = (agent: string, clock: number, id: string, n: number) => ({ ts: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(), op: "set", id, data: { n, by: agent }, prev: null, agent, clock });
    const walA = "ops/agent-alice-1700000000001.jsonl";
    const walB = "ops/agent-bob-1700000000002.jsonl";
    const lines = { [walA]: [op("alice", 1, "x", 1), op("alice", 5, "y", 2), op("alice", 3, "x", 3)], [walB]: [op("bob", 2, "y", 4), op("bob", 4, "x", 5), op("bob", 3, "z", 6)] };
    const dir = await handWritten(lines, { alice: walA, bob: walB });
    const insp = await openInspector(dir);
    const expected = [...lines[walA], ...lines[walB]].sort(compareOps).map((o) => [o.agent, o.clock, o.id]);
    expect((await insp.ops(ALL)).rows.map((o) => [o.agent, o.clock, o.id])).toEqual(expected);
    // The published opslog, opening a copy as a third agent, replays to the same state.
    const copy = await tempDir();
    await cp(dir, copy, { recursive: true });
    expect((await insp.records(ALL)).rows.map((r) => [r.id, r.data])).toEqual(await publishedState(copy, "carol"));
  });

  it("gives timestamps back exactly as written, also those not in toISOString form", async () => {
    const stamps = ["2026-01-05T08:00:00Z", "2026-01-05T08:00:01.000+02:00", "2026-02-30T00:00:00.000Z", "2026-01-05T08:00:02.500Z", "yesterday"];
    const wal = "ops/ops-1700000000001.jsonl";
    const dir = await handWritten({ [wal]: stamps.map((ts, i) => ({ ts, op: "set", id: `r${i}`, data: { i }, prev: null })) });
    const insp = await openInspector(dir);
    expect((await insp.ops(ALL)).rows.map((o) => o.ts)).toEqual(stamps);
    expect((await insp.laneOps({ path: wal, ...ALL })).rows.map((o) => o.ts)).toEqual(stamps);
    expect((await insp.ops({ ...ALL, from: "2026-01-05T08:00:02.000Z", to: "2026-01-05T08:00:03.000Z" })).rows.map((o) => o.id)).toEqual(["r3"]);
    // Compared as instants where they parse: r0 is that very instant, r1 is 06:00:01 UTC.
    expect(await insp.posAtTime({ ts: "2026-01-05T08:00:00.000Z" })).toBe(2);
  });

  it("says the WAL changed on disk when a line no longer holds its op, and refresh rebuilds", async () => {
    const wal = "ops/ops-1700000000001.jsonl";
    const line = (id: string) => ({ ts: "2026-01-05T08:00:00.000Z", op: "set", id, data: { v: 1 }, prev: null });
    const dir = await handWritten({ [wal]: [line("aa"), line("bb")] });
    const insp = await openInspector(dir);
    // Same size, other ids: nothing about the file's size or the manifest gives it away.
    await writeFile(join(dir, wal), [line("cc"), line("dd")].map((l) => JSON.stringify(l) + "\n").join(""));
    const error = await insp.op({ pos: 0 }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(OpslogError);
    expect(error).toMatchObject({ code: "changed-on-disk", file: wal });
    expect((error as Error).message).toContain("Refresh");
    expect((await insp.refresh()).rebuilt).toBe(true);
    expect((await insp.records(ALL)).rows.map((r) => r.id)).toEqual(["cc", "dd"]);
  });
});

describe("reading values back from many WALs", () => {
  const procFd = "/proc/self/fd";
  it("keeps at most 32 WALs open, however many are read", async (ctx) => {
    const { existsSync, readdirSync } = await import("node:fs");
    if (!existsSync(procFd)) {
      console.log(`skipped: ${procFd} does not exist on ${process.platform}, so open files cannot be counted`);
      ctx.skip();
    }
    // 40 retired single-writer WALs before the first snapshot, then an empty live one.
    const wals: Record<string, object[]> = { "ops/ops-1700000000001.jsonl": [] };
    for (let i = 0; i < 40; i++) wals[`ops/ops-${1600000000000 + i}.jsonl`] = [{ ts: new Date(1600000000000 + i).toISOString(), op: "set", id: `r${i}`, data: { i }, prev: null }];
    const dir = await handWritten(wals);
    const insp = await openInspector(dir);
    const before = readdirSync(procFd).length;
    const lanes = await insp.lanes();
    expect(lanes.length).toBe(41);
    for (const lane of lanes) if (lane.ops > 0) expect((await insp.laneOps({ path: lane.path, ...ALL })).rows[0].data).toEqual({ i: Number(lane.path.slice(-8, -6)) });
    expect(readdirSync(procFd).length - before).toBeLessThanOrEqual(32);
    await insp.close();
    expect(readdirSync(procFd).length).toBeLessThanOrEqual(before);
  });
});
