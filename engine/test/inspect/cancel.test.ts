// A query whose call is cancelled (superseded by a newer one) stops between
// chunks and fails with "cancelled", in this thread and in the inspector's
// own; what it had computed is not kept, and the next call answers in full.
import { describe, expect, it } from "vitest";
import { openInspector, openInspectorThread } from "../../src/inspect/index.js";
import { suiteDir, writeBigStore } from "./fixtures.js";

const RECORDS = 50_000;
const DONE = Math.ceil(RECORDS / 3);
const filter = { status: "done" };

describe("cancelling a query", () => {
  it("stops a filter over many records at its next chunk, and the next call answers in full", async () => {
    const insp = await openInspector(await writeBigStore(await suiteDir(), RECORDS));
    const controller = new AbortController();
    const first = insp.records({ offset: 0, limit: 5, filter }, { signal: controller.signal });
    controller.abort(); // the query has run its first chunk: it stops at the next
    await expect(first).rejects.toMatchObject({ code: "cancelled" });
    const next = await insp.records({ offset: 0, limit: 5, filter });
    expect(next.total).toBe(DONE);
    expect(next.rows.every((r) => r.data.status === "done")).toBe(true);
    await insp.close();
  }, 60_000);

  it("stops an ops filter that reads the ops' data, and a diff, in the same way", async () => {
    const insp = await openInspector(await writeBigStore(await suiteDir(), RECORDS));
    const controller = new AbortController();
    const ops = insp.ops({ offset: 0, limit: 5, filter: { "data.status": "done" } }, { signal: controller.signal });
    const diff = insp.diff({ a: 0, b: RECORDS, offset: 0, limit: 5 }, { signal: controller.signal });
    controller.abort();
    await expect(ops).rejects.toMatchObject({ code: "cancelled" });
    await expect(diff).rejects.toMatchObject({ code: "cancelled" });
    expect((await insp.ops({ offset: 0, limit: 5, filter: { "data.status": "done" } })).total).toBe(DONE);
    await insp.close();
  }, 60_000);

  it("in the inspector's thread: a cancelled call fails with cancelled, and the thread goes on answering", async () => {
    const insp = await openInspectorThread(await writeBigStore(await suiteDir(), RECORDS));
    const controller = new AbortController();
    const first = insp.records({ offset: 0, limit: 5, filter }, { signal: controller.signal });
    const newer = insp.records({ offset: 0, limit: 5, filter: { status: "open" } });
    controller.abort();
    await expect(first).rejects.toMatchObject({ code: "cancelled" });
    expect((await newer).total).toBe(RECORDS - DONE);
    expect((await insp.records({ offset: 0, limit: 5, filter })).total).toBe(DONE);
    const already = new AbortController();
    already.abort();
    await expect(insp.summary(undefined, { signal: already.signal })).rejects.toMatchObject({ code: "cancelled" });
    await insp.close();
  }, 60_000);
});
