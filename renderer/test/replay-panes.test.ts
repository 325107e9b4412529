/** The Timeline's panes as the cursor moves: one named request a step for every pane, shown together; a stopped one is no error, a step the cursor has left is never shown, and a watched query failing at a position fails the state pane alone. */
import { describe, expect, it, vi } from "vitest";
import { CallError } from "../../electron/call-error";

const call = vi.fn();
vi.mock("../src/api/client", () => ({
  api: { call: (...args: unknown[]) => call(...args), on: () => () => undefined },
  errorText: (err: CallError) => ({ message: err.message, code: err.code }),
  pathOfDroppedFile: () => null,
}));

const { useReplay } = await import("../src/state/replay");
const { stateRecords, useReplayPanes } = await import("../src/state/replayPanes");

/** What timeline.step answers at `pos`: the op before it, empty diffs, and one state row naming the position. */
const stepAt = (pos: number) => ({ pos, op: pos > 0 ? { pos: pos - 1, id: `r${pos}` } : null, opDiff: pos > 0 ? { rows: [], total: 0, offset: 0, limit: 50, counts: {} } : null, laterDiff: { rows: [], total: 0, offset: 0, limit: 200, counts: {} }, state: [{ rows: [{ id: `at-${pos}`, data: {} }], total: 1, offset: 0, limit: 200 }] });

describe("the replay panes", () => {
  it("ask one request a step, timeline.step, named for the step, and show no error when the server stopped it for the next step's", async () => {
    call.mockImplementation(async () => { throw new CallError({ code: "cancelled" as never, message: "Superseded by a newer request." }); });
    useReplay.setState({ info: { total: 5, links: [] } as never, cursor: 2 });
    call.mockClear();
    await useReplayPanes.getState().load();
    const keys = call.mock.calls.map(([name, , options]) => `${name as string} ${(options as { supersede?: string } | undefined)?.supersede?.replace(/^[^:]*:/, "")}`);
    expect(keys).toEqual(["timeline.step replay/step"]);
    expect(call.mock.calls[0][1]).toEqual({ pos: 2, end: 5, opDiffLimit: 50, laterDiffLimit: 50, statePages: [{ offset: 0, limit: 50 }] });
    expect(useReplayPanes.getState().error).toBeNull();
  });
});

/** A call that answers only when the test says so. */
function deferred(): { promise: Promise<unknown>; answer(value: unknown): void } {
  let answer: (value: unknown) => void = () => undefined;
  const promise = new Promise<unknown>((resolve) => (answer = resolve));
  return { promise, answer };
}

