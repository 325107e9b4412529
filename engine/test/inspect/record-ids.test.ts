// Record ids (record-ids.ts): a build's ids one string each, a reopened
// index's as the cache stored them (one joined string, their ends), made into
// strings only when asked for. Every id must read back as it was written,
// whatever it holds, and a reopened store must answer by id as a fresh build.
// The last test is a guard of the memory cut (issue 22): a reopen keeps the
// ids joined, and still answers every lookup, page and order as a build.
import { Store as Published } from "@backloghq/opslog";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/tmp.js";
import { nextMs, task } from "../scenarios/published.js";
import { openInspector } from "../../src/inspect/index.js";
import { indexCacheWrites, loadCachedHistory, releaseCachedHistory } from "../../src/inspect/index-cache.js";
import { buildHistory } from "../../src/inspect/build.js";
import { IdIndex } from "../../src/inspect/id-index.js";
import { RecordIds } from "../../src/inspect/record-ids.js";

/** Ids that a joined string could mix up: empty, prefixes of each other, NUL, surrogate pairs, non-ASCII. */
const AWKWARD = ["", "a", "ab", "a\u0000b", "b", "ключ/1/☕", "😀", "😀😀", "x".repeat(300), "ab"+"😀", "\u0000"];

describe("record ids", () => {
  it("answer each id as pushed, and the same after a trip through their stored form, with ids pushed after it", () => {
    const built = new RecordIds();
    AWKWARD.forEach((id, rec) => expect(built.push(id)).toBe(rec));
    const back = RecordIds.fromStored(built.stored());
    expect(back.push("after-1")).toBe(AWKWARD.length);
    expect(back.push("😀")).toBe(AWKWARD.length + 1);
    const all = [...AWKWARD, "after-1", "😀"];
    expect(back.length).toBe(all.length);
    expect(all.map((_, rec) => back.at(rec))).toEqual(all);
    expect(back.toArray()).toEqual(all);
    // And again, the pushed ones joined in with the rest.
    const twice = RecordIds.fromStored(back.stored());
    expect(twice.toArray()).toEqual(all);
  });

  it("answer the same once compacted (joined in place at the end of a build), and take more ids after", () => {
    const ids = new RecordIds();
    AWKWARD.forEach((id) => ids.push(id));
    ids.compact();
    expect((ids as unknown as { added: string[] }).added).toEqual([]);
    ids.push("later");
    ids.compact();
    ids.push("😀later");
    const all = [...AWKWARD, "later", "😀later"];
    expect(all.map((_, rec) => ids.at(rec))).toEqual(all);
    all.forEach((id, rec) => expect(ids.is(rec, id), JSON.stringify(id)).toBe(true));
    expect(RecordIds.fromStored(ids.stored()).toArray()).toEqual(all);
  });

  it("tell a record's own id from a prefix of it, a longer one and another record's", () => {
    const ids = RecordIds.fromStored((() => {
      const b = new RecordIds();
      AWKWARD.forEach((id) => b.push(id));
      return b.stored();
    })());
    AWKWARD.forEach((id, rec) => {
      expect(ids.is(rec, id), JSON.stringify(id)).toBe(true);
      AWKWARD.forEach((other, o) => {
        if (other !== id) expect(ids.is(rec, other), `${JSON.stringify(id)} vs ${JSON.stringify(other)} (${o})`).toBe(false);
      });
    });
  });

  it("refuse a stored form whose ends do not reach the joined string's end", () => {
    expect(() => RecordIds.fromStored({ joined: "abc", ends: Int32Array.of(1, 2) })).toThrow(/wrong length/);
  });

  it("let the id index find every record, joined or pushed after, and none for ids never added", () => {
    const make = (i: number) => (i % 2 ? `task-${i}` : `ключ/${i}/😀`);
    const first = new RecordIds();
    for (let i = 0; i < 50_000; i++) first.push(make(i));
    const ids = RecordIds.fromStored(first.stored());
    const index = new IdIndex(ids);
    for (let i = 0; i < 50_000; i++) index.add(make(i), i);
    for (let i = 50_000; i < 60_000; i++) index.add(make(i), ids.push(make(i)));
    const wrong: string[] = [];
    for (let i = 0; i < 60_000; i++) if (index.get(make(i)) !== i) wrong.push(`${make(i)} gives ${index.get(make(i))}`);
    expect(wrong).toEqual([]);
    for (const absent of ["task-", "task-60001", "ключ/0/", "", "task-1 "]) expect(index.get(absent), absent).toBe(-1);
  });
});

