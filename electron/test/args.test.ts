import { describe, expect, it } from "vitest";
import { parseCommandLine, UsageError, withoutChromiumSwitches } from "../args.js";

describe("the command line", () => {
  it("opens the demo store read-only when nothing is named", () => {
    expect(parseCommandLine([])).toEqual({ dir: null, mode: undefined, agentId: undefined, port: undefined, readOnly: false, help: false, yes: false, noIndexCache: false });
  });

  it("takes a store folder and --writer", () => {
    expect(parseCommandLine(["/data/store", "--writer"])).toMatchObject({ dir: "/data/store", mode: "writer" });
  });

  it("takes --agent ID, --agent=ID, and a bare --agent as agent explorer", () => {
    expect(parseCommandLine(["s", "--agent", "fixer"])).toMatchObject({ dir: "s", mode: "agent", agentId: "fixer" });
    expect(parseCommandLine(["--agent=a.b_c-1", "s"])).toMatchObject({ dir: "s", agentId: "a.b_c-1" });
    expect(parseCommandLine(["s", "--agent"])).toMatchObject({ mode: "agent", agentId: "explorer" });
  });

  it("takes --port N and --port=N", () => {
    expect(parseCommandLine(["--port", "8080"]).port).toBe(8080);
    expect(parseCommandLine(["--port=0"]).port).toBe(0);
  });

  it("takes --read-only, and --help or -h", () => {
    expect(parseCommandLine(["s", "--read-only"])).toMatchObject({ dir: "s", mode: undefined, readOnly: true });
    expect(parseCommandLine(["--help"]).help).toBe(true);
    expect(parseCommandLine(["-h"]).help).toBe(true);
  });

  it("takes --yes (or -y) with --agent, to confirm agent mode on a single-writer store up front", () => {
    expect(parseCommandLine(["s", "--agent", "bot", "--yes"])).toMatchObject({ mode: "agent", agentId: "bot", yes: true });
    expect(parseCommandLine(["s", "--agent", "-y"])).toMatchObject({ mode: "agent", agentId: "explorer", yes: true });
    expect(() => parseCommandLine(["s", "--yes"])).toThrow(/--yes goes with --agent/);
  });

  it("leaves the Chromium switches a user may pass to the desktop app to Chromium", () => {
    expect(parseCommandLine(withoutChromiumSwitches(["--no-sandbox", "--ozone-platform=wayland", "--remote-debugging-port=0", "--inspect=0", "dir"]))).toMatchObject({ dir: "dir", mode: undefined });
  });

  it.each([
    [["--writer", "--agent", "x"], /cannot be combined/],
    [["--agent", "x", "--writer"], /cannot be combined/],
    [["--agent=bad id"], /letters, digits/],
    [["--port", "http"], /0 to 65535/],
    [["--port", "70000"], /0 to 65535/],
    [["one", "two"], /Only one store folder/],
    [["s", "--writter"], /Unknown option --writter\./],
    [["s", "--inspect=9229"], /Unknown option --inspect/], // in browser mode, no Chromium to take it
    [["--read-only", "--writer"], /--read-only cannot be combined with --writer/],
    [["--agent", "x", "--read-only"], /--read-only cannot be combined with --agent/],
    [["--writer=yes"], /--writer takes no value/],
    [["--port"], /--port needs a value/],
    [["--port", "--writer"], /--port needs a value/],
    [["--port", "-1"], /--port needs a value/],
    [["--port=-1"], /0 to 65535/],
  ])("refuses %j with a usage message", (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
    expect(() => parseCommandLine(argv)).toThrow(message);
    expect(() => parseCommandLine(argv)).toThrow(/usage: opslog-explorer/);
  });
});
