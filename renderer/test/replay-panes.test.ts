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
