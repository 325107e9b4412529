// Saved and recent queries (savedFilters.* calls): per store and per filter box,
// kept in the explorer's app data across restarts, never in the store.
import { readdir, readFile, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppData } from "../appdata.js";
import type { FilterHistory } from "../contract.js";
import { Handlers } from "../handlers.js";
import { twentyTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";
import { digestTree, errorOf, removeDir, tempDir, valueOf } from "./helpers.js";

let work: string;
let home: string;
let handlers: Handlers;

beforeEach(async () => {
  work = await tempDir("queries");
  home = join(work, "home");
  handlers = new Handlers({ appData: new AppData(home), pollMs: 0 });
});
afterEach(async () => {
  await handlers.store.closeSession();
  await removeDir(work);
});

async function openStore(name: string, h = handlers): Promise<string> {
  const dir = (await twentyTasksCompactedThenEdited.build(join(work, name))).dir;
  valueOf(await h.dispatch("store.open", { dir }));
  return dir;
}

const call = async (name: string, arg: unknown, h = handlers) => valueOf<FilterHistory>(await h.dispatch(name, arg));

describe("recent queries", () => {
  it("keep the last 20 applied in a box, newest first, each once", async () => {
    await openStore("a");
    for (let i = 0; i < 25; i++) await call("savedFilters.remember", { box: "records", text: `{n: ${i}}` });
    await call("savedFilters.remember", { box: "records", text: "{n: 10}" });
    const list = await call("savedFilters.list", { box: "records" });
    expect(list.recent).toHaveLength(20);
    expect(list.recent[0]).toBe("{n: 10}");
    expect(list.recent.slice(1, 4)).toEqual(["{n: 24}", "{n: 23}", "{n: 22}"]);
    expect(list.recent.filter((t) => t === "{n: 10}")).toHaveLength(1);
    expect(list.recent).not.toContain("{n: 4}");
  });

  it("are kept per store and per box", async () => {
    await openStore("a");
    await call("savedFilters.remember", { box: "records", text: "{a: 1}" });
    await call("savedFilters.remember", { box: "operations", text: "{op: 'set'}" });
    await openStore("b");
    expect(await call("savedFilters.list", { box: "records" })).toEqual({ recent: [], saved: [] });
    await call("savedFilters.remember", { box: "records", text: "{b: 1}" });
    await openStore("a");
    expect((await call("savedFilters.list", { box: "records" })).recent).toEqual(["{a: 1}"]);
    expect((await call("savedFilters.list", { box: "operations" })).recent).toEqual(["{op: 'set'}"]);
    expect((await call("savedFilters.list", { box: "watch" })).recent).toEqual([]);
  });
});

describe("saved queries", () => {
  it("are saved under a name (the same name replaces), forgotten by name, and outlive a restart", async () => {
    const dir = await openStore("a");
    await call("savedFilters.save", { box: "records", name: "open work", text: "{status: 'open'}" });
    await call("savedFilters.save", { box: "records", name: "big", text: "{estimate: {$gt: 5}}" });
    await call("savedFilters.save", { box: "records", name: "open work", text: "{status: 'doing'}" });
    const saved = (await call("savedFilters.list", { box: "records" })).saved;
    expect(saved.map((s) => [s.name, s.text])).toEqual([["open work", "{status: 'doing'}"], ["big", "{estimate: {$gt: 5}}"]]);
    await call("savedFilters.forget", { box: "records", name: "big" });

    // A new explorer process (browser mode's port differs per run): the same app data, the same lists.
    const again = new Handlers({ appData: new AppData(home), pollMs: 0 });
    valueOf(await again.dispatch("store.open", { dir }));
    expect((await call("savedFilters.list", { box: "records" }, again)).saved.map((s) => s.name)).toEqual(["open work"]);
    await again.store.closeSession();
  });

  it("refuse an empty query or name, an unknown box, and answer no-store with no store open", async () => {
    expect(errorOf(await handlers.dispatch("savedFilters.list", { box: "records" })).code).toBe("no-store");
    await openStore("a");
    expect(errorOf(await handlers.dispatch("savedFilters.save", { box: "records", name: " ", text: "{a: 1}" })).code).toBe("bad-argument");
    expect(errorOf(await handlers.dispatch("savedFilters.remember", { box: "records", text: "" })).code).toBe("bad-argument");
    expect(errorOf(await handlers.dispatch("savedFilters.remember", { box: "elsewhere", text: "{a: 1}" })).code).toBe("bad-argument");
  });
});

describe("where queries are kept", () => {
  it("in the app data, not the store: a session started --read-only keeps them and leaves every byte of the store unchanged", async () => {
    const locked = new Handlers({ appData: new AppData(home), pollMs: 0, lockedReadOnly: true });
    const dir = (await twentyTasksCompactedThenEdited.build(join(work, "ro"))).dir;
    const before = await digestTree(dir);
    valueOf(await locked.dispatch("store.open", { dir }));
    await call("savedFilters.remember", { box: "records", text: "{a: 1}" }, locked);
    await call("savedFilters.save", { box: "archive", name: "mine", text: "{a: 1}" }, locked);
    expect((await call("savedFilters.list", { box: "records" }, locked)).recent).toEqual(["{a: 1}"]);
    await locked.store.closeSession();
    expect(await digestTree(dir)).toEqual(before);
    expect(JSON.parse(await readFile(join(home, "queries.json"), "utf-8")).stores[dir].archive.saved[0].name).toBe("mine");
  });

  it("a queries.json that does not parse is kept aside, not overwritten, and the lists start afresh", async () => {
    await mkdir(home, { recursive: true });
    await writeFile(join(home, "queries.json"), "{ not json");
    await openStore("a");
    expect(await call("savedFilters.list", { box: "records" })).toEqual({ recent: [], saved: [] });
    await call("savedFilters.remember", { box: "records", text: "{a: 1}" });
    const aside = (await readdir(home)).filter((n) => n.startsWith("queries.json.unreadable-"));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(home, aside[0]), "utf-8")).toBe("{ not json");
    expect((await call("savedFilters.list", { box: "records" })).recent).toEqual(["{a: 1}"]);
  });
});
