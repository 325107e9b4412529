// A cache file is trusted once it has its name, so its bytes must be on the
// disk before the rename gives it that name: otherwise a power cut can leave
// a file of the right size with holes where the index was. The file system
// calls are watched (node:fs/promises wrapped, nothing else changed), and the
// file written is read back whole.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { tempDir } from "../helpers/tmp.js";

/** What the cache code did to the file system, in order. */
const calls: string[] = [];

vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  const open: typeof real.open = async (path, ...rest) => {
    const fh = await real.open(path, ...rest);
    const sync = fh.sync.bind(fh);
    fh.sync = async () => {
      await sync();
      calls.push(`sync ${String(path)}`);
    };
    return fh;
  };
  const writeFile: typeof real.writeFile = async (path, ...rest) => {
    calls.push(`writeFile ${String(path)}`);
    return real.writeFile(path, ...rest);
  };
  const rename: typeof real.rename = async (from, to) => {
    calls.push(`rename ${String(from)}`);
    return real.rename(from, to);
  };
  return { ...real, default: { ...real, open, writeFile, rename }, open, writeFile, rename };
});

const { writeCacheFile } = await import("../../src/inspect/index-cache-files.js");

describe("a cache file's bytes reach the disk before it is renamed into place", () => {
  it("syncs the temporary file before the rename, and the file holds every byte given", async () => {
    const cache = { dir: await tempDir("opslog-cache-durable-"), maxBytes: 1 << 20 };
    const path = join(cache.dir, "s.idx");
    const payload = [Buffer.from("first part "), Buffer.alloc(70_000, 7), Buffer.from(" last part")];
    expect(await writeCacheFile(cache, path, { format: 0 }, payload)).toBe(true);
    const renamed = calls.findIndex((c) => c.startsWith("rename "));
    expect(renamed, calls.join("\n")).toBeGreaterThan(-1);
    const tmp = calls[renamed].slice("rename ".length);
    expect(tmp.endsWith(".tmp")).toBe(true);
    expect(calls.indexOf(`sync ${tmp}`), calls.join("\n")).toBeGreaterThan(-1);
    expect(calls.indexOf(`sync ${tmp}`)).toBeLessThan(renamed);
    const bytes = await readFile(path);
    expect(bytes.subarray(bytes.length - Buffer.concat(payload).length).equals(Buffer.concat(payload))).toBe(true);
  });
});