describe("a built index's ids", () => {
  it("are joined once the build is over, and answer every id and lookup", async () => {
    const dir = await tempDir("opslog-record-ids-built-");
    const store = new Published();
    await store.open(dir, { checkpointOnClose: false });
    const ids = ["😀", "ключ/1/☕", "t1", "t10", "t1 "];
    for (const [i, id] of ids.entries()) await store.set(id, task(i, "todo"));
    await store.close();
    const h = await buildHistory(dir, "never");
    try {
      expect((h.versions.ids as unknown as { added: string[] }).added).toEqual([]);
      expect(ids.map((id) => h.versions.ids.at(h.versions.recOf(id)!))).toEqual(ids);
      expect(h.versions.recOf("t")).toBeUndefined();
    } finally {
      h.reader.close();
    }
  });
});

describe("a reopened index's ids (guard: the same answers as a fresh build)", () => {
  it("stay joined in the cache's form, and every lookup by id, page and id order answers as a fresh build", async () => {
    const dir = await tempDir("opslog-record-ids-");
    const store = new Published();
    await store.open(dir, { checkpointOnClose: false });
    const ids = AWKWARD.filter((id) => id !== "" && !id.includes("\u0000")).concat(Array.from({ length: 40 }, (_, i) => `t${i}`));
    for (const [i, id] of ids.entries()) await store.set(id, task(i, "todo"));
    await nextMs();
    await store.compact();
    await nextMs();
    for (const [i, id] of ids.entries()) if (i % 3 === 0) await store.set(id, task(i, "done"));
    await store.delete(ids[1]);
    await store.close();

    const cache = { dir: await tempDir("opslog-record-ids-cache-"), maxBytes: 1 << 30 };
    const first = await openInspector(dir, { indexCache: cache });
    await first.close();
    await indexCacheWrites();
    const loaded = await loadCachedHistory(dir, cache);
    if (!("h" in loaded)) throw new Error(`the cache was not used: ${loaded.miss}`);
    const fresh = await buildHistory(dir, "never");
    try {
      const reopened = loaded.h.versions.ids as unknown as { added: string[]; ends: Int32Array };
      expect(reopened.added).toEqual([]); // no string per id was made
      expect(reopened.ends.length).toBe(fresh.versions.size);
      for (let rec = 0; rec < fresh.versions.size; rec++) expect(loaded.h.versions.ids.at(rec)).toBe(fresh.versions.ids.at(rec));
      for (const id of [...ids, "absent", "t4 ", "t"]) expect(loaded.h.versions.recOf(id), id).toBe(fresh.versions.recOf(id));
      expect([...loaded.h.versions.sortedRecs()]).toEqual([...fresh.versions.sortedRecs()]);
    } finally {
      loaded.h.reader.close();
      releaseCachedHistory(loaded.h);
      fresh.reader.close();
    }

    const again = await openInspector(dir, { indexCache: cache });
    const build = await openInspector(dir);
    try {
      const answers = async (insp: typeof again) => ({
        page: await insp.records({ offset: 0, limit: 100 }),
        byId: await Promise.all(ids.map((id) => insp.record({ id }))),
        contains: await insp.records({ offset: 0, limit: 100, idContains: "😀" }),
        containsFiltered: await insp.records({ offset: 0, limit: 100, idContains: "t", filter: { status: "done" } }),
        byIdDown: await insp.records({ offset: 0, limit: 100, sort: { field: "id", dir: -1 }, filter: { status: { $exists: true } } }),
        histories: await Promise.all(ids.slice(0, 5).map((id) => insp.recordHistory({ id }))),
      });
      expect(await answers(again)).toEqual(await answers(build));
    } finally {
      await again.close();
      await build.close();
    }
  });
});