describe("a step of the replay cursor", () => {
  it("shows every pane of the new position together, when its one answer comes", async () => {
    const wait = deferred();
    call.mockImplementation(() => wait.promise);
    useReplay.setState({ info: { total: 5, links: [] } as never, cursor: 3 });
    const load = useReplayPanes.getState().load();
    expect(useReplayPanes.getState().shownAt).not.toBe(3);
    wait.answer(stepAt(3));
    await load;
    expect(useReplayPanes.getState()).toMatchObject({ shownAt: 3, currentOp: { pos: 2 }, diffPrev: { total: 0 }, diffNow: { total: 0 }, error: null });
    expect(stateRecords.getState().rowAt(0)).toEqual({ id: "at-3", data: {} });
  });

  it("keeps no answer of a step the cursor has already left, even one that comes last", async () => {
    const pending: { pos: number; wait: ReturnType<typeof deferred> }[] = [];
    call.mockImplementation((_name: string, arg: { pos: number }) => {
      const wait = deferred();
      pending.push({ pos: arg.pos, wait });
      return wait.promise;
    });
    useReplay.setState({ info: { total: 5, links: [] } as never, cursor: 1 });
    useReplayPanes.setState({ currentOp: null, shownAt: null });
    const first = useReplayPanes.getState().load();
    useReplay.setState({ cursor: 2 });
    const second = useReplayPanes.getState().load();
    const [older, newer] = pending;
    expect([older.pos, newer.pos]).toEqual([1, 2]);
    newer.wait.answer(stepAt(2));
    older.wait.answer(stepAt(1));
    await Promise.all([first, second]);
    expect(useReplayPanes.getState()).toMatchObject({ currentOp: { pos: 1 }, shownAt: 2 });
    expect(stateRecords.getState().rowAt(0)).toEqual({ id: "at-2", data: {} });
  });

  it("asks for the panes of the new position in the same task as the cursor moves, before any render", async () => {
    call.mockImplementation(async (_name: string, arg: { pos: number }) => stepAt(arg.pos));
    const { followCursor } = await import("../src/state/replayPanes");
    useReplay.setState({ info: { total: 5, links: [] } as never, cursor: 1 });
    const stop = followCursor();
    call.mockClear();
    useReplay.getState().step(1);
    expect(call.mock.calls.map(([name, arg]) => [name, (arg as { pos: number }).pos])).toEqual([["timeline.step", 2]]);
    stop();
    call.mockClear();
    useReplay.getState().step(1);
    expect(call).not.toHaveBeenCalled();
  });

  it("keeps each diff row that reads as before as the same object, so a step draws again only the rows it changed", async () => {
    const row = (id: string, n: number) => ({ id, kind: "changed", before: { n }, after: { n: n + 1 } });
    const page = (rows: ReturnType<typeof row>[]) => ({ rows, total: rows.length, offset: 0, limit: 200, counts: { added: 0, removed: 0, changed: rows.length, archived: 0 } });
    const answers = [page([row("a", 1), row("b", 2), row("c", 3)]), page([row("a", 1), row("c", 9)])];
    call.mockImplementation(async (_name: string, arg: { pos: number }) => ({ ...stepAt(arg.pos), laterDiff: answers[arg.pos - 1] }));
    useReplay.setState({ info: { total: 5, links: [] } as never, cursor: 1 });
    await useReplayPanes.getState().load();
    const before = useReplayPanes.getState().diffNow!;
    useReplay.setState({ cursor: 2 });
    await useReplayPanes.getState().load();
    const after = useReplayPanes.getState().diffNow!;
    expect(after.rows.map((r) => r.id)).toEqual(["a", "c"]);
    expect(after.rows[0]).toBe(before.rows[0]); // a: the same
    expect(after.rows[1]).not.toBe(before.rows[2]); // c: changed
    expect(after.rows[1].after).toEqual({ n: 10 });
  });

  it("shows the op and both diffs when the watched query failed at this position, and the state pane alone says why", async () => {
    const stateError = { code: "timeout", message: "The watched query failed at position 3 (the op and its diffs still show): the inspector took longer than 30 s to answer (replayStep)." };
    call.mockImplementation(async (_name: string, arg: { pos: number }) => ({ ...stepAt(arg.pos), state: [], stateError }));
    useReplay.setState({ info: { total: 5, links: [] } as never, cursor: 3 });
    await useReplayPanes.getState().load();
    expect(useReplayPanes.getState()).toMatchObject({ shownAt: 3, currentOp: { pos: 2 }, diffPrev: { total: 0 }, diffNow: { total: 0 }, error: null });
    expect(stateRecords.getState().error).toMatchObject({ code: "timeout", message: stateError.message });
    expect(stateRecords.getState().rowAt(0)).toBeUndefined();
    // The next position answers in full: the state pane shows its rows again.
    call.mockImplementation(async (_name: string, arg: { pos: number }) => ({ ...stepAt(arg.pos), stateError: null }));
    useReplay.setState({ cursor: 4 });
    await useReplayPanes.getState().load();
    expect(stateRecords.getState().error).toBeNull();
    expect(stateRecords.getState().rowAt(0)).toEqual({ id: "at-4", data: {} });
  });

  it("asks at each step for what the panes show: the state table's rows in pages of 50, the diff to now's first 50 rows, and 150 more of it each time the user asks, at this step and the next", async () => {
    call.mockImplementation(async (_name: string, arg: { pos: number }) => stepAt(arg.pos));
    useReplay.setState({ info: { total: 5, links: [] } as never, cursor: 1 });
    useReplayPanes.setState({ laterRows: 50 });
    call.mockClear();
    await useReplayPanes.getState().load();
    expect(call.mock.calls[0][1]).toMatchObject({ pos: 1, laterDiffLimit: 50, statePages: [{ offset: 0, limit: 50 }] });
    await useReplayPanes.getState().showMoreLater();
    expect(call.mock.calls[1][1]).toMatchObject({ pos: 1, laterDiffLimit: 200 });
    useReplay.setState({ cursor: 2 });
    await useReplayPanes.getState().load();
    expect(call.mock.calls[2][1]).toMatchObject({ pos: 2, laterDiffLimit: 200 });
  });
});
