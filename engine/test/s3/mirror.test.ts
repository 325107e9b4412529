// An S3 store, written by the published opslog + opslog-s3 on a real S3 HTTP
// API (s3rver), mirrored by the explorer and inspected: it answers exactly
// as the same store copied to a folder by the test's own code, fetches only
// what is new on a second sync, and sends nothing but reads.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { S3Backend } from "@backloghq/opslog-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listBlobs, openInspector, readBlobChunk } from "../../src/inspect/index.js";
import { createS3Client } from "../../src/s3/client.js";
import { parseS3Url } from "../../src/s3/location.js";
import { S3Mirror, isBlobKey } from "../../src/s3/mirror.js";
import type { FetchProgress } from "../../src/s3/objects.js";
import { answers, publishedState, suiteDir } from "../inspect/fixtures.js";
import { startS3Server } from "../helpers/s3server.js";
import type { S3TestServer } from "../helpers/s3server.js";
import { asS3Names, copyS3StoreToFolder, listKeys, openS3Agent, publishedS3State, task, writeS3Store } from "./fixtures.js";

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => server?.close());

function mirrorOf(prefix: string, cacheRoot: string): S3Mirror {
  const location = parseS3Url(server.url(prefix));
  return new S3Mirror(location, createS3Client(location), cacheRoot);
}

/** Answers with the parts that name where a copy lives (its folder, file times) left out. */
async function comparable(dir: string): Promise<unknown> {
  const insp = await openInspector(dir);
  try {
    const segments = await insp.archiveSegments();
    const all = { ...(await answers(insp)), segments, archived: await Promise.all(segments.map((a) => insp.archivePage({ path: a.path, offset: 0, limit: 1000 }))) };
    const text = asS3Names(JSON.stringify(all)).split(dir).join("<store>");
    return JSON.parse(text, (key, value: unknown) => (key === "mtime" || key === "mtimeMs" ? undefined : value));
  } finally {
    await insp.close();
  }
}

