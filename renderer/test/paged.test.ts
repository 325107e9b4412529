/** A paged list's requests: each page carries its list's supersede key, a page the server cancelled (a newer request replaced it) is no error, a page a refresh is fetching is not asked again by the table, and a refresh that failed is not sent again behind the user's back. */
import { describe, expect, it, vi } from "vitest";
import { CallError } from "../../electron/call-error";
import type { CallOptions, Page } from "../../electron/contract";

vi.mock("../src/api/client", () => ({
  api: { call: vi.fn(), on: () => () => undefined },
  errorText: (err: CallError) => ({ message: err.message, code: err.code }),
  pathOfDroppedFile: () => null,
}));

const { createPaged, PAGE_SIZE } = await import("../src/state/paged");

const cancelled = () => new CallError({ code: "cancelled" as never, message: "Superseded by a newer request." });
const rows = (offset: number, limit: number, total: number): Page<number> => ({ rows: Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => offset + i), total, offset, limit });
const settle = () => new Promise((done) => setTimeout(done, 0));

describe("a paged list's requests", () => {
  it("carry the list's supersede key, one per page, the same for a refresh of that page", async () => {
    const asked: [number, CallOptions][] = [];
    const list = createPaged<number>(() => async (offset, limit, options) => (asked.push([offset, options]), rows(offset, limit, 1000)), "records");
    list.getState().ensure(0, PAGE_SIZE * 2 + 1);
    await settle();
    await list.getState().refresh();
    const keys = asked.map(([offset, options]) => [offset, options.supersede?.replace(/^[^:]*:/, "")]);
    expect(keys).toEqual([[0, "records/page-0"], [PAGE_SIZE, "records/page-1"], [PAGE_SIZE * 2, "records/page-2"], [0, "records/page-0"], [PAGE_SIZE, "records/page-1"], [PAGE_SIZE * 2, "records/page-2"]]);
  });

  it("show no error for a cancelled refresh, and keep the rows shown", async () => {
    let cancel = false;
    const list = createPaged<number>(() => async (offset, limit) => { if (cancel) throw cancelled(); return rows(offset, limit, 3); }, "records");
    await list.getState().refresh();
    cancel = true;
    expect(await list.getState().refresh()).toBeNull();
    expect(list.getState()).toMatchObject({ error: null, total: 3 });
    expect(list.getState().rowAt(2)).toBe(2);
  });

  it("show no error for a cancelled page as the user scrolls", async () => {
    const list = createPaged<number>(() => async () => { throw cancelled(); }, "records");
    list.getState().ensure(0, 10);
    await settle();
    expect(list.getState().error).toBeNull();
  });

  it("do not ask again, as the table shows, the pages a refresh is fetching (the second request would stop the first, under the same key)", async () => {
    const asked: number[] = [];
    const answers: (() => void)[] = [];
    const list = createPaged<number>(() => (offset, limit) => (asked.push(offset), new Promise((done) => answers.push(() => done(rows(offset, limit, 1000))))), "records");
    const refreshed = list.getState().refresh();
    list.getState().ensure(0, 20); // the table, shown while the first page is on its way
    answers.forEach((answer) => answer());
    expect(await refreshed).toBeNull();
    expect(asked).toEqual([0]);
    expect(list.getState().rowAt(20)).toBe(20);
    list.getState().ensure(PAGE_SIZE, PAGE_SIZE + 1); // a page no refresh is fetching is asked as before
    await settle();
    expect(asked).toEqual([0, PAGE_SIZE]);
  });

  it("do not send a failed refresh's query again as the table shows the error; the next refresh asks again", async () => {
    const asked: number[] = [];
    let fail = true;
    const list = createPaged<number>(() => async (offset, limit) => { asked.push(offset); if (fail) throw new CallError({ code: "timeout", message: "Too slow here." }); return rows(offset, limit, 5); }, "records");
    expect(await list.getState().refresh()).toMatchObject({ code: "timeout" });
    list.getState().ensure(0, 0); // the table, empty, showing the error
    await settle();
    expect(asked).toEqual([0]);
    expect(list.getState().error).toMatchObject({ message: "Too slow here." });
    fail = false;
    expect(await list.getState().refresh()).toBeNull();
    expect(list.getState()).toMatchObject({ error: null, total: 5 });
  });

  it("keep, at a refresh, each row that reads as a row shown before as that same object (a table draws again only the rows that changed)", async () => {
    let n = 1;
    const list = createPaged<{ id: string; n: number }>(() => async () => ({ rows: [{ id: "a", n: 0 }, { id: "b", n }, { id: "c", n: 0 }], total: 3, offset: 0, limit: PAGE_SIZE }), "records");
    await list.getState().refresh();
    const [a, b, c] = [0, 1, 2].map((i) => list.getState().rowAt(i));
    n = 2;
    await list.getState().refresh();
    expect(list.getState().rowAt(0)).toBe(a);
    expect(list.getState().rowAt(1)).not.toBe(b);
    expect(list.getState().rowAt(1)).toEqual({ id: "b", n: 2 });
    expect(list.getState().rowAt(2)).toBe(c);
  });

  it("ask for pages of the list's own size, when it names one", async () => {
    const asked: [number, number][] = [];
    const list = createPaged<number>(() => async (offset, limit) => (asked.push([offset, limit]), rows(offset, limit, 1000)), "records", 50);
    list.getState().ensure(0, 60);
    await settle();
    expect(asked).toEqual([[0, 50], [50, 50]]);
    expect(list.getState().rowAt(60)).toBe(60);
    expect(list.getState().beginRefresh().pages).toEqual([{ offset: 0, limit: 50 }, { offset: 50, limit: 50 }]);
  });
});
