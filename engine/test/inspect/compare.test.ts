// Compare any two positions, filtered (the diff query with idContains and a
// query), on a store written by the published opslog. Expectations: the
// states the published Store held after each of its writes (fixtures'
// StateLog), compared here field by field, and the filters evaluated here by
// hand: never by the inspector or by mingo.
import { isDeepStrictEqual } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import type { Doc, InspectorApi } from "../../src/inspect/index.js";
import { singleWriterCompactedThenArchived } from "../scenarios/index.js";
import { suiteDir } from "./fixtures.js";
import type { State } from "./fixtures.js";

const ALL = { offset: 0, limit: 1000 };

/** The records that differ between states a and b, in id order, kept by `keep` (given the value on each side). */
function expectedDiff(states: State[], a: number, b: number, keep: (id: string, before: Doc | null, after: Doc | null) => boolean) {
  const [before, after] = [states[a], states[b]];
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort();
  return ids
    .map((id) => ({ id, before: before.get(id) ?? null, after: after.get(id) ?? null }))
    .filter((r) => !isDeepStrictEqual(r.before, r.after) && keep(r.id, r.before, r.after));
}

/** An answer's rows without their kind; a record an archive moved out is "gone" as a delete is. */
const rowsOf = (rows: { id: string; before: Doc | null; after: Doc | null }[]) => rows.map(({ id, before, after }) => ({ id, before, after }));

const done = (d: Doc | null) => d !== null && d.status === "done";
const big = (d: Doc | null) => d !== null && typeof d.n === "number" && d.n > 3;

describe("comparing two positions with a filter", () => {
  let states: State[];
  let insp: InspectorApi;
  beforeAll(async () => {
    const dir = await suiteDir();
    states = (await singleWriterCompactedThenArchived.build(dir)).states;
    insp = await openInspector(dir);
    return () => insp.close();
  });

  const pairs = () => {
    const last = states.length - 1;
    return [[0, last], [3, 12], [12, 3], [Math.floor(last / 2), last], [5, 5]] as const;
  };

  it("keeps the records whose value before or after matches the query", async () => {
    for (const [a, b] of pairs()) {
      const answer = await insp.diff({ a: a, b: b, ...ALL, filter: { status: "done" } });
      expect(rowsOf(answer.rows), `${a} -> ${b}`).toEqual(expectedDiff(states, a, b, (_, x, y) => done(x) || done(y)));
    }
  });

  it("keeps the records whose id contains the text, and both conditions together", async () => {
    for (const [a, b] of pairs()) {
      expect(rowsOf((await insp.diff({ a: a, b: b, ...ALL, idContains: "1" })).rows), `${a} -> ${b}`).toEqual(expectedDiff(states, a, b, (id) => id.includes("1")));
      const both = await insp.diff({ a: a, b: b, ...ALL, idContains: "t1", filter: { n: { $gt: 3 } } });
      expect(rowsOf(both.rows), `${a} -> ${b}`).toEqual(expectedDiff(states, a, b, (id, x, y) => id.includes("t1") && (big(x) || big(y))));
    }
  });

  it("counts and pages the filtered rows, not the whole diff", async () => {
    const last = states.length - 1;
    const expected = expectedDiff(states, 0, last, (_, x, y) => big(x) || big(y));
    expect(expected.length).toBeGreaterThan(3);
    const first = await insp.diff({ a: 0, b: last, offset: 0, limit: 2, filter: { n: { $gt: 3 } } });
    const rest = await insp.diff({ a: 0, b: last, offset: 2, limit: 1000, filter: { n: { $gt: 3 } } });
    expect(first.total).toBe(expected.length);
    expect(rowsOf([...first.rows, ...rest.rows])).toEqual(expected);
    const { added, removed, changed, archived } = first.counts;
    expect(added + removed + changed + archived).toBe(expected.length);
    expect(added).toBe(expected.filter((r) => r.before === null).length);
    expect(changed).toBe(expected.filter((r) => r.before !== null && r.after !== null).length);
  });

  it("answers as the unfiltered diff does when the filter keeps everything", async () => {
    const last = states.length - 1;
    const plain = await insp.diff({ a: 3, b: last, ...ALL });
    const everything = await insp.diff({ a: 3, b: last, ...ALL, filter: {}, idContains: "t" });
    expect(everything).toEqual(plain);
  });

  it("refuses a filter it cannot evaluate with a clear error", async () => {
    await expect(insp.diff({ a: 0, b: 5, ...ALL, filter: { status: { $nosuch: 1 } } })).rejects.toMatchObject({ code: "bad-filter" });
  });
});
