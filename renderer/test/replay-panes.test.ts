/** The Timeline's panes as the cursor moves: each pane's request names itself, so the next step's request can stop it; a stopped one is no error. */
import { describe, expect, it, vi } from "vitest";
import { CallError } from "../../electron/call-error";

const call = vi.fn();
vi.mock("../src/api/client", () => ({
  api: { call: (...args: unknown[]) => call(...args), on: () => () => undefined },
  errorText: (err: CallError) => ({ message: err.message, code: err.code }),
  pathOfDroppedFile: () => null,
}));

const { useReplay } = await import("../src/state/replay");
const { useReplayPanes } = await import("../src/state/replayPanes");

describe("the replay panes", () => {
  it("name each request by its pane, and show no error when the server stopped them for the next step's", async () => {
    call.mockImplementation(async () => { throw new CallError({ code: "cancelled" as never, message: "Superseded by a newer request." }); });
    useReplay.setState({ info: { total: 5, links: [] } as never, cursor: 2 });
    await useReplayPanes.getState().load();
    const keys = call.mock.calls.map(([name, , options]) => `${name as string} ${(options as { supersede?: string } | undefined)?.supersede?.replace(/^[^:]*:/, "")}`);
    expect(keys).toEqual(["ops.get replay/op", "diff replay/diff-prev", "diff replay/diff-now", "records replay/state/page-0"]);
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
  it("shows the op at the new position as soon as it comes, before the diffs and the state have answered", async () => {
    const pending = new Map<string, ReturnType<typeof deferred>>();
    call.mockImplementation((name: string, arg: { a?: number; b?: number }) => {
      const key = name === "diff" ? `diff ${arg.a}-${arg.b}` : name;
      const wait = deferred();
      pending.set(key, wait);
      return wait.promise;
    });
    useReplay.setState({ info: { total: 5, links: [] } as never, cursor: 3 });
    const load = useReplayPanes.getState().load();
    pending.get("ops.get")!.answer({ pos: 2, id: "r1" });
    await vi.waitFor(() => expect(useReplayPanes.getState().currentOp).toMatchObject({ pos: 2 }));
    expect(useReplayPanes.getState().shownAt).not.toBe(3); // the diffs and the state are still on their way
    pending.get("diff 2-3")!.answer({ rows: [], total: 0, counts: {} });
    pending.get("diff 3-5")!.answer({ rows: [], total: 0, counts: {} });
    pending.get("records")!.answer({ rows: [], total: 0 });
    await load;
    expect(useReplayPanes.getState().shownAt).toBe(3);
  });

  it("keeps no answer of a step the cursor has already left", async () => {
    const pending: { name: string; arg: { pos?: number }; wait: ReturnType<typeof deferred> }[] = [];
    call.mockImplementation((name: string, arg: { pos?: number }) => {
      const wait = deferred();
      pending.push({ name, arg, wait });
      return wait.promise;
    });
    useReplay.setState({ info: { total: 5, links: [] } as never, cursor: 1 });
    useReplayPanes.setState({ currentOp: null, shownAt: null });
    const first = useReplayPanes.getState().load();
    useReplay.setState({ cursor: 2 });
    const second = useReplayPanes.getState().load();
    const [older, newer] = pending.filter((p) => p.name === "ops.get");
    newer.wait.answer({ pos: 1, id: "r2" });
    older.wait.answer({ pos: 0, id: "r1" });
    for (const p of pending) if (p.name !== "ops.get") p.wait.answer(p.name === "records" ? { rows: [], total: 0 } : { rows: [], total: 0, counts: {} });
    await Promise.all([first, second]);
    expect(useReplayPanes.getState().currentOp).toMatchObject({ pos: 1 });
    expect(useReplayPanes.getState().shownAt).toBe(2);
  });

  it("asks for the panes of the new position in the same task as the cursor moves, before any render", async () => {
    call.mockImplementation(async (name: string) => (name === "records" ? { rows: [], total: 0 } : name === "ops.get" ? { pos: 0 } : { rows: [], total: 0, counts: {} }));
    const { followCursor } = await import("../src/state/replayPanes");
    useReplay.setState({ info: { total: 5, links: [] } as never, cursor: 1 });
    const stop = followCursor();
    call.mockClear();
    useReplay.getState().step(1);
    expect(call.mock.calls.find(([name]) => name === "ops.get")?.[1]).toEqual({ pos: 1 });
    stop();
    call.mockClear();
    useReplay.getState().step(1);
    expect(call).not.toHaveBeenCalled();
  });
});
