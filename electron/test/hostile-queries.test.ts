// Queries that could take the app down, through the contract as both
// transports call it: a regex that backtracks for ever, a call past its
// deadline, and filters or values nested or sized beyond the limits. The
// rest of the app keeps answering, and nothing is written.
import { Store } from "@backloghq/opslog";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppData } from "../appdata.js";
import type { OpenResult } from "../contract.js";
import { Handlers } from "../handlers.js";
import type { HandlerOptions } from "../handlers.js";
import type { Page, RecordRow, TimelineOp } from "../../engine/src/inspect/types.js";
import { twentyTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";
import { digestTree, errorOf, removeDir, tempDir, valueOf } from "./helpers.js";

const EVIL = "a".repeat(40) + "!";
const TITLES: Record<string, string> = { evil: EVIL, plain: "aaaa", other: "b" };

let work: string;
let handlers: Handlers;

beforeEach(async () => {
  work = await tempDir("hostile");
});
afterEach(async () => {
  await handlers?.store.closeSession();
  await removeDir(work);
});

function start(options: Partial<HandlerOptions> = {}): Handlers {
  handlers = new Handlers({ appData: new AppData(`${work}/home`), pollMs: 0, ...options });
  return handlers;
}

async function titledStore(dir: string): Promise<string> {
  const store = new Store<{ title: string }>();
  await store.open(dir, { checkpointOnClose: false });
  for (const [id, title] of Object.entries(TITLES)) await store.set(id, { title });
  await store.close();
  return dir;
}

/** A filter `levels` deep: $and inside $and (each adds an object and an array) around {title: "b"}. */
function nestedFilter(levels: number): Record<string, unknown> {
  let filter: Record<string, unknown> = { title: "b" };
  while (levels > 1) {
    filter = { $and: [filter] };
    levels -= 2;
  }
  return filter;
}

describe("a regex that backtracks for ever", () => {
  it("answers at once with no match, in the records and ops calls, and store.summary still answers", async () => {
    start();
    valueOf<OpenResult>(await handlers.dispatch("store.open", { dir: await titledStore(`${work}/titled`) }));
    const expected = Object.keys(TITLES).filter((id) => /^a+$/.test(TITLES[id])); // the same language, written linearly
    const records = valueOf<Page<RecordRow>>(await handlers.dispatch("records", { offset: 0, limit: 10, filter: { title: { $regex: "^(a+)+$" } } }));
    expect(records.rows.map((r) => r.id)).toEqual(expected);
    const ops = valueOf<Page<TimelineOp>>(await handlers.dispatch("ops", { offset: 0, limit: 10, filter: { "data.title": { $regex: "^(a+)+$" } } }));
    expect(ops.rows.map((o) => o.id)).toEqual(expected);
    expect(valueOf<OpenResult>(await handlers.dispatch("store.summary", {})).summary.counts.records).toBe(3);
  });

  it("refuses a backreference with bad-filter naming it", async () => {
    start();
    await handlers.dispatch("store.open", { dir: await titledStore(`${work}/titled`) });
    const error = errorOf(await handlers.dispatch("records", { offset: 0, limit: 10, filter: { title: { $regex: "^(a+)\\1$" } } }));
    expect(error.code).toBe("bad-filter");
    expect(error.message).toContain("a backreference");
  });
});

describe("a call past its deadline", () => {
  it("answers timeout, saying after how long, and store.summary answers after it", async () => {
    start({ inspectorThread: { deadlineMs: 300, spinOn: "records" } });
    await handlers.dispatch("store.open", { dir: await titledStore(`${work}/titled`) });
    const error = errorOf(await handlers.dispatch("records", { offset: 0, limit: 10 }));
    expect(error.code).toBe("timeout");
    expect(error.message).toContain("300 ms");
    expect(valueOf<OpenResult>(await handlers.dispatch("store.summary", {})).summary.counts.records).toBe(3);
  });

  it("does not stop another store from opening while it spins", async () => {
    start({ inspectorThread: { deadlineMs: 0, spinOn: "records" } });
    await handlers.dispatch("store.open", { dir: await titledStore(`${work}/titled`) });
    const stuck = handlers.dispatch("records", { offset: 0, limit: 10 });
    const other = (await twentyTasksCompactedThenEdited.build(`${work}/single`)).dir;
    const opened = valueOf<OpenResult>(await handlers.dispatch("store.open", { dir: other }));
    expect(opened.session.dir).toBe(other);
    expect(errorOf(await stuck).code).toBe("no-store");
    expect(valueOf<OpenResult>(await handlers.dispatch("store.summary", {})).summary.counts.records).toBe(21);
  });
});

describe("limits on JSON arguments", () => {
  it.each(["records", "ops"])("%s: a filter nested 10,000 levels deep answers bad-filter naming the limit", async (name) => {
    start();
    await handlers.dispatch("store.open", { dir: await titledStore(`${work}/titled`) });
    const error = errorOf(await handlers.dispatch(name, { offset: 0, limit: 10, filter: nestedFilter(10_000) }));
    expect(error).toMatchObject({ code: "bad-filter" });
    expect(error.message).toContain("the limit of 64 levels");
  });

  it("a filter within the depth limit still answers", async () => {
    start();
    await handlers.dispatch("store.open", { dir: await titledStore(`${work}/titled`) });
    const page = valueOf<Page<RecordRow>>(await handlers.dispatch("records", { offset: 0, limit: 10, filter: nestedFilter(63) }));
    expect(page.rows.map((r) => r.id)).toEqual(["other"]);
  });

  it("a filter larger than 64 KB answers bad-filter naming the limit", async () => {
    start();
    await handlers.dispatch("store.open", { dir: await titledStore(`${work}/titled`) });
    const big = { title: { $in: Array.from({ length: 2000 }, (_, i) => `title number ${i} `.padEnd(40, "x")) } };
    const error = errorOf(await handlers.dispatch("records", { offset: 0, limit: 10, filter: big }));
    expect(error).toMatchObject({ code: "bad-filter" });
    expect(error.message).toContain("the limit of 64 KB");
  });

  it("a record value nested 10,000 levels deep answers bad-argument naming the limit, and writes nothing", async () => {
    start();
    const dir = (await twentyTasksCompactedThenEdited.build(`${work}/single`)).dir;
    await handlers.dispatch("store.open", { dir, mode: "writer" });
    await handlers.store.closeSession(); // opening in writer mode leaves files of its own: the baseline is after one open
    const before = await digestTree(dir);
    await handlers.dispatch("store.open", { dir, mode: "writer" });
    let value: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 10_000; i++) value = { inner: value };
    const error = errorOf(await handlers.dispatch("actions.set", { id: "deep", value }));
    expect(error).toMatchObject({ code: "bad-argument" });
    expect(error.message).toContain("the limit of 64 levels");
    const archived = errorOf(await handlers.dispatch("actions.archive", { filter: nestedFilter(10_000) }));
    expect(archived).toMatchObject({ code: "bad-filter" });
    await handlers.store.closeSession();
    expect(await digestTree(dir)).toEqual(before);
  });
});
