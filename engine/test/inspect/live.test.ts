// Following a store live: after any refresh, every answer equals what a
// fresh open of the same bytes gives, across undos (a truncated last line
// rewritten by the next append), torn and bad lines, unreadable archive
// segments and a writer that exits. Stores are written by the published
// opslog; expected values come from its API or from the raw WAL lines.
import { spawn } from "node:child_process";
import { appendFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Store as Published } from "@backloghq/opslog";
import { describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import type { InspectorApi } from "../../src/inspect/index.js";
import { tempDir } from "../helpers/tmp.js";
import { walLinesOf } from "../scenarios/index.js";
import { answers, nextMs } from "./fixtures.js";

type Doc = { status: string; n: number };
const ALL = { offset: 0, limit: 10_000 };

async function openWriter(dir: string): Promise<Published<Doc>> {
  const store = new Published<Doc>();
  await store.open(dir, { checkpointThreshold: 1000, checkpointOnClose: false });
  return store;
}

async function activeWal(dir: string): Promise<string> {
  return (JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { activeOps: string }).activeOps;
}

/** The WAL's lines, parsed by hand: the ops as they stand on disk now. */
async function rawLines(dir: string): Promise<{ id: string; data?: Doc }[]> {
  return (await walLinesOf(dir, await activeWal(dir))).map((l) => l.op as { id: string; data?: Doc });
}

function sorted<T>(entries: [string, T][]): [string, T][] {
  return [...entries].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** Every answer of `insp`, and the same of a fresh inspector on the same bytes. */
async function againstFresh(insp: InspectorApi): Promise<{ seen: unknown; fresh: unknown }> {
  const fresh = await openInspector(insp.dir);
  try {
    return { seen: await answers(insp), fresh: await answers(fresh) };
  } finally {
    await fresh.close();
  }
}

describe("live tail across an undo", () => {
  it("after set a, set b, undo, set c (a longer line), a refresh shows c, not b, reports no malformed line, and agrees with a fresh open", async () => {
    const dir = await tempDir();
    const writer = await openWriter(dir);
    await writer.set("a", { status: "todo", n: 1 });
    await writer.set("b", { status: "todo", n: 2 });
    const insp = await openInspector(dir);
    expect((await insp.records(ALL)).rows.map((r) => r.id)).toEqual(["a", "b"]);
    await writer.undo();
    await writer.set("c", { status: "todo with a much longer status", n: 3 });
    await insp.refresh();
    expect((await rawLines(dir)).map((l) => l.id)).toEqual(["a", "c"]);
    expect((await insp.records(ALL)).rows.map((r) => [r.id, r.data])).toEqual(sorted(writer.entries()));
    expect((await insp.ops(ALL)).rows.map((o) => [o.id, o.line])).toEqual([["a", 1], ["c", 2]]);
    const summary = await insp.summary();
    expect(summary.warnings.filter((w) => w.code !== "lock-live" && w.code !== "lock-own")).toEqual([]);
    expect(summary.lanes.map((l) => l.malformedLines)).toEqual([0]);
    const { seen, fresh } = await againstFresh(insp);
    expect(seen).toEqual(fresh);
    await writer.close();
  });

  it("after an undo and a same-length rewrite (a 4-letter status flipped), records.get and the Records page give the new value, as a fresh open does", async () => {
    const dir = await tempDir();
    const writer = await openWriter(dir);
    await writer.set("a", { status: "todo", n: 1 });
    await writer.set("a", { status: "open", n: 1 });
    const insp = await openInspector(dir);
    // The values a view holds on to: the current one, a filtered page, a past state.
    expect(await insp.record({ id: "a" })).toEqual({ status: "open", n: 1 });
    expect((await insp.records({ ...ALL, filter: { status: "open" } })).total).toBe(1);
    expect((await insp.records({ ...ALL, at: 2 })).rows[0].data).toEqual({ status: "open", n: 1 });
    const before = await readFile(join(dir, await activeWal(dir)));
    await writer.undo();
    await nextMs();
    await writer.set("a", { status: "done", n: 1 });
    const after = await readFile(join(dir, await activeWal(dir)));
    expect(after.length).toBe(before.length); // the case a size check cannot see
    await insp.refresh();
    const onDisk = (await rawLines(dir)).at(-1)!.data;
    expect(onDisk).toEqual({ status: "done", n: 1 });
    expect(await insp.record({ id: "a" })).toEqual(onDisk);
    expect((await insp.records(ALL)).rows.map((r) => [r.id, r.data])).toEqual(sorted(writer.entries()));
    expect((await insp.records({ ...ALL, filter: { status: "open" } })).total).toBe(0);
    expect((await insp.records({ ...ALL, at: 2 })).rows[0].data).toEqual(onDisk);
    expect((await insp.recordHistory({ id: "a" })).map((h) => h.after)).toEqual([{ status: "todo", n: 1 }, onDisk]);
    const { seen, fresh } = await againstFresh(insp);
    expect(seen).toEqual(fresh);
    await writer.close();
  });

  it("a refresh between the undo and the next write shows the state without the undone op", async () => {
    const dir = await tempDir();
    const writer = await openWriter(dir);
    await writer.set("a", { status: "todo", n: 1 });
    await writer.set("b", { status: "todo", n: 2 });
    const insp = await openInspector(dir);
    await writer.undo();
    await insp.refresh();
    expect((await insp.records(ALL)).rows.map((r) => [r.id, r.data])).toEqual(sorted(writer.entries()));
    await writer.set("b", { status: "done", n: 2 });
    await insp.refresh();
    expect((await insp.records(ALL)).rows.map((r) => [r.id, r.data])).toEqual(sorted(writer.entries()));
    const { seen, fresh } = await againstFresh(insp);
    expect(seen).toEqual(fresh);
    await writer.close();
  });
});

describe("bad and torn lines while tailing", () => {
  it("counts bad lines appended while tailing the same in lane.malformedLines and the warnings, as a fresh open does", async () => {
    const dir = await tempDir();
    const writer = await openWriter(dir);
    await writer.set("a", { status: "todo", n: 1 });
    const wal = join(dir, await activeWal(dir));
    await appendFile(wal, "not json\n");
    const insp = await openInspector(dir);
    await appendFile(wal, "{\"also\": \"not an op\"}\n");
    await writer.set("b", { status: "todo", n: 2 });
    await insp.refresh();
    const summary = await insp.summary();
    const lineWarnings = summary.warnings.filter((w) => w.code === "malformed-line" || w.code === "torn-line");
    expect(lineWarnings.map((w) => w.line)).toEqual([2, 3]);
    expect(summary.lanes[0].malformedLines).toBe(2);
    const { seen, fresh } = await againstFresh(insp);
    expect(seen).toEqual(fresh);
    await writer.close();
  });

  it("reports a half-written last line as a fresh open does, then reads it once it is complete and drops the warning", async () => {
    const dir = await tempDir();
    const writer = await openWriter(dir);
    await writer.set("a", { status: "todo", n: 1 });
    await writer.close();
    const wal = join(dir, await activeWal(dir));
    const insp = await openInspector(dir);
    const line = JSON.stringify({ ts: new Date().toISOString(), op: "set", id: "b", data: { status: "todo", n: 2 }, prev: null });
    await appendFile(wal, line.slice(0, 20));
    await insp.refresh();
    let { seen, fresh } = await againstFresh(insp);
    expect(seen).toEqual(fresh);
    expect((await insp.summary()).warnings.map((w) => [w.code, w.line])).toEqual([["torn-line", 2]]);
    await appendFile(wal, line.slice(20) + "\n");
    await insp.refresh();
    expect(await insp.record({ id: "b" })).toEqual({ status: "todo", n: 2 });
    expect((await insp.summary()).warnings).toEqual([]);
    ({ seen, fresh } = await againstFresh(insp));
    expect(seen).toEqual(fresh);
  });

  it("a store opened while a line is half-written reads that line in full once it is complete", async () => {
    const dir = await tempDir();
    const writer = await openWriter(dir);
    await writer.set("a", { status: "todo", n: 1 });
    await writer.close();
    const wal = join(dir, await activeWal(dir));
    const line = JSON.stringify({ ts: new Date().toISOString(), op: "set", id: "b", data: { status: "todo", n: 2 }, prev: null });
    await appendFile(wal, line.slice(0, 20));
    const insp = await openInspector(dir);
    await appendFile(wal, line.slice(20) + "\n");
    await insp.refresh();
    expect(await insp.record({ id: "b" })).toEqual({ status: "todo", n: 2 });
    const { seen, fresh } = await againstFresh(insp);
    expect(seen).toEqual(fresh);
  });
});

describe("warnings are computed, not accumulated", () => {
  it("warns once about an unreadable archive segment, on every summary, as a fresh open does", async () => {
    const dir = await tempDir();
    const writer = await openWriter(dir);
    await writer.set("a", { status: "done", n: 1 });
    await writer.set("b", { status: "todo", n: 2 });
    await writer.archive((d) => d.status === "done", "2026-Q1");
    await writer.close();
    await writeFile(join(dir, "archive/archive-2026-Q1.json"), "{ this is not json");
    const insp = await openInspector(dir);
    const unreadable = async (i: InspectorApi) => (await i.summary()).warnings.filter((w) => w.code === "unreadable-file" && w.file === "archive/archive-2026-Q1.json");
    for (let call = 0; call < 3; call++) expect(await unreadable(insp)).toHaveLength(1);
    await insp.refresh();
    const fresh = await openInspector(dir);
    expect((await insp.summary()).warnings).toEqual((await fresh.summary()).warnings);
    await fresh.close();
  });
});

/** A process that opens the store with the published opslog (taking .lock), writes once, says "ready", and waits. */
function writerProcess(dir: string) {
  const script = `
    import { Store } from "@backloghq/opslog";
    const store = new Store();
    await store.open(${JSON.stringify(dir)}, { checkpointOnClose: false });
    await store.set("from-child", { status: "todo", n: 1 });
    process.stdout.write("ready\\n");
    process.stdin.on("data", async (d) => {
      if (String(d).startsWith("close")) await store.close();
      process.exit(0);
    });`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: process.cwd(), stdio: ["pipe", "pipe", "inherit"] });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => (String(d).includes("ready") ? resolve() : undefined));
    child.once("exit", (code) => reject(new Error(`writer exited early (${code})`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return { child, ready, exited };
}

describe("locks are read again on every refresh and summary", () => {
  it("after the writer process closes the store and exits, no lock is reported and the refresh says the summary changed", async () => {
    const dir = await tempDir();
    const writer = writerProcess(dir);
    await writer.ready;
    const insp = await openInspector(dir);
    expect((await insp.summary()).locks).toEqual([{ file: ".lock", pid: writer.child.pid, alive: true }]);
    writer.child.stdin.write("close\n");
    await writer.exited;
    expect((await insp.refresh()).summaryChanged).toBe(true);
    const summary = await insp.summary();
    expect(summary.locks).toEqual([]);
    expect(summary.warnings.filter((w) => w.code.includes("lock"))).toEqual([]);
    expect(await insp.refresh()).toEqual({ newOps: 0, rebuilt: false });
  });

  it("after the writer process dies holding .lock, the lock is reported stale, as a fresh open does", async () => {
    const dir = await tempDir();
    const writer = writerProcess(dir);
    await writer.ready;
    const insp = await openInspector(dir);
    expect((await insp.summary()).warnings.map((w) => w.code)).toEqual(["lock-live"]);
    writer.child.kill("SIGKILL");
    await writer.exited;
    expect((await insp.summary()).locks).toEqual([{ file: ".lock", pid: writer.child.pid, alive: false }]);
    expect((await insp.refresh()).summaryChanged).toBe(true);
    const fresh = await openInspector(dir);
    expect(await insp.summary()).toEqual(await fresh.summary());
    expect((await insp.summary()).warnings.map((w) => w.code)).toEqual(["lock-stale"]);
    await fresh.close();
  });
});
