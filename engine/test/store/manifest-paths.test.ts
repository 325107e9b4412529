// Paths in manifest.json stay inside the store folder: a crafted manifest that
// names a file outside it (by "..", an absolute path or a symbolic link) makes
// opening fail with an error naming the field and the value, in every mode of
// the engine's Store and in the inspector; nothing outside is read or written
// (every path handed to node:fs/promises during the open is recorded).
import { mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Store as Published } from "@backloghq/opslog";
import { describe, expect, it, vi } from "vitest";
import { Store } from "../../src/index.js";
import { openInspector } from "../../src/inspect/index.js";
import { tempDir } from "../helpers/tmp.js";

const touched = vi.hoisted(() => [] as string[]);

vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  const record = <F extends (...args: never[]) => unknown>(fn: F) =>
    ((...args: Parameters<F>) => {
      touched.push(String(args[0]));
      return fn(...args);
    }) as F;
  const wrapped = {
    ...real,
    open: record(real.open),
    readFile: record(real.readFile),
    writeFile: record(real.writeFile),
    appendFile: record(real.appendFile),
    readdir: record(real.readdir),
    stat: record(real.stat),
    truncate: record(real.truncate),
    rename: record(real.rename),
  };
  return { ...wrapped, default: wrapped };
});

type Doc = Record<string, unknown>;
type Manifest = Record<string, unknown> & { archiveSegments: string[] };

/** A store written by the published opslog, and a folder beside it holding files that would change its state if read. */
async function storeAndOutside(): Promise<{ dir: string; outside: string; manifest: Manifest }> {
  const root = await tempDir();
  const dir = join(root, "store");
  const outside = join(root, "outside");
  await mkdir(outside);
  const intruder = { ts: "2026-01-01T00:00:00.000Z", op: "set", id: "intruder", data: { from: "outside" }, prev: null };
  await writeFile(join(outside, "x.jsonl"), JSON.stringify(intruder) + "\n");
  await writeFile(join(outside, "snap.jsonl"), JSON.stringify({ version: 1, timestamp: intruder.ts }) + "\n" + JSON.stringify({ id: "intruder", data: {} }) + "\n");
  await writeFile(join(outside, "archive.json"), JSON.stringify({ version: 1, period: "x", timestamp: intruder.ts, records: { intruder: {} } }));
  const store = new Published<Doc>();
  await store.open(dir, { checkpointOnClose: false });
  await store.set("a", { n: 1 });
  await store.close();
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as Manifest;
  return { dir, outside, manifest };
}

async function outsideFiles(outside: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await readdir(outside)) out[name] = await readFile(join(outside, name), "utf-8");
  return out;
}

interface Crafted {
  name: string;
  field: string;
  /** Change the manifest (and the store) so that one path leads outside; returns the value written. */
  craft(m: Manifest, dir: string, outside: string): Promise<string>;
}

const crafted: Crafted[] = [
  { name: "currentSnapshot with ..", field: "currentSnapshot", craft: async (m) => (m.currentSnapshot = "../outside/snap.jsonl") },
  { name: "activeOps with ..", field: "activeOps", craft: async (m) => (m.activeOps = "../outside/x.jsonl") },
  { name: "activeOps absolute", field: "activeOps", craft: async (m, _dir, outside) => (m.activeOps = join(outside, "x.jsonl")) },
  {
    name: "an activeAgentOps value with ..",
    field: 'activeAgentOps["agent-a"]',
    craft: async (m) => {
      m.activeAgentOps = { "agent-a": m.activeOps as string, "agent-b": "ops/../../outside/x.jsonl" };
      (m.activeAgentOps as Record<string, string>)["agent-a"] = "../outside/x.jsonl";
      return "../outside/x.jsonl";
    },
  },
  { name: "an archiveSegments entry with ..", field: "archiveSegments[0]", craft: async (m) => (m.archiveSegments = ["../outside/archive.json"])[0] },
  {
    name: "activeOps through a symbolic link to a file outside",
    field: "activeOps",
    craft: async (m, dir, outside) => {
      await symlink(join(outside, "x.jsonl"), join(dir, "ops", "linked.jsonl"));
      return (m.activeOps = "ops/linked.jsonl");
    },
  },
  {
    name: "activeOps in a folder that is a symbolic link to a folder outside (the file not there yet)",
    field: "activeOps",
    craft: async (m, dir, outside) => {
      await symlink(outside, join(dir, "elsewhere"));
      return (m.activeOps = "elsewhere/new.jsonl");
    },
  },
];

const opens: [string, (dir: string) => Promise<unknown>][] = [
  ["Store read-only", (dir) => new Store().open(dir, { readOnly: true })],
  ["Store writer", (dir) => new Store().open(dir, { checkpointOnClose: false })],
  ["Store agent", (dir) => new Store().open(dir, { agentId: "agent-z", checkpointOnClose: false })],
  ["inspector", (dir) => openInspector(dir)],
];

describe("manifest paths that lead outside the store folder", () => {
  for (const c of crafted) {
    for (const [mode, open] of opens) {
      it(`${mode}: ${c.name} fails to open, naming the field and value; nothing outside is read or written`, async () => {
        const { dir, outside, manifest } = await storeAndOutside();
        const value = await c.craft(manifest, dir, outside);
        await writeFile(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
        const before = await outsideFiles(outside);
        touched.length = 0;
        const error = await open(dir).then(() => null, (err: unknown) => err);
        const seen = touched.splice(0);
        expect(error).toMatchObject({ code: "bad-manifest" });
        expect((error as Error).message).toContain(`${c.field} is ${JSON.stringify(value)}`);
        expect(await outsideFiles(outside)).toEqual(before);
        const root = resolve(dir);
        expect(seen.length).toBeGreaterThan(0); // the recording works
        expect(seen.map((p) => resolve(p)).filter((p) => !p.startsWith(root + "/") && p !== root)).toEqual([]);
      });
    }
  }

  it("Store: a path that only passes through .. inside the folder (ops/../ops/x) still opens", async () => {
    const { dir, manifest } = await storeAndOutside();
    manifest.activeOps = `ops/../${manifest.activeOps as string}`;
    await writeFile(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
    const store = new Store<Doc>();
    await store.open(dir, { readOnly: true });
    expect(store.get("a")).toEqual({ n: 1 });
    await store.close();
  });
});
