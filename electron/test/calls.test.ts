// One vocabulary on both sides of the channel (VS Code's ProxyChannel calls a
// method by the service's own name): a call forwarded to an inspector query
// bears that query's name, and a query's bare name is never a call of the
// session's own, so a name found in the renderer is the one to look for in
// the engine.
import { describe, expect, it } from "vitest";
import { queryNames } from "../../engine/src/inspect/index.js";
import { callNames, calls } from "../calls.js";

const forwarded = callNames.flatMap((name) => {
  const declared = calls[name];
  return "query" in declared ? [{ name: name as string, query: declared.query as string }] : [];
});

describe("the calls' names", () => {
  it("name each forwarded call as the engine query it forwards to", () => {
    expect(forwarded.length).toBeGreaterThan(0);
    expect(forwarded.filter((c) => c.name !== c.query)).toEqual([]);
  });

  it("never give a call of the session's own the bare name of an engine query", () => {
    const own = callNames.filter((name) => !("query" in calls[name]));
    expect(own.filter((name) => (queryNames as string[]).includes(name))).toEqual([]);
  });
});
