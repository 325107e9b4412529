// A store whose snapshot holds enough records for several of the index
// cache's chunks of snapshot values (snapshot-values.ts: 256 a chunk), with
// fields of every JSON type, missing values and nested paths, then a WAL that
// edits and deletes some of them: what the filters, the index cache and the
// live tail must answer alike from a snapshot's values and from ops. The WAL
// before the snapshot is removed, as a user prunes history (and as the UI
// benchmark's store is laid out): the index starts from the snapshot's values.
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { Store as Published } from "@backloghq/opslog";
import { nextMs } from "./published.js";
import type { Doc } from "./published.js";
import { scenario } from "./scenario.js";

export const MIXED_RECORDS = 700;
/** The values `v` cycles through (a lone surrogate among them: JSON carries it, UTF-8 does not); undefined: the field is left out. */
const MIXED: unknown[] = ["done", 7, true, null, undefined, { x: 1 }, [1, "done"], "L".repeat(300), 0, false, "7", -3.5, "", "open", "naïve ü", "lone \ud800 surrogate"];

export const mixedId = (i: number) => `m-${String(i).padStart(4, "0")}`;

/** Record i as first written: `v` of any type, `n` a number or absent, `meta` an object, a string or absent, `deep.marker` unique to it. */
export function mixedRecord(i: number): Doc {
  const doc: Doc = { title: `Mixed ${i}` };
  if (MIXED[i % MIXED.length] !== undefined) doc.v = MIXED[i % MIXED.length];
  if (i % 7 !== 3) doc.n = i % 10;
  if (i % 5 === 0) doc.meta = "flat";
  else if (i % 5 !== 4) doc.meta = { level: i % 4, tag: `t${i % 3}` };
  doc.deep = { marker: `deep-marker-${i}` };
  return doc;
}

export const mixedValuesCompactedThenEdited = scenario(
  "mixedValuesCompactedThenEdited",
  `${MIXED_RECORDS} records of mixed value types (m-0000...), one compaction, the WAL it retired removed (the store starts from the snapshot), then in the active WAL: every 23rd record edited (v and n changed), every 97th deleted, two new records set`,
  async (dir) => {
    const store = new Published<Doc>();
    await store.open(dir, { checkpointOnClose: false, checkpointThreshold: 1_000_000 });
    for (let i = 0; i < MIXED_RECORDS; i++) await store.set(mixedId(i), mixedRecord(i));
    await nextMs(); // snapshot and WAL names carry the ms
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { activeOps: string };
    await store.compact();
    await rm(join(dir, manifest.activeOps)); // the history before the snapshot pruned: the snapshot's values are the base of the index
    await nextMs();
    const edited: string[] = [];
    const deleted: string[] = [];
    for (let i = 0; i < MIXED_RECORDS; i += 23) {
      await store.set(mixedId(i), { ...mixedRecord(i), v: i % 2 ? "done" : 7, n: 100 + i });
      edited.push(mixedId(i));
    }
    for (let i = 5; i < MIXED_RECORDS; i += 97) {
      await store.delete(mixedId(i));
      deleted.push(mixedId(i));
    }
    await store.set("m-new-1", { title: "New 1", v: "done", meta: { level: 2 } });
    await store.set("m-new-2", { title: "New 2", v: [7], n: 3 });
    await store.close();
    return { edited, deleted };
  },
);
