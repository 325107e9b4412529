// A session on an S3 store (s3rver, written by the published opslog +
// opslog-s3): every read call answers, and the server receives nothing but
// reads (GET, HEAD) for the whole session, polls included; other agents'
// writes show up live; writer and agent mode are refused plainly.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppData } from "../appdata.js";
import type { CompactPreview, OpenResult, LoadProgress, StoreChangedEvent } from "../contract.js";
import { Handlers } from "../handlers.js";
import { startS3Server } from "../../engine/test/helpers/s3server.js";
import type { S3TestServer } from "../../engine/test/helpers/s3server.js";
import { openS3Agent, publishedS3State, task, writeS3Store } from "../../engine/test/s3/fixtures.js";
import { Store as Published } from "@backloghq/opslog";
import { S3Backend } from "@backloghq/opslog-s3";
import type { Task } from "../../engine/test/s3/fixtures.js";
import { errorOf, readCalls, removeDir, tempDir, valueOf } from "./helpers.js";

let server: S3TestServer;
let work: string;
beforeAll(async () => {
  server = await startS3Server();
  work = await tempDir("s3-session");
  await writeS3Store(server, "shared/store");
});
afterAll(async () => {
  await server?.close();
  if (work) await removeDir(work);
});

/** A caller's handlers, with the test's S3 server (and a closed port) allowed in the settings file, as a user allows an endpoint. */
function handlersFor(name: string, pollMs = 0): Handlers {
  const home = `${work}/${name}-home`;
  mkdirSync(home, { recursive: true });
  writeFileSync(`${home}/settings.json`, JSON.stringify({ s3Endpoints: [server.endpoint, "http://127.0.0.1:1"] }));
  return new Handlers({ appData: new AppData(home), pollMs, s3CacheRoot: `${work}/${name}-cache` });
}

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("an S3 store, in a session", () => {
  it("read-only sends no PUT, POST or DELETE, whatever is read, polls included", async () => {
    await server.flush();
    const from = server.requests.length;
    const handlers = handlersFor("readonly", 20);
    const opened = valueOf<OpenResult>(await handlers.dispatch("store.open", { dir: server.url("shared/store") }));
    expect(opened.session).toMatchObject({ mode: "read-only", dir: server.url("shared/store") });
    expect(opened.summary.counts.records).toBeGreaterThan(0);
    const archive = opened.summary.archiveSegments[0]?.path ?? null;
    expect(archive).not.toBeNull();
    // The open shows the current period; the history (its fetch reads too) follows: the calls below ask for positions in it.
    await until("the history", () => handlers.store.historyProgress() === null);
    for (const [name, arg] of readCalls({ lanes: opened.summary.lanes.map((l) => l.path), archive })) expect(await handlers.dispatch(name, arg), `${name} ${JSON.stringify(arg)}`).toMatchObject({ ok: true });
    await until("two polls", () => server.requests.slice(from).filter((r) => r.url.includes("list-type=2")).length >= 3);
    await handlers.store.closeSession();
    await server.flush();
    const sent = server.requests.slice(from).filter((r) => !r.url.startsWith("/__flush"));
    expect(sent.length).toBeGreaterThan(3);
    expect(sent.filter((r) => !["GET", "HEAD"].includes(r.method))).toEqual([]);
  });

  it("reads blobs from the store's mirror folder, never from a path made of its s3:// address", async () => {
    const handlers = handlersFor("blobs");
    valueOf<OpenResult>(await handlers.dispatch("store.open", { dir: server.url("shared/store") }));
    const mirror = readdirSync(`${work}/blobs-cache`, { recursive: true, withFileTypes: true }).find((e) => e.name === "manifest.json")!.parentPath;
    mkdirSync(`${mirror}/attachments`, { recursive: true });
    writeFileSync(`${mirror}/attachments/note.txt`, "a blob in the mirror");
    expect(valueOf<{ rows: { path: string }[] }>(await handlers.dispatch("blobs.list", { offset: 0, limit: 10 })).rows.map((b) => b.path)).toEqual(["attachments/note.txt"]);
    const chunk = valueOf<{ base64: string }>(await handlers.dispatch("blobs.read", { path: "attachments/note.txt", offset: 0, length: 100 }));
    expect(Buffer.from(chunk.base64, "base64").toString()).toBe("a blob in the mirror");
    await handlers.store.closeSession();
  });

  it("refuses writer mode with a message that says to use agent mode, and writes nothing", async () => {
    const handlers = handlersFor("modes");
    await server.flush();
    const from = server.requests.length;
    const error = errorOf(await handlers.dispatch("store.open", { dir: server.url("shared/store"), mode: "writer" }));
    expect(error).toMatchObject({ code: "bad-argument" });
    expect(error.message).toMatch(/agent mode/);
    await server.flush();
    expect(server.requests.slice(from).filter((r) => !["GET", "HEAD"].includes(r.method) && !r.url.startsWith("/__flush"))).toEqual([]);
  });

  it("agent mode writes through opslog-s3 (a batch object per write), compacts under its conditional-write lock, and undoes its own op; the published opslog reads the result", async () => {
    const prefix = "agent/store";
    await writeS3Store(server, prefix);
    const handlers = handlersFor("agent");
    const opened = valueOf<OpenResult>(await handlers.dispatch("store.open", { dir: server.url(prefix), mode: "agent", agentId: "explorer" }));
    expect(opened.session).toMatchObject({ mode: "agent", agentId: "explorer" });
    const records = async () => valueOf<{ rows: { id: string; data: unknown }[] }>(await handlers.dispatch("records", { offset: 0, limit: 1000 })).rows.map((r) => [r.id, r.data]).sort(([a], [b]) => String(a).localeCompare(String(b)));
    await server.flush();
    const from = server.requests.length;
    valueOf(await handlers.dispatch("actions.set", { id: "x1", value: task(700, "from the explorer") }));
    valueOf(await handlers.dispatch("actions.set", { id: "x2", value: task(701, "to be undone") }));
    await server.flush();
    expect(server.requests.slice(from).filter((r) => r.method === "PUT" && decodeURIComponent(r.url).includes("/ops/agent-explorer-") && r.url.includes("/batch-"))).toHaveLength(2);
    valueOf(await handlers.dispatch("actions.undo", {}));
    expect(await records()).toEqual(await publishedS3State(server, prefix));
    expect((await records()).map(([id]) => id)).toContain("x1");
    expect((await records()).map(([id]) => id)).not.toContain("x2");
    const confirmAgents = valueOf<CompactPreview>(await handlers.dispatch("actions.compactPreview", {})).otherAgents.map((a) => a.agent);
    await server.flush();
    const beforeCompact = server.requests.length;
    valueOf(await handlers.dispatch("actions.compact", { confirmAgents }));
    await server.flush();
    const compaction = server.requests.slice(beforeCompact).map((r) => ({ ...r, url: decodeURIComponent(r.url) }));
    const lockAt = compaction.findIndex((r) => r.method === "PUT" && r.url.includes(`/${prefix}/.compact-lock`) && r.ifNoneMatch === "*");
    const snapshotAt = compaction.findIndex((r) => r.method === "PUT" && r.url.includes(`/${prefix}/snapshots/`));
    const releaseAt = compaction.findIndex((r) => r.method === "DELETE" && r.url.includes(`/${prefix}/.compact-lock`));
    expect(lockAt).toBeGreaterThanOrEqual(0);
    expect(lockAt < snapshotAt && snapshotAt < releaseAt).toBe(true);
    expect(await records()).toEqual(await publishedS3State(server, prefix));
    await handlers.store.closeSession();
  });

  it("shows another agent's writes live, by polling the listing", async () => {
    const handlers = handlersFor("live", 30);
    const events: StoreChangedEvent[] = [];
    handlers.store.onChange((e) => events.push(e));
    const opened = valueOf<OpenResult>(await handlers.dispatch("store.open", { dir: server.url("shared/store") }));
    const before = opened.summary.counts.records;
    const hana = await openS3Agent(server, "shared/store", "hana");
    await hana.set("h1", task(600, "todo"));
    await hana.close();
    await until("the new record", () => events.some((e) => e.summary?.counts.records === before! + 1));
    const page = valueOf<{ rows: { id: string }[] }>(await handlers.dispatch("records", { offset: 0, limit: 1000, idContains: "h1" }));
    expect(page.rows.map((r) => r.id)).toEqual(["h1"]);
    await handlers.store.closeSession();
  });

  it("reports the load's progress (objects and bytes) while an S3 store opens, and nothing once it is open", async () => {
    const handlers = handlersFor("progress");
    const seen: (LoadProgress | null)[] = [];
    let done = false;
    const opening = handlers.dispatch("store.open", { dir: server.url("shared/store") }).finally(() => (done = true));
    while (!done) {
      seen.push(valueOf<LoadProgress | null>(await handlers.dispatch("store.loading", {})));
      await new Promise((r) => setTimeout(r, 1));
    }
    valueOf(await opening);
    const reported = seen.filter((p): p is LoadProgress => p !== null);
    expect(reported.length).toBeGreaterThan(0);
    expect(reported.at(-1)!.url).toBe(server.url("shared/store"));
    expect(reported.every((p) => p.objects <= p.totalObjects && p.bytes <= p.totalBytes)).toBe(true);
    expect(valueOf(await handlers.dispatch("store.loading", {}))).toBeNull();
    await handlers.store.closeSession();
  });

  it("a single-writer S3 store (opslog-s3 without an agent id) opens read-only with its WAL, and agent mode on it waits for the user's confirmation, naming the S3 address", async () => {
    const prefix = "single/store";
    const writer = new Published<Task>();
    await writer.open(prefix, { backend: new S3Backend({ bucket: server.bucket, prefix, client: server.client() }), checkpointOnClose: false, checkpointThreshold: 1000 });
    await writer.set("s1", task(1, "todo"));
    await writer.set("s2", task(2, "todo"));
    await writer.close();
    const handlers = handlersFor("single");
    const opened = valueOf<OpenResult>(await handlers.dispatch("store.open", { dir: server.url(prefix) }));
    expect(opened.summary.kind).toBe("single-writer");
    expect(opened.summary.lanes.map((l) => [l.path.replace(/\d+$/, "<ms>"), l.ops])).toEqual([["ops/wal-<ms>", 2]]);
    await handlers.store.closeSession();
    await handlers.store.openFromCommandLine(server.url(prefix), "agent", "explorer");
    expect(valueOf(await handlers.dispatch("store.pending", {}))).toMatchObject({ dir: server.url(prefix), mode: "agent" });
  });

  it("an unreachable endpoint or a prefix that is no store gets a clear error", async () => {
    const handlers = handlersFor("errors");
    expect(errorOf(await handlers.dispatch("store.open", { dir: server.url("no/store/here") })).message).toMatch(/no manifest\.json/);
    const closed = "s3://opslog-test/x?endpoint=http%3A%2F%2F127.0.0.1%3A1&region=us-east-1";
    expect(errorOf(await handlers.dispatch("store.open", { dir: closed })).message).toMatch(/could not be reached|ECONNREFUSED/);
  });
});
