// The build's id lookup is its own hash table: every id must find its own
// record, whatever the ids look like, and an id never added must find none.
import { describe, expect, it } from "vitest";
import { IdIndex } from "../../src/inspect/id-index.js";

describe("the id index", () => {
  it("finds each of 300,000 ids' own record as it grows (long probe runs included), and none for ids never added", () => {
    const ids: string[] = [];
    const index = new IdIndex(ids);
    const make = (i: number) => (i % 3 === 0 ? `task-${String(i).padStart(6, "0")}` : i % 3 === 1 ? `ключ/${i}/☕` : String(i * 7919));
    const wrong: string[] = [];
    for (let i = 0; i < 300_000; i++) {
      if (index.get(make(i)) !== -1) wrong.push(`${make(i)} found before it was added`);
      ids.push(make(i));
      index.add(make(i), i);
      const earlier = Math.floor(i / 2);
      if (index.get(make(earlier)) !== earlier) wrong.push(`${make(earlier)} lost after ${i} ids`);
    }
    for (let i = 0; i < 300_000; i++) if (index.get(make(i)) !== i) wrong.push(`${make(i)} gives ${index.get(make(i))}`);
    expect(wrong).toEqual([]);
    for (const absent of ["task-", "task-300000", "ключ/1/", "1", " 7919", "task-000000 "]) expect(index.get(absent), absent).toBe(-1);
  });

  it("keeps the empty id and ids of control characters apart", () => {
    const ids = ["", "\u0000", "\u0000\u0000", "a", "a\u0000"];
    const index = new IdIndex(ids);
    ids.forEach((id, rec) => index.add(id, rec));
    ids.forEach((id, rec) => expect(index.get(id), JSON.stringify(id)).toBe(rec));
    expect(index.get("\u0000a")).toBe(-1);
  });
});
