/** Opening another store forgets everything about the last one: filters, queries, selections, panels, the replay cursor. */
import { beforeEach, describe, expect, it, vi } from "vitest";

const call = vi.fn();
vi.mock("../src/api/client", () => ({
  api: { call: (...args: unknown[]) => call(...args), on: () => () => undefined },
  errorText: (err: unknown) => ({ message: String(err) }),
  pathOfDroppedFile: () => null,
}));

const { useSession } = await import("../src/state/session");
const { useOpsFilters, ops } = await import("../src/state/ops");
const { useRecordsQuery } = await import("../src/state/records");
const { useArchive } = await import("../src/state/archive");
const { useReplayPanes } = await import("../src/state/replayPanes");
const { useReplay } = await import("../src/state/replay");
const { useDetail } = await import("../src/state/detail");
const { useUi } = await import("../src/state/ui");
const { useCompare } = await import("../src/state/compare");

const opened = { session: { dir: "/stores/b", mode: "read-only", agentId: null, modeReason: "", demo: false, lockedReadOnly: false }, summary: {} };

beforeEach(() => {
  call.mockReset();
  call.mockImplementation(async (name: string) => {
    if (name === "store.open") return opened;
    if (name === "store.history") return null; // a folder store has no history to fetch
    return { rows: [], total: 0, offset: 0, limit: 200 };
  });
});

describe("opening another store", () => {
  it("resets the Operations filters, the Records query, the Archive, the Timeline's watched query, the cursor and the panels", async () => {
    useOpsFilters.setState({ agent: "alice", op: "delete", id: "task-1", from: "2026-01-01T00:00", filterText: "{x: 1}", filter: { x: 1 } });
    ops.setState({ total: 42, loaded: true });
    useRecordsQuery.setState({ filterText: "{status: 'open'}", filter: { status: "open" }, sort: { field: "n", dir: -1 }, idContains: "task" });
    useArchive.setState({ open: "archive/archive-2026-Q1.json", filterText: "{a: 1}", filter: { a: 1 }, idContains: "t" });
    useReplayPanes.setState({ filterText: "{status: 'done'}", filter: { status: "done" } });
    useReplay.setState({ cursor: 17 });
    useDetail.setState({ op: { pos: 3 } as never, opConflicts: [{} as never] });
    useUi.setState({ selectedRecordId: "task-1", selectedOpPos: 3, warningsOpen: true, openMenu: "recent", view: "operations" });

    expect(await useSession.getState().openStore("/stores/b")).toBe(true);

    expect(useOpsFilters.getState()).toMatchObject({ agent: "", op: "", id: "", from: "", to: "", filterText: "", filter: undefined, filterError: null });
    expect(ops.getState()).toMatchObject({ total: null, loaded: false });
    expect(useRecordsQuery.getState()).toMatchObject({ filterText: "", filter: undefined, sort: undefined, idContains: "" });
    expect(useArchive.getState()).toMatchObject({ open: null, filterText: "", filter: undefined, idContains: "" });
    expect(useReplayPanes.getState()).toMatchObject({ filterText: "", filter: undefined });
    expect(useReplay.getState().cursor).toBe(0);
    expect(useDetail.getState()).toMatchObject({ op: null, opConflicts: [] });
    expect(useUi.getState()).toMatchObject({ selectedRecordId: null, selectedOpPos: null, warningsOpen: false, openMenu: null, view: "operations" }); // the view stays
  });

  it("forgets a jump asked for before the timeline loaded: the next store's cursor starts at its own end", async () => {
    useReplay.getState().seek(3); // "Replay here" before the old store's timeline came: the jump waits for it
    expect(await useSession.getState().openStore("/stores/b")).toBe(true);
    call.mockImplementation(async (name: string) => (name === "timelineInfo" ? { total: 10, links: [] } : { rows: [], total: 0, offset: 0, limit: 200 }));
    await useReplay.getState().loadInfo();
    expect(useReplay.getState().cursor).toBe(10);
  });

  it("drops an answer the last store asked for that comes after the next one opened", async () => {
    let answer: (value: unknown) => void = () => undefined;
    call.mockImplementation((name: string) => (name === "diff" ? new Promise((resolve) => (answer = resolve)) : Promise.resolve(opened)));
    useCompare.getState().pick("a", 1);
    useCompare.getState().pick("b", 2);
    const late = useCompare.getState().load();
    expect(await useSession.getState().openStore("/stores/b")).toBe(true);
    answer({ rows: [{ id: "from-the-old-store" }], total: 1, offset: 0, limit: 50 });
    await late;
    expect(useCompare.getState().page).toBeNull();
  });

  it("stops a replay that was playing, and keeps the view and the palette (the app's, not the store's)", async () => {
    vi.useFakeTimers();
    try {
      useReplay.setState({ info: { total: 100, links: [] } as never, cursor: 0 });
      useReplay.getState().play();
      useUi.setState({ view: "timeline", paletteOpen: true });
      expect(await useSession.getState().openStore("/stores/b")).toBe(true);
      expect(useReplay.getState()).toMatchObject({ playing: false, cursor: 0, info: null });
      expect(vi.getTimerCount()).toBe(0);
      expect(useUi.getState()).toMatchObject({ view: "timeline", paletteOpen: true });
    } finally {
      vi.useRealTimers();
    }
  });

  it("keeps everything when the open fails", async () => {
    call.mockImplementation(async () => { throw new Error("not a store"); });
    useOpsFilters.setState({ agent: "alice" });
    expect(await useSession.getState().openStore("/nowhere")).toBe(false);
    expect(useOpsFilters.getState().agent).toBe("alice");
  });
});
