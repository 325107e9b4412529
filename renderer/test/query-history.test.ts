/** A filter box's history in the renderer: Up/Down walk the recent queries like a shell's history; applying a query remembers it in its own box. */
import { beforeEach, describe, expect, it, vi } from "vitest";

const call = vi.fn();
vi.mock("../src/api/client", () => ({
  api: { call: (...args: unknown[]) => call(...args), on: () => () => undefined },
  errorText: (err: unknown) => ({ message: String(err) }),
  pathOfDroppedFile: () => null,
}));

const { useQueryHistory } = await import("../src/state/queryHistory");
const { useRecordsQuery } = await import("../src/state/records");
const { useOpsFilters } = await import("../src/state/ops");

const recent = ["{c: 3}", "{b: 2}", "{a: 1}"]; // newest first, as the main process keeps them

beforeEach(() => {
  call.mockReset();
  call.mockImplementation(async (name: string, arg: { box?: string; text?: string }) => {
    if (name.startsWith("queries.")) return { recent: arg.text ? [arg.text, ...recent] : recent, saved: [] };
    return { rows: [], total: 0, offset: 0, limit: 200 };
  });
  useQueryHistory.setState(useQueryHistory.getInitialState(), true);
  useQueryHistory.setState({ lists: { records: { recent, saved: [] } } });
});

describe("Up/Down in a filter box", () => {
  it("Up goes back through the recent queries, newest first, and stops at the oldest", () => {
    const h = useQueryHistory.getState();
    expect(h.step("records", 1, "{typed")).toBe("{c: 3}");
    expect(h.step("records", 1, "{c: 3}")).toBe("{b: 2}");
    expect(h.step("records", 1, "{b: 2}")).toBe("{a: 1}");
    expect(h.step("records", 1, "{a: 1}")).toBeNull();
  });

  it("Down comes forward again, back to the text being typed, and no further", () => {
    const h = useQueryHistory.getState();
    h.step("records", 1, "{typed");
    h.step("records", 1, "{c: 3}");
    expect(h.step("records", -1, "{b: 2}")).toBe("{c: 3}");
    expect(h.step("records", -1, "{c: 3}")).toBe("{typed");
    expect(h.step("records", -1, "{typed")).toBeNull();
  });

  it("skips a query equal to the text in the box (the one just applied), so each step changes the text", () => {
    expect(useQueryHistory.getState().step("records", 1, "{c: 3}")).toBe("{b: 2}");
  });

  it("typing starts the walk again from the newest", () => {
    const h = useQueryHistory.getState();
    h.step("records", 1, "x");
    h.step("records", 1, "{c: 3}");
    h.resetWalk("records");
    expect(h.step("records", 1, "{other")).toBe("{c: 3}");
  });

  it("a box with no history goes nowhere", () => {
    expect(useQueryHistory.getState().step("watch", 1, "")).toBeNull();
  });
});

describe("applying a query", () => {
  it("remembers it in its own box only, and not a query that does not parse or an empty one", async () => {
    useRecordsQuery.getState().setFilterText(" {status: 'open'} ");
    await useRecordsQuery.getState().applyFilter();
    await vi.waitFor(() => expect(call).toHaveBeenCalledWith("savedFilters.remember", { box: "records", text: "{status: 'open'}" }));
    useOpsFilters.getState().setFilterText('{"op": "set"}');
    await useOpsFilters.getState().applyFilter();
    await vi.waitFor(() => expect(call).toHaveBeenCalledWith("savedFilters.remember", { box: "operations", text: '{"op": "set"}' }));
    call.mockClear();
    useRecordsQuery.getState().setFilterText("{status: ");
    await useRecordsQuery.getState().applyFilter();
    useRecordsQuery.getState().setFilterText("");
    await useRecordsQuery.getState().applyFilter();
    expect(call.mock.calls.filter(([name]) => name === "savedFilters.remember")).toEqual([]);
  });

  it("puts it first in its box's history at once, so Up right after the apply brings it back before the main process answers", async () => {
    let answer: (list: { recent: string[]; saved: never[] }) => void = () => undefined;
    call.mockImplementation((name: string) => (name === "savedFilters.remember" ? new Promise((ok) => (answer = ok)) : Promise.resolve({ rows: [], total: 0, offset: 0, limit: 200 })));
    useRecordsQuery.getState().setFilterText("{d: 4}");
    await useRecordsQuery.getState().applyFilter();
    expect(useQueryHistory.getState().step("records", 1, "{typed")).toBe("{d: 4}");
    answer({ recent: ["{d: 4}", ...recent], saved: [] });
    await vi.waitFor(() => expect(useQueryHistory.getState().lists.records?.recent).toEqual(["{d: 4}", ...recent]));
  });

  it("keeps the newest list when an older call's answer lands after a newer one was asked", async () => {
    const answers: ((list: { recent: string[]; saved: never[] }) => void)[] = [];
    call.mockImplementation((name: string) => (name === "savedFilters.remember" ? new Promise((ok) => answers.push(ok)) : Promise.resolve({ rows: [], total: 0, offset: 0, limit: 200 })));
    const h = useQueryHistory.getState();
    void h.remember("records", "{e: 5}");
    void h.remember("records", "{f: 6}");
    answers[0]({ recent: ["{e: 5}", ...recent], saved: [] }); // the first call's answer, late: it knows nothing of {f: 6}
    await Promise.resolve();
    expect(useQueryHistory.getState().lists.records?.recent.slice(0, 2)).toEqual(["{f: 6}", "{e: 5}"]);
    answers[1]({ recent: ["{f: 6}", "{e: 5}", ...recent], saved: [] });
    await vi.waitFor(() => expect(useQueryHistory.getState().lists.records?.recent).toEqual(["{f: 6}", "{e: 5}", ...recent]));
  });
});
