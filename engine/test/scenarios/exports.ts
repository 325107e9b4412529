// A store whose records test every export's CSV: fields that first appear
// after the 1,000th record in id order, a field literally named `_id` (and
// one named `_id (field)`), strings JSON would read as something else
// ("null", "true", "1", "[1]", ""), JSON null, and strings a spreadsheet
// would run as formulas (=, +, -, @, tab), a negative number, a quoted one;
// and one whose literal dotted keys sit beside nested paths (the schema).
import { Store as Published } from "@backloghq/opslog";
import type { Doc } from "./published.js";
import { scenario } from "./scenario.js";

/** The records that are not plain rows, by id: each value is what a CSV cell must read back as. */
export const CSV_TRAPS: Record<string, Doc> = {
  "trap-empty": { v: "" },
  "trap-formulas": { v: "=1+1", w: "+cmd", x: "-x", y: "@SUM(A1)", z: "\tx", cr: "\rx" },
  "trap-id-field": { _id: "its own _id", v: "1" },
  "trap-id-field-header": { "_id (field)": "a field named _id (field)" },
  "trap-nested": { v: { a: [1, "=2"] } },
  "trap-null": { v: null },
  "trap-null-string": { v: "null" },
  "trap-number": { v: -5, w: 1.5e3 },
  "trap-quoted": { v: "'=x", w: "''+y", x: "'plain" },
  "trap-true-string": { v: "true", w: "[1]", x: "\"x\"" },
  true: { v: "an id JSON reads as a boolean" },
};

export const csvTrapsPastTheFirstThousand = scenario(
  "csvTrapsPastTheFirstThousand",
  "one writer: r0000..r1099 ({n, status}; from r1050 on also `late`), then the records of CSV_TRAPS, all in one WAL",
  async (dir) => {
    const store = new Published<Doc>();
    await store.open(dir, { checkpointOnClose: false, checkpointThreshold: 1_000_000 });
    await store.batch(() => {
      for (let i = 0; i < 1100; i++) store.set(`r${String(i).padStart(4, "0")}`, { n: i, status: i % 2 ? "open" : "done", ...(i >= 1050 ? { late: i } : {}) });
    });
    for (const [id, value] of Object.entries(CSV_TRAPS)) await store.set(id, value);
    await store.close();
    return { traps: CSV_TRAPS, lateFrom: "r1050" };
  },
);

export const dottedKeysBesideNestedPaths = scenario(
  "dottedKeysBesideNestedPaths",
  'one writer: "lit" with a literal key "d.e", "nested" with d: {e}, "both" with both, "deeper" with a: {"b.c"}',
  async (dir) => {
    const store = new Published<Doc>();
    await store.open(dir, { checkpointOnClose: false });
    await store.set("lit", { "d.e": 1 });
    await store.set("nested", { d: { e: 2 } });
    await store.set("both", { "d.e": 3, d: { e: 4 } });
    await store.set("deeper", { a: { "b.c": true } });
    await store.close();
    return {};
  },
);
