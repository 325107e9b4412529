// An S3 store opened current period first: the mirror fetches the manifest
// and what it names (the current snapshot, the active WALs, the named
// archive segments) and nothing of the history behind it, and the records
// that copy answers are the published opslog-s3's own read; once a whole
// sync brings the history, the same inspector, refreshed, answers every view
// as a full open does. The store is written by the published opslog +
// opslog-s3 (a retired WAL with lost writes, an archive, a blob).
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { S3Backend } from "@backloghq/opslog-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import type { InspectorApi } from "../../src/inspect/index.js";
import { createS3Client } from "../../src/s3/client.js";
import { parseS3Url } from "../../src/s3/location.js";
import { S3Mirror } from "../../src/s3/mirror.js";
import { answers, suiteDir } from "../inspect/fixtures.js";
import { startS3Server } from "../helpers/s3server.js";
import type { S3TestServer } from "../helpers/s3server.js";
import { asS3Names, listKeys, publishedS3State, writeS3Store } from "./fixtures.js";

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => server?.close());

function mirrorOf(prefix: string, cacheRoot: string): S3Mirror {
  const location = parseS3Url(server.url(prefix));
  return new S3Mirror(location, createS3Client(location), cacheRoot);
}

/** The store written, with a blob beside it; and its keys that the manifest does not name (read by the test's own code): the history. */
async function storeWithHistory(prefix: string): Promise<{ historyKeys: string[] }> {
  await writeS3Store(server, prefix);
  await new S3Backend({ bucket: server.bucket, prefix, client: server.client() }).writeBlob("attachments/a.txt", Buffer.from("a blob"));
  const body = await (await server.client().send(new GetObjectCommand({ Bucket: server.bucket, Key: `${prefix}/manifest.json` }))).Body!.transformToString();
  const manifest = JSON.parse(body) as { currentSnapshot: string; activeOps: string; activeAgentOps?: Record<string, string>; archiveSegments: string[] };
  const named = new Set(["manifest.json", manifest.currentSnapshot, manifest.activeOps, ...Object.values(manifest.activeAgentOps ?? {}), ...manifest.archiveSegments]);
  const rel = (await listKeys(server, prefix)).map((k) => k.slice(prefix.length + 1));
  return { historyKeys: rel.filter((k) => !named.has(k) && !named.has(k.replace(/\/batch-[^/]+$/, "")) && !k.startsWith(".")) };
}

/** Every view's answers, with the parts that name where a copy lives (its folder, file times) left out. */
async function comparable(insp: InspectorApi, dir: string): Promise<unknown> {
  const segments = await insp.archiveSegments();
  const all = { ...(await answers(insp)), segments, archived: await Promise.all(segments.map((a) => insp.archivePage({ path: a.path, offset: 0, limit: 1000 }))) };
  const text = asS3Names(JSON.stringify(all)).split(dir).join("<store>");
  return JSON.parse(text, (key, value: unknown) => (key === "mtime" || key === "mtimeMs" ? undefined : value));
}

describe("an S3 store, current period first", () => {
  it("lists and fetches the manifest and what it names, no object of the history, and its records are opslog-s3's own read of the store", async () => {
    const prefix = "first/current";
    const { historyKeys } = await storeWithHistory(prefix);
    expect(historyKeys.some((k) => k.startsWith("ops/"))).toBe(true); // bob's retired WAL
    expect(historyKeys).toContain("attachments/a.txt");
    const mirror = mirrorOf(prefix, await suiteDir("opslog-s3-first-"));
    await server.flush();
    const from = server.requests.length;
    const current = await mirror.sync(undefined, "current");
    await server.flush();
    const got = server.requests.slice(from).filter((r) => r.method === "GET" && !r.url.includes("list-type") && !r.url.startsWith("/__flush")).map((r) => decodeURIComponent(r.url.split("?")[0]));
    expect(got.filter((url) => url.endsWith(`/${prefix}/manifest.json`)).length).toBeGreaterThan(0); // the URLs are matched as sent
    expect(got.filter((url) => historyKeys.some((k) => url.endsWith(`/${prefix}/${k}`)))).toEqual([]);
    expect(current.whole).toBe(false);
    // Listed as opslog-s3 lists it: each named file's own prefix, never the whole store (the history's listing is the history's cost).
    const lists = server.requests.slice(from).filter((r) => r.url.includes("list-type=2")).map((r) => new URLSearchParams(r.url.split("?")[1]).get("prefix"));
    expect(lists.length).toBeGreaterThan(0);
    expect(lists.filter((p) => p === `${prefix}/` || p === `${prefix}/ops/`)).toEqual([]);
    const insp = await openInspector(mirror.dir);
    try {
      const rows = (await insp.records({ offset: 0, limit: 1000 })).rows.map((r) => [r.id, r.data]);
      expect(rows.sort(([a], [b]) => String(a).localeCompare(String(b)))).toEqual(await publishedS3State(server, prefix));
      expect((await insp.summary()).warnings.filter((w) => w.code === "missing-file")).toEqual([]);
    } finally {
      await insp.close();
      await mirror.release();
    }
  });

  it("once a whole sync brings the history, the inspector opened on the current period answers every view as a full open does", async () => {
    const prefix = "first/then-history";
    await storeWithHistory(prefix);
    const early = mirrorOf(prefix, await suiteDir("opslog-s3-first-"));
    const full = mirrorOf(prefix, await suiteDir("opslog-s3-full-"));
    await early.sync(undefined, "current");
    const insp = await openInspector(early.dir);
    await full.sync();
    const whole = await openInspector(full.dir);
    try {
      const wholeAnswers = await comparable(whole, full.dir);
      expect(await comparable(insp, early.dir)).not.toEqual(wholeAnswers); // the retired WAL's lane and lost writes are not there yet
      const history = await early.sync();
      expect(history).toMatchObject({ whole: true, changed: true });
      expect(history.fetchedObjects).toBeGreaterThan(0);
      await insp.refresh();
      expect(await comparable(insp, early.dir)).toEqual(wholeAnswers);
    } finally {
      await insp.close();
      await whole.close();
      await early.release();
      await full.release();
    }
  });
});
