/** The page's first calls (store.summary, store.preview) go out before React loads (boot.ts); the session's first load takes their answers, and every later load asks again. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { CallError } from "../../electron/call-error";

const call = vi.fn();
vi.mock("../src/api/client", () => ({
  api: { call: (...args: unknown[]) => call(...args), on: () => () => undefined },
  errorText: (err: unknown) => ({ message: String(err) }),
  pathOfDroppedFile: () => null,
}));

const { sendFirstCalls, takeFirstCalls } = await import("../src/api/firstCalls");
const { useSession } = await import("../src/state/session");
const { useStoreLoad } = await import("../src/state/storeLoad");

const preview = { snapshot: "snapshots/snap-1.jsonl", timestamp: null, rows: [{ id: "task-1", value: { title: "a" } }], complete: true, walBytes: 10, walFiles: 1, unavailable: null };
const progress = { url: "/stores/a", phase: "snapshot", objects: 0, totalObjects: 0, bytes: 1, totalBytes: 10, ops: 0, elapsedMs: 5, etaMs: 45 };
const asked = (name: string) => call.mock.calls.filter((c) => c[0] === name).length;

afterEach(() => {
  useStoreLoad.getState().stop();
  call.mockReset();
});

describe("the page's first calls", () => {
  it("are sent at once; the first load answers from them (the store indexing: its preview shown), a later load asks again", async () => {
    call.mockImplementation(async (name: string) => {
      if (name === "store.summary") throw new CallError({ code: "loading", message: "The store is still loading." });
      if (name === "store.preview") return preview;
      if (name === "store.loading") return progress;
      throw new Error(`unexpected call ${name}`);
    });
    sendFirstCalls();
    expect(call.mock.calls.map((c) => c[0])).toEqual(["store.summary", "store.preview"]);

    await useSession.getState().load();
    expect(useSession.getState().status).toBe("indexing");
    expect(asked("store.summary")).toBe(1);
    expect(asked("store.preview")).toBe(1);
    await vi.waitFor(() => expect(useStoreLoad.getState().preview).toEqual(preview));
    await vi.waitFor(() => expect(useStoreLoad.getState().progress).toEqual(progress));

    useStoreLoad.getState().stop();
    await useSession.getState().load();
    expect(asked("store.summary")).toBe(2);
    expect(asked("store.preview")).toBe(2);
  });

  it("are taken once: an open store's summary, then nothing left to take", async () => {
    const opened = { session: { dir: "/stores/a", mode: "read-only", agentId: null, modeReason: "", demo: false, lockedReadOnly: false }, summary: {} };
    call.mockImplementation(async (name: string) => (name === "store.summary" ? opened : null));
    sendFirstCalls();
    const first = takeFirstCalls();
    expect(await first?.summary).toEqual(opened);
    expect(await first?.preview).toBeNull();
    expect(takeFirstCalls()).toBeNull();
  });
});
