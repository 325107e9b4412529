// Blobs (blobs.ts) on a store whose records and blobs were written by the
// published opslog (Store + its FsBackend's writeBlob): listed, read by range
// and linked from records, compared with the bytes written here.
import { randomBytes } from "node:crypto";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { FsBackend, Store as Published } from "@backloghq/opslog";
import { beforeAll, describe, expect, it } from "vitest";
import { blobRefs, listBlobs, readBlobChunk } from "../../src/inspect/blobs.js";
import { hashTree } from "../helpers/tmp.js";
import { suiteDir } from "./fixtures.js";

const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4b20000000049454e44ae426082", "hex");

describe("blobs of a store written by the published opslog", () => {
  let dir: string;
  const blobs: Record<string, Buffer> = {
    "attachments/photo.png": PNG,
    "attachments/notes.txt": Buffer.from("plain text, ünïcode too\n"),
    "data/config.json": Buffer.from(JSON.stringify({ retries: 3, agents: ["a", "b"] })),
    "data/big.bin": Buffer.concat([Buffer.from([0, 1, 2]), randomBytes(3 * 1024 * 1024)]),
  };

  beforeAll(async () => {
    dir = await suiteDir();
    const backend = new FsBackend();
    const store = new Published<Record<string, unknown>>();
    await store.open(dir, { backend, checkpointThreshold: 2 });
    for (const [path, content] of Object.entries(blobs)) await backend.writeBlob(path, content);
    await store.set("t1", { title: "with a photo", attachment: "attachments/photo.png", nested: { config: "data/config.json" }, other: "not-a-blob" });
    await store.set("t2", { title: "no blobs", status: "todo" });
    await store.set("t3", { title: "names a file of the store itself", file: "manifest.json" });
    await store.close(); // compacts: snapshots/ and ops/ hold more files, none of them blobs
  });

  it("lists every blob with its size, and none of opslog's own files", async () => {
    const page = await listBlobs(dir, { offset: 0, limit: 100 });
    const expected = Object.entries(blobs).map(([path, b]) => [path, b.length]).sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1));
    expect(page.rows.map((b) => [b.path, b.bytes])).toEqual(expected);
    expect(page.total).toBe(4);
    const narrowed = await listBlobs(dir, { offset: 0, limit: 100, pathContains: "attachments/" });
    expect(narrowed.rows.map((b) => b.path)).toEqual(["attachments/notes.txt", "attachments/photo.png"]);
  });

  it("reads a blob whole, and a big one by range, byte for byte as written", async () => {
    const text = await readBlobChunk(dir, "attachments/notes.txt", 0, 1024);
    expect(Buffer.from(text.base64, "base64")).toEqual(blobs["attachments/notes.txt"]);
    const big = blobs["data/big.bin"];
    const offset = 1_500_000;
    const range = await readBlobChunk(dir, "data/big.bin", offset, 4096);
    expect(range.bytes).toBe(big.length);
    expect(Buffer.from(range.base64, "base64")).toEqual(big.subarray(offset, offset + 4096));
    const tail = await readBlobChunk(dir, "data/big.bin", big.length - 10, 4096);
    expect(Buffer.from(tail.base64, "base64")).toEqual(big.subarray(big.length - 10));
  });

  it("tells an image, JSON, text and binary apart for the preview", async () => {
    const kinds = await Promise.all(Object.keys(blobs).map(async (p) => [p, (await readBlobChunk(dir, p, 0, 16)).kind]));
    expect(Object.fromEntries(kinds)).toEqual({ "attachments/photo.png": "image", "attachments/notes.txt": "text", "data/config.json": "json", "data/big.bin": "binary" });
    expect((await readBlobChunk(dir, "attachments/photo.png", 0, 16)).mime).toBe("image/png");
  });

  it("links a record's values that name a blob, nested ones too, and not other strings nor opslog's own files", async () => {
    const store = new Published<Record<string, unknown>>();
    await store.open(dir, { readOnly: true });
    expect(await blobRefs(dir, store.get("t1") as Record<string, unknown>)).toEqual(["attachments/photo.png", "data/config.json"]);
    expect(await blobRefs(dir, store.get("t2") as Record<string, unknown>)).toEqual([]);
    expect(await blobRefs(dir, store.get("t3") as Record<string, unknown>)).toEqual([]);
    await store.close();
  });

  it("refuses paths that are not blobs of this store: opslog's files, paths outside it", async () => {
    await expect(readBlobChunk(dir, "manifest.json", 0, 10)).rejects.toThrow(/not a blob/);
    await expect(readBlobChunk(dir, "../outside", 0, 10)).rejects.toThrow(/not a blob/);
    await expect(readBlobChunk(dir, "ops/x.jsonl", 0, 10)).rejects.toThrow(/not a blob/);
    await expect(readBlobChunk(dir, "data/none.bin", 0, 10)).rejects.toThrow(/no blob/);
  });

  it("listing and reading blobs writes nothing", async () => {
    const before = await hashTree(dir);
    await listBlobs(dir, { offset: 0, limit: 100 });
    for (const path of Object.keys(blobs)) await readBlobChunk(dir, path, 0, 1024 * 1024);
    expect(await hashTree(dir)).toEqual(before);
  });
});