describe("an S3 store, mirrored", () => {
  it("answers every view (records, ops, lanes, archive, history, conflicts, lost writes) as the same store copied to a folder, and holds the published opslog's state", async () => {
    const prefix = "teams/alpha";
    await writeS3Store(server, prefix);
    const cache = await suiteDir("opslog-s3-cache-");
    const copy = await suiteDir("opslog-s3-copy-");
    await copyS3StoreToFolder(server, prefix, copy);
    const mirror = mirrorOf(prefix, cache);
    await mirror.sync();
    const [fromS3, fromDisk] = [await comparable(mirror.dir), await comparable(copy)];
    expect(fromS3).toEqual(fromDisk);
    const summary = (fromS3 as { summary: { counts: Record<string, number>; lanes: unknown[] } }).summary;
    expect(summary.lanes.length).toBeGreaterThanOrEqual(4); // three agents and a retired WAL at least
    expect((fromS3 as { lostWrites: { total: number } }).lostWrites.total).toBeGreaterThan(0);
    expect((fromS3 as { archived: { total: number }[] }).archived.map((a) => a.total)).toEqual([1]); // b1, archived by alice
    // The truth: the published opslog reading S3, and reading the folder copy.
    const insp = await openInspector(mirror.dir);
    const rows = (await insp.records({ offset: 0, limit: 1000 })).rows.map((r) => [r.id, r.data]);
    await insp.close();
    const expected = await publishedS3State(server, prefix);
    expect(rows.sort(([a], [b]) => String(a).localeCompare(String(b)))).toEqual(expected);
    expect(await publishedState(copy, "reader")).toEqual(expected); // as an agent: read-only, the published opslog reads activeOps alone
  });

  it("a second sync lists once and fetches only the batches written since, appending them to the mirrored WAL", async () => {
    const prefix = "teams/beta";
    await writeS3Store(server, prefix);
    const cache = await suiteDir("opslog-s3-cache-");
    const first = mirrorOf(prefix, cache);
    const progress: FetchProgress[] = [];
    const loaded = await first.sync((p) => progress.push(p));
    const objects = (await listKeys(server, prefix)).length;
    expect(loaded.fetchedObjects).toBe(objects);
    expect(progress.at(-1)).toMatchObject({ objects, totalObjects: objects });
    expect(progress.at(-1)!.bytes).toBe(progress.at(-1)!.totalBytes);

    await first.release();
    const again = mirrorOf(prefix, cache); // a new session, the same cache
    await server.flush();
    const before = server.requests.length;
    expect(await again.sync()).toMatchObject({ fetchedObjects: 0, fetchedBytes: 0, changed: false });
    await server.flush();
    const sent = server.requests.slice(before);
    expect(sent.filter((r) => !r.url.startsWith("/__flush")).every((r) => r.method === "GET" && r.url.includes("list-type=2"))).toBe(true);

    const dave = await openS3Agent(server, prefix, "dave");
    await dave.set("d1", task(500, "todo"));
    await dave.set("d2", task(501, "todo"));
    await dave.close();
    await server.flush();
    const since = server.requests.length;
    const update = await again.sync();
    await server.flush();
    const gets = server.requests.slice(since).filter((r) => r.method === "GET" && !r.url.includes("list-type") && !r.url.startsWith("/__flush"));
    expect(update.fetchedObjects).toBe(gets.length);
    expect(gets.map((r) => decodeURIComponent(r.url)).filter((u) => u.includes("/batch-"))).toHaveLength(2); // dave's two writes, nothing older
    const copy = await suiteDir("opslog-s3-copy-");
    await copyS3StoreToFolder(server, prefix, copy);
    expect(await comparable(again.dir)).toEqual(await comparable(copy));
  });

  it("an undo that rewrote or deleted the last batch is mirrored: the WAL is cut back and the batch fetched again", async () => {
    const prefix = "teams/gamma";
    const erin = await openS3Agent(server, prefix, "erin");
    await erin.set("e1", task(1, "todo"));
    await erin.set("e2", task(2, "todo"));
    const cache = await suiteDir("opslog-s3-cache-");
    const mirror = mirrorOf(prefix, cache);
    await mirror.sync();
    await erin.undo(); // deletes e2's batch
    await erin.set("e3", task(3, "todo"));
    await erin.close();
    await mirror.sync();
    const copy = await suiteDir("opslog-s3-copy-");
    await copyS3StoreToFolder(server, prefix, copy);
    expect(await comparable(mirror.dir)).toEqual(await comparable(copy));
    expect(await publishedState(copy, "reader")).toEqual(await publishedS3State(server, prefix));
  });

  it("a single-object WAL (opslog-s3 0.1) that grew is fetched from where the copy ends (a ranged GET); one rewritten is fetched whole", async () => {
    const prefix = "teams/legacy";
    const backend = new S3Backend({ bucket: server.bucket, prefix, client: server.client() });
    const wal = "ops/agent-old-1700000000000.jsonl";
    const snapshot = await backend.writeSnapshot(new Map(), 1);
    const stamp = new Date().toISOString();
    await backend.writeManifest({ version: 1, currentSnapshot: snapshot, activeOps: wal, activeAgentOps: { old: wal }, archiveSegments: [], stats: { activeRecords: 0, archivedRecords: 0, opsCount: 0, created: stamp, lastCheckpoint: stamp } });
    let clock = 0;
    const op = (id: string, n: number) => ({ ts: new Date().toISOString(), op: "set" as const, id, data: task(n, "todo"), prev: null, agent: "old", clock: ++clock });
    await backend.appendOps(wal, [op("o1", 1), op("o2", 2)]);
    const mirror = mirrorOf(prefix, await suiteDir("opslog-s3-cache-"));
    await mirror.sync();
    await backend.appendOps(wal, [op("o3", 3)]); // opslog-s3 0.1: get, append, put the whole object
    await server.flush();
    const from = server.requests.length;
    await mirror.sync();
    await server.flush();
    const walGets = server.requests.slice(from).filter((r) => r.method === "GET" && decodeURIComponent(r.url).includes(wal));
    expect(walGets).toHaveLength(1);
    expect(walGets[0].range).toMatch(/^bytes=\d+-$/);
    const onS3 = async () => (await server.client().send(new GetObjectCommand({ Bucket: server.bucket, Key: `${prefix}/${wal}` }))).Body!.transformToString();
    expect(await readFile(join(mirror.dir, wal), "utf-8")).toBe(await onS3());
    await backend.truncateLastOp(wal); // rewritten shorter, then grown past its old size
    await backend.appendOps(wal, [op("o4", 4), op("o5", 5)]);
    await mirror.sync();
    expect(await readFile(join(mirror.dir, wal), "utf-8")).toBe(await onS3());
    const insp = await openInspector(mirror.dir);
    expect((await insp.records({ offset: 0, limit: 10 })).rows.map((r) => r.id).sort()).toEqual(["o1", "o2", "o4", "o5"]);
    await insp.close();
  });

  it("two sessions on one store at once never share a mirror: the second gets a private one, and the cache goes to the next once released", async () => {
    const prefix = "teams/twin";
    await writeS3Store(server, prefix);
    const cache = await suiteDir("opslog-s3-cache-");
    const first = mirrorOf(prefix, cache);
    await first.sync();
    const second = mirrorOf(prefix, cache);
    expect((await second.sync()).fetchedObjects).toBeGreaterThan(0);
    expect(second.dir).not.toBe(first.dir);
    const copy = await suiteDir("opslog-s3-copy-");
    await copyS3StoreToFolder(server, prefix, copy);
    expect(await comparable(second.dir)).toEqual(await comparable(copy));
    const privateDir = second.dir;
    await second.release();
    await expect(readdir(privateDir)).rejects.toThrow(); // a private mirror is removed
    await first.release();
    const third = mirrorOf(prefix, cache);
    expect(await third.sync()).toMatchObject({ fetchedObjects: 0 });
    expect(third.dir).toBe(first.dir);
    await third.release();
  });

  it("lists every page of a prefix with more than 1000 objects", async () => {
    const prefix = "teams/many";
    const frank = await openS3Agent(server, prefix, "frank");
    for (let i = 0; i < 1010; i++) await frank.set(`f${i % 50}`, task(i, "todo"));
    await frank.close();
    expect((await listKeys(server, prefix, 1000)).length).toBeGreaterThan(1000);
    const mirror = mirrorOf(prefix, await suiteDir("opslog-s3-cache-"));
    await mirror.sync();
    const insp = await openInspector(mirror.dir);
    expect((await insp.timelineInfo()).total).toBe(1010);
    await insp.close();
  });

  it("a prefix without manifest.json is not a store, and says which address was tried", async () => {
    const mirror = mirrorOf("nothing/here", await suiteDir("opslog-s3-cache-"));
    await expect(mirror.sync()).rejects.toThrow(/s3:\/\/opslog-test\/nothing\/here.*no manifest\.json/);
  });

  it("mirrors into its cache folder only, and copies no lock object (an S3 lock is JSON with a TTL, not a local process id)", async () => {
    const prefix = "teams/locked";
    const gina = await openS3Agent(server, prefix, "gina");
    await gina.set("g1", task(1, "todo"));
    await gina.close();
    await server.client().send(new PutObjectCommand({ Bucket: server.bucket, Key: `${prefix}/.compact-lock`, Body: JSON.stringify({ agent: "pid-1", pid: 1, timestamp: Date.now(), ttlMs: 60_000 }) }));
    const cache = await suiteDir("opslog-s3-cache-");
    const mirror = mirrorOf(prefix, cache);
    await mirror.sync();
    expect(mirror.dir.startsWith(cache)).toBe(true);
    expect(await readdir(mirror.dir)).not.toContain(".compact-lock");
    expect(await readdir(mirror.dir)).toContain("manifest.json");
  });

  it("mirrors the store's blobs (opslog-s3 writeBlob) byte for byte, follows a changed or deleted one, and leaves out folder markers and *.tmp", async () => {
    const prefix = "teams/blobs";
    const hana = await openS3Agent(server, prefix, "hana");
    await hana.set("h1", task(1, "todo"));
    await hana.close();
    const backend = new S3Backend({ bucket: server.bucket, prefix, client: server.client() });
    const bytes = Buffer.from([0xff, 0x00, 0xe6, 0x97, 0xa5, 0x0a]); // not UTF-8 text: copied as bytes
    await backend.writeBlob("files/report.bin", bytes);
    await backend.writeBlob("notes.txt", Buffer.from("ünïcode\n"));
    await backend.writeBlob("deep/a/b/c.json", Buffer.from('{"a":1}'));
    const put = (key: string, body: string) => server.client().send(new PutObjectCommand({ Bucket: server.bucket, Key: `${prefix}/${key}`, Body: body }));
    await put("folder-marker/", ""); // a console's "folder": no blob
    await put("files/partial.tmp", "x");
    const cache = await suiteDir("opslog-s3-cache-");
    const mirror = mirrorOf(prefix, cache);
    await mirror.sync();
    const blobs = await listBlobs(mirror.dir, { offset: 0, limit: 100 });
    expect(blobs.rows.map((b) => [b.path, b.bytes])).toEqual([["deep/a/b/c.json", 7], ["files/report.bin", 6], ["notes.txt", 10]]);
    expect((await readBlobChunk(mirror.dir, "files/report.bin", 0, 100)).base64).toBe(bytes.toString("base64"));
    expect(await readdir(join(mirror.dir, "files"))).toEqual(["report.bin"]);

    await backend.writeBlob("notes.txt", Buffer.from("changed"));
    await backend.deleteBlob("deep/a/b/c.json");
    const second = await mirror.sync();
    expect(second.fetchedObjects).toBe(1); // the changed blob only
    expect((await listBlobs(mirror.dir, { offset: 0, limit: 100 })).rows.map((b) => [b.path, b.bytes])).toEqual([["files/report.bin", 6], ["notes.txt", 7]]);
    await mirror.release();
  });

  it("takes as a blob only a key that makes a plain relative path: none with an empty, '.' or '..' part, and none of opslog's own", () => {
    for (const key of ["notes.txt", "files/a.json", "deep/a/b/c.bin", "..hidden", "a..b/c"]) expect(isBlobKey(key), key).toBe(true);
    for (const key of ["../escape.txt", "files/../../x", "files/./x", "a//b", "folder/", "/abs", "manifest.json", ".lock", ".compact-lock", "snapshots/x.jsonl", "ops/agent-a/batch-1.jsonl", "archive/archive-Q1.json", "x.tmp"]) expect(isBlobKey(key), key).toBe(false);
  });
});
