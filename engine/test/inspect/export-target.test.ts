// Where an export lands (export-target.ts, export-store.ts), with links made
// on disk and "another program" played by the test at the moment the export
// is in the middle of its work (an inspector whose page call does it first):
// an export never lands inside a store through a link, never replaces a file
// that appeared meanwhile, and a failed one removes only what it made.
import { mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Store as Published } from "@backloghq/opslog";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import type { InspectorApi } from "../../src/inspect/index.js";
import { exportStore } from "../../src/inspect/export-store.js";
import { placeFile } from "../../src/inspect/export-target.js";
import { hashTree, tempDir } from "../helpers/tmp.js";
import { sixTasksCompactedThenEdited } from "../scenarios/index.js";
import { suiteDir } from "./fixtures.js";

/** The inspector, but its records page call first runs `meanwhile` (another program at work), then fails if `fail`. */
function interrupted(insp: InspectorApi, meanwhile: () => Promise<void>, fail = false): InspectorApi {
  return new Proxy(insp, {
    get(target, prop) {
      if (prop === "records") {
        return async (arg: Parameters<InspectorApi["records"]>[0]) => {
          await meanwhile();
          if (fail) throw new Error("the source stopped answering");
          return target.records(arg);
        };
      }
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe("exporting a store: where it lands and what a failure leaves", () => {
  let dir: string;
  let insp: InspectorApi;

  beforeAll(async () => {
    dir = (await sixTasksCompactedThenEdited.build(await suiteDir())).dir;
    insp = await openInspector(dir);
  });
  afterAll(async () => insp.close());

  it("refuses a folder that is inside the store through a linked path (ln -s STORE alias; alias/snapshots/nested), and writes nothing in the store", async () => {
    const work = await tempDir();
    const alias = join(work, "alias");
    await symlink(dir, alias);
    const before = await hashTree(dir);
    await expect(exportStore(insp, join(alias, "snapshots", "nested"))).rejects.toMatchObject({ code: "bad-argument", message: expect.stringMatching(/inside the store .*through a symbolic link/) });
    await expect(exportStore(insp, alias)).rejects.toMatchObject({ code: "bad-argument" });
    expect(await hashTree(dir)).toEqual(before);
  });

  it("refuses a folder inside any other open store, through a link too", async () => {
    const other = (await sixTasksCompactedThenEdited.build(await tempDir())).dir;
    const work = await tempDir();
    await symlink(other, join(work, "other-alias"));
    const before = await hashTree(other);
    await expect(exportStore(insp, join(other, "copy"), undefined, { openStores: [other] })).rejects.toMatchObject({ code: "bad-argument" });
    await expect(exportStore(insp, join(work, "other-alias", "copy"), undefined, { openStores: [other] })).rejects.toMatchObject({ code: "bad-argument" });
    expect(await hashTree(other)).toEqual(before);
  });

  it("a failed export into an existing empty folder removes only what it made: a file another program wrote there meanwhile stays", async () => {
    const target = join(await tempDir(), "empty");
    await mkdir(target);
    const other = interrupted(insp, () => writeFile(join(target, "theirs.txt"), "another program's file"), true);
    await expect(exportStore(other, target)).rejects.toThrow(/the source stopped answering/);
    expect(await readdir(target)).toEqual(["theirs.txt"]);
    expect(await readFile(join(target, "theirs.txt"), "utf-8")).toBe("another program's file");
  });

  it("a failed export into a folder it made removes that folder and the parents it made, and nothing else", async () => {
    const work = await tempDir();
    await writeFile(join(work, "keep.txt"), "kept");
    const failing = interrupted(insp, async () => {}, true);
    await expect(exportStore(failing, join(work, "new", "deeper", "store"))).rejects.toThrow(/the source stopped answering/);
    expect(await readdir(work)).toEqual(["keep.txt"]);
  });

  it("a manifest another program put in the folder meanwhile is not replaced, and the export fails saying so", async () => {
    const target = join(await tempDir(), "racing");
    await mkdir(target);
    const theirs = JSON.stringify({ theirs: true });
    const other = interrupted(insp, () => writeFile(join(target, "manifest.json"), theirs));
    await expect(exportStore(other, target)).rejects.toMatchObject({ code: "bad-argument", message: expect.stringMatching(/manifest\.json appeared while the export was being written/) });
    expect(await readFile(join(target, "manifest.json"), "utf-8")).toBe(theirs);
    expect(await readdir(target)).toEqual(["manifest.json"]);
  });

  it("a successful export into a new folder still opens in the published opslog", async () => {
    const target = join(await tempDir(), "fine");
    const written = await exportStore(insp, target);
    const copy = new Published<Record<string, unknown>>();
    await copy.open(target, { readOnly: true });
    expect(copy.count()).toBe(written.records);
    await copy.close();
  });
});

describe("placing a finished file", () => {
  it("never replaces a file that is there unless asked to, and removes the temporary file either way", async () => {
    const work = await tempDir();
    await writeFile(join(work, "out.tmp"), "the export");
    await writeFile(join(work, "out.jsonl"), "another program's");
    await expect(placeFile(join(work, "out.tmp"), join(work, "out.jsonl"))).rejects.toMatchObject({ code: "bad-argument" });
    expect(await readFile(join(work, "out.jsonl"), "utf-8")).toBe("another program's");
    expect(await readdir(work)).toEqual(["out.jsonl"]);
    await writeFile(join(work, "out.tmp"), "the export");
    await placeFile(join(work, "out.tmp"), join(work, "out.jsonl"), { overwrite: true });
    expect(await readFile(join(work, "out.jsonl"), "utf-8")).toBe("the export");
    expect(await readdir(work)).toEqual(["out.jsonl"]);
  });
});