describe("links in a store's blobs (made on disk with symlink)", () => {
  let dir: string;
  let outside: string;

  beforeAll(async () => {
    dir = await suiteDir();
    outside = await suiteDir("opslog-outside-");
    await writeFile(join(outside, "secret.txt"), "the machine's secret");
    await mkdir(join(outside, "private"));
    await writeFile(join(outside, "private", "key.pem"), "a private key");
    const backend = new FsBackend();
    const store = new Published<Record<string, unknown>>();
    await store.open(dir, { backend, checkpointOnClose: false });
    await backend.writeBlob("attachments/notes.txt", Buffer.from("notes inside the store"));
    await store.set("t1", { leak: "attachments/x.txt", folder: "linked/key.pem", alias: "attachments/alias.txt", own: "attachments/manifest-link" });
    await store.close();
    await symlink(join(outside, "secret.txt"), join(dir, "attachments", "x.txt")); // a file link leading out
    await symlink(join(outside, "private"), join(dir, "linked")); // a folder link leading out
    await symlink("notes.txt", join(dir, "attachments", "alias.txt")); // a link to a blob of the store
    await symlink("../manifest.json", join(dir, "attachments", "manifest-link")); // a link to opslog's own file
  });

  it("refuses to read through a link that leads out of the store (a linked file, a linked folder) or to opslog's own file", async () => {
    await expect(readBlobChunk(dir, "attachments/x.txt", 0, 100)).rejects.toMatchObject({ code: "bad-argument", message: expect.stringMatching(/symbolic link .* leads out of this store's blobs/) });
    await expect(readBlobChunk(dir, "linked/key.pem", 0, 100)).rejects.toMatchObject({ code: "bad-argument" });
    await expect(readBlobChunk(dir, "attachments/manifest-link", 0, 100)).rejects.toMatchObject({ code: "bad-argument" });
  });

  it("follows a link that stays among the store's blobs, and lists it", async () => {
    const chunk = await readBlobChunk(dir, "attachments/alias.txt", 0, 100);
    expect(Buffer.from(chunk.base64, "base64").toString()).toBe("notes inside the store");
    const listed = await listBlobs(dir, { offset: 0, limit: 100 });
    expect(listed.rows.map((b) => b.path)).toEqual(["attachments/alias.txt", "attachments/notes.txt"]);
  });

  it("offers no link of a record that leads out of the store", async () => {
    const store = new Published<Record<string, unknown>>();
    await store.open(dir, { readOnly: true });
    expect(await blobRefs(dir, store.get("t1") as Record<string, unknown>)).toEqual(["attachments/alias.txt"]);
    await store.close();
  });
});

describe("control characters in a blob", () => {
  let dir: string;
  const blobs: Record<string, Buffer> = {
    "logs/bells.txt": Buffer.alloc(200 * 1024, 0x07), // 200 KB of BEL: no text, though valid UTF-8 with no NUL
    "logs/escape.txt": Buffer.from("colour \x1b[31mred\x1b[0m\n"),
    "logs/del.txt": Buffer.from("a\x7fb\n"),
    "logs/plain.log": Buffer.from("when\twho\twhat\r\n12:00\tplanner\tstarted\r\n"),
  };

  beforeAll(async () => {
    dir = await suiteDir();
    const backend = new FsBackend();
    const store = new Published<Record<string, unknown>>();
    await store.open(dir, { backend });
    for (const [path, content] of Object.entries(blobs)) await backend.writeBlob(path, content);
    await store.close();
  });

  it("a blob with control characters other than tab, newline and CR is binary; tabs, CRs and newlines stay text", async () => {
    const kinds = await Promise.all(Object.keys(blobs).map(async (p) => [p, (await readBlobChunk(dir, p, 0, 4096)).kind]));
    expect(Object.fromEntries(kinds)).toEqual({ "logs/bells.txt": "binary", "logs/escape.txt": "binary", "logs/del.txt": "binary", "logs/plain.log": "text" });
  });
});
