/**
 * S3 stores for tests and benchmarks, written by the published opslog with
 * the published opslog-s3 backend (never by the explorer's engine), and the
 * same store copied to a folder by this file's own small code, in the
 * on-disk layout the published opslog writes (`ops/<wal>.jsonl`, one file per
 * WAL), so the two can be opened side by side and their answers compared.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { Store as Published } from "@backloghq/opslog";
import { S3Backend } from "@backloghq/opslog-s3";
import type { S3TestServer } from "../helpers/s3server.js";
import { threeAgentsArchiveThenLostWrites } from "../scenarios/multi-writer.js";
import { nextMs } from "../scenarios/published.js";
import type { Task } from "../scenarios/published.js";

// No vitest here (benchmarks and e2e use this file too); the record shape and clock step are the scenario library's.
export { nextMs, task } from "../scenarios/published.js";
export type { Task } from "../scenarios/published.js";

/** An agent of the published opslog on the S3 store at prefix (no automatic compaction, none on close). */
export async function openS3Agent(server: S3TestServer, prefix: string, agentId: string, options: { checkpointThreshold?: number } = {}): Promise<Published<Task>> {
  const store = new Published<Task>();
  await store.open(prefix, { backend: new S3Backend({ bucket: server.bucket, prefix, client: server.client() }), agentId, checkpointThreshold: options.checkpointThreshold ?? 100_000, checkpointOnClose: false });
  await nextMs();
  return store;
}

/** The published opslog's own state of the S3 store, read as an agent that writes nothing. */
export async function publishedS3State(server: S3TestServer, prefix: string): Promise<[string, unknown][]> {
  const store = new Published<Task>();
  await store.open(prefix, { backend: new S3Backend({ bucket: server.bucket, prefix, client: server.client() }), agentId: "reader", checkpointOnClose: false, checkpointThreshold: 100_000 });
  const entries = store.entries().sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  await store.close();
  return entries;
}

/**
 * The scenario library's threeAgentsArchiveThenLostWrites, written on S3 by
 * the same script through opslog-s3 agents: a conflict on k1, an archive of
 * the done records, bob's lost writes to his retired WAL and an undo.
 */
export async function writeS3Store(server: S3TestServer, prefix: string): Promise<{ lostIds: string[] }> {
  const written = await threeAgentsArchiveThenLostWrites.writeWith((agentId) => openS3Agent(server, prefix, agentId));
  return { lostIds: written.lostWrites.ids };
}

/** Every object under prefix, all pages (max-keys small enough that a store of any size pages). */
export async function listKeys(server: S3TestServer, prefix: string, maxKeys?: number): Promise<string[]> {
  const client = server.client();
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: server.bucket, Prefix: `${prefix}/`, ContinuationToken: token, MaxKeys: maxKeys }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/**
 * The S3 store copied to a folder as the published opslog lays a store out
 * on disk: each batch WAL becomes `ops/<wal>.jsonl`, its batches
 * concatenated in key order (opslog-s3's read order), and the manifest
 * names it so.
 */
export async function copyS3StoreToFolder(server: S3TestServer, prefix: string, dir: string): Promise<void> {
  const client = server.client();
  const get = async (key: string) => Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: server.bucket, Key: key }))).Body!.transformToByteArray());
  const wals = new Map<string, string[]>();
  for (const sub of ["snapshots", "ops", "archive"]) await mkdir(join(dir, sub), { recursive: true });
  for (const key of await listKeys(server, prefix)) {
    const rel = key.slice(prefix.length + 1);
    const batch = /^(ops\/[^/]+)\/batch-/.exec(rel);
    if (batch) wals.set(batch[1], [...(wals.get(batch[1]) ?? []), key]);
    else if (rel !== "manifest.json" && !rel.startsWith(".")) await writeFile(join(dir, rel), await get(key));
  }
  for (const [wal, keys] of wals) {
    const sorted = keys.sort();
    const bodies: Buffer[] = [];
    for (let i = 0; i < sorted.length; i += 16) bodies.push(...(await Promise.all(sorted.slice(i, i + 16).map(get)))); // a few at a time: s3rver drops connections under thousands
    await writeFile(join(dir, `${wal}.jsonl`), Buffer.concat(bodies));
  }
  const manifest = JSON.parse((await get(`${prefix}/manifest.json`)).toString()) as { activeOps: string; activeAgentOps?: Record<string, string> };
  const onDisk = (path: string) => (path.endsWith(".jsonl") ? path : `${path}.jsonl`);
  manifest.activeOps = onDisk(manifest.activeOps);
  for (const agent of Object.keys(manifest.activeAgentOps ?? {})) manifest.activeAgentOps![agent] = onDisk(manifest.activeAgentOps![agent]);
  // A WAL nobody has written to yet has no object on S3; on disk the published opslog creates it empty.
  for (const path of [manifest.activeOps, ...Object.values(manifest.activeAgentOps ?? {})]) if (!wals.has(path.replace(/\.jsonl$/, ""))) await writeFile(join(dir, path), "", { flag: "a" });
  await writeFile(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
}

/** A text with the on-disk WAL names (`….jsonl`) read as their S3 names, to compare answers about the two copies. */
export function asS3Names(text: string): string {
  return text.replace(/(ops\/(?:agent-[^"\s/]*?-\d+|ops-\d+|wal-\d+))\.jsonl/g, "$1");
}
