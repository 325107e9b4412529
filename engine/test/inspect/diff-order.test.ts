// A diff lists the records that differ in id order, whether it touches a few
// records of many (sorted by themselves) or most of them (picked from the
// index's id order), on a store written by the published opslog. Expected
// rows come from the values written here, never from the inspector.
import { Store as Published } from "@backloghq/opslog";
import { describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import { suiteDir } from "./fixtures.js";

const RECORDS = 300;
const id = (i: number) => `r${String(i).padStart(3, "0")}`;
/** Written after the first RECORDS sets, out of id order; the last sets a record to the value it already holds */
const UPDATES: [number, number][] = [[250, 1], [7, 2], [123, 3], [7, 4], [42, 0]];

async function storeWithUpdates(): Promise<string> {
  const dir = await suiteDir();
  const store = new Published<{ v: number }>();
  await store.open(dir, { checkpointOnClose: false, checkpointThreshold: 1_000_000 });
  // Records are created in reverse id order, so that record numbers and id order disagree.
  for (let i = RECORDS - 1; i >= 0; i--) await store.set(id(i), { v: 0 });
  for (const [i, v] of UPDATES) await store.set(id(i), { v });
  await store.close();
  return dir;
}

describe("diff rows in id order", () => {
  it("a diff touching a few of many records lists the changed ones in id order, and not a set to the same value", async () => {
    const insp = await openInspector(await storeWithUpdates());
    const page = await insp.diff({ a: RECORDS, b: RECORDS + UPDATES.length, offset: 0, limit: 100 });
    expect(page.rows.map((r) => [r.id, r.kind, r.before, r.after])).toEqual([
      [id(7), "changed", { v: 0 }, { v: 4 }],
      [id(123), "changed", { v: 0 }, { v: 3 }],
      [id(250), "changed", { v: 0 }, { v: 1 }],
    ]);
    await insp.close();
  });

  it("a diff touching every record lists them all in id order", async () => {
    const insp = await openInspector(await storeWithUpdates());
    const page = await insp.diff({ a: 0, b: RECORDS + UPDATES.length, offset: 0, limit: 1000 });
    const after = new Map(Array.from({ length: RECORDS }, (_, i) => [id(i), { v: 0 }]));
    for (const [i, v] of UPDATES) after.set(id(i), { v });
    expect(page.rows.map((r) => [r.id, r.kind, r.after])).toEqual([...after.keys()].sort().map((k) => [k, "added", after.get(k)]));
    await insp.close();
  });
});
