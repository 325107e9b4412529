// The command line's store opens behind a server that already answers
// (WindowStore.startFromCommandLine): while its index builds, store.loading
// reports how far it has come, store.preview the current snapshot's first
// records, and every call needing the index answers "loading"; then the store
// opens (or fails) and listeners hear it. The open is held by the test hook
// holdOpen (released by the test), never by a timer. Stores are written by the
// published opslog; expectations come from the files themselves.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppData } from "../appdata.js";
import type { LoadProgress, OpenResult, SnapshotPreview, StoreChangedEvent } from "../contract.js";
import { Handlers } from "../handlers.js";
import type { Page, RecordRow } from "../../engine/src/inspect/types.js";
import { plannerAndWorkerOnJobs, twentyTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";
import { errorOf, removeDir, tempDir, valueOf } from "./helpers.js";

let work: string;
let handlers: Handlers;
let release: () => void;
let events: StoreChangedEvent[];

beforeEach(async () => {
  work = await tempDir("progressive");
  const held = new Promise<void>((done) => (release = done));
  handlers = new Handlers({ appData: new AppData(`${work}/home`), pollMs: 0, holdOpen: () => held });
  events = [];
  handlers.store.onChange((event) => events.push(event));
});
afterEach(async () => {
  release();
  await handlers.store.settled();
  await handlers.store.closeSession();
  await removeDir(work);
});

const loading = async () => valueOf<LoadProgress | null>(await handlers.dispatch("store.loading", {}));

/** Ask store.loading until `done` holds (each answer kept); the build runs in its own thread meanwhile. */
async function progressUntil(done: (p: LoadProgress) => boolean): Promise<LoadProgress[]> {
  const seen: LoadProgress[] = [];
  for (;;) {
    const progress = await loading();
    if (!progress) throw new Error(`the store stopped loading before the condition held; seen: ${JSON.stringify(seen.at(-1))}`);
    seen.push(progress);
    if (done(progress)) return seen;
    await new Promise((turn) => setImmediate(turn));
  }
}

async function bytesUnder(dir: string, sub: string): Promise<number> {
  let sum = 0;
  for (const name of await readdir(join(dir, sub))) sum += (await stat(join(dir, sub, name))).size;
  return sum;
}

describe("a store opened from the command line", () => {
  it("answers at once: progress grows to the whole store, other calls say loading, then the store opens and listeners hear it", async () => {
    const store = await twentyTasksCompactedThenEdited.build(`${work}/single`);
    await handlers.store.startFromCommandLine(store.dir);
    const first = await loading();
    expect(first).toMatchObject({ url: store.dir, phase: "snapshot", bytes: 0, ops: 0 });
    expect(errorOf(await handlers.dispatch("records", { offset: 0, limit: 10 })).code).toBe("loading");
    expect(errorOf(await handlers.dispatch("store.summary", {})).code).toBe("loading");
    expect(errorOf(await handlers.dispatch("ops", { offset: 0, limit: 10 })).message).toContain("still loading");

    const whole = (await bytesUnder(store.dir, "snapshots")) + (await bytesUnder(store.dir, "ops"));
    const walOps = store.walLines.filter((line) => line.op).length;
    const seen = await progressUntil((p) => p.phase === "finishing");
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ bytes: whole, totalBytes: whole, ops: walOps, etaMs: 0 });
    expect(last.elapsedMs).toBeGreaterThanOrEqual(0);
    const bytes = seen.map((p) => p.bytes);
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b)); // never goes back
    expect(events).toEqual([]); // held: not open yet
    expect(errorOf(await handlers.dispatch("records", { offset: 0, limit: 10 })).code).toBe("loading");

    release();
    await handlers.store.settled();
    expect(events.map((e) => e.what)).toEqual(["opened"]);
    expect(events[0].summary?.counts.records).toBe(store.state.length);
    expect(await loading()).toBeNull();
    expect(valueOf(await handlers.dispatch("store.preview", {}))).toBeNull();
    const page = valueOf<Page<RecordRow>>(await handlers.dispatch("records", { offset: 0, limit: 1000 }));
    expect(page.rows.map((r) => [r.id, r.data])).toEqual(store.state);
    expect(valueOf<OpenResult>(await handlers.dispatch("store.summary", {})).session.dir).toBe(store.dir);
  });

  it("previews the current snapshot's first records, as its lines say, with its time and the WAL bytes not applied", async () => {
    const store = await twentyTasksCompactedThenEdited.build(`${work}/single`);
    await handlers.store.startFromCommandLine(store.dir);
    const preview = valueOf<SnapshotPreview>(await handlers.dispatch("store.preview", {}));
    const lines = (await readFile(join(store.dir, store.manifest.currentSnapshot), "utf-8")).split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(preview.snapshot).toBe(store.manifest.currentSnapshot);
    expect(preview.format).toBe("jsonl");
    expect(preview.timestamp).toBe(lines[0].timestamp);
    expect(preview.rows).toEqual(lines.slice(1).map((l) => ({ id: l.id, value: l.data })));
    expect(preview.rows).toHaveLength(20);
    expect(preview.complete).toBe(true);
    expect(preview.walFiles).toBe(1);
    expect(preview.walBytes).toBe((await stat(join(store.dir, store.manifest.activeOps))).size);
  });

  it("fails at once, before the server is ready, for a folder without a manifest or no folder at all", async () => {
    await expect(handlers.store.startFromCommandLine(work)).rejects.toMatchObject({ code: "not-a-store", message: expect.stringContaining("has no manifest.json") });
    await expect(handlers.store.startFromCommandLine(join(work, "nowhere"))).rejects.toMatchObject({ code: "not-a-store", message: expect.stringContaining("does not exist") });
    expect(await loading()).toBeNull();
  });

  it("closed for good while its store still opens: the store is closed as soon as it is open, never left behind", async () => {
    const store = await twentyTasksCompactedThenEdited.build(`${work}/single`);
    await handlers.store.startFromCommandLine(store.dir);
    await progressUntil((p) => p.phase === "finishing");
    await handlers.store.dispose();
    release();
    await handlers.store.settled();
    expect(events.map((e) => e.what)).toEqual(["open-failed"]);
    expect(errorOf(await handlers.dispatch("records", { offset: 0, limit: 10 })).code).toBe("no-store");
    expect(errorOf(await handlers.dispatch("store.summary", {})).message).toContain("closed while the store was opening");
  });

  it("an open that fails once the index is built: listeners hear open-failed, and store.summary says why", async () => {
    const store = await plannerAndWorkerOnJobs.build(`${work}/multi`);
    release();
    await handlers.store.startFromCommandLine(store.dir, "writer");
    await handlers.store.settled();
    expect(events.map((e) => e.what)).toEqual(["open-failed"]);
    const error = errorOf(await handlers.dispatch("store.summary", {}));
    expect(error.code).toBe("bad-argument");
    expect(error.message).toContain("multi-writer store");
    expect(await loading()).toBeNull();
    expect(errorOf(await handlers.dispatch("records", { offset: 0, limit: 10 })).code).toBe("no-store");
  });
});
