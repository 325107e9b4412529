/** The renderer's one data layer (state/query.ts): newest answer only, asked again when the store changes, "cancelled" ignored, errors shown. */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { CallError } from "../../electron/call-error";
import type { QueryRequest } from "../src/state/request";

const call = vi.fn();
vi.mock("../src/api/client", async (importOriginal) => {
  (globalThis as { window?: unknown }).window ??= { location: { search: "" } }; // the real module reads it as it loads
  const real = await importOriginal<typeof import("../src/api/client")>();
  return { ...real, api: { call: (...args: unknown[]) => call(...args), on: () => () => undefined } };
});

const { createQuery } = await import("../src/state/query");
const { part } = await import("../src/state/request");
const { useDetail } = await import("../src/state/detail");

/** A promise settled by the test, so answers can arrive in any order. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((ok, fail) => ((resolve = ok), (reject = fail)));
  return { promise, resolve, reject };
}

/** Let every settled promise's callbacks run. */
const settle = () => new Promise((done) => setTimeout(done, 0));

const cancelled = () => new CallError({ code: "cancelled" as never, message: "Superseded by a newer request." });

beforeEach(() => {
  call.mockReset();
});

describe("useQuery's query", () => {
  it("drops a late answer to an older request: the newer request's answer stays", async () => {
    const answers = [deferred<string>(), deferred<string>()];
    const fetch = vi.fn((_: string, __: QueryRequest) => answers[fetch.mock.calls.length - 1].promise);
    const query = createQuery<string, string>("k");
    query.sync(fetch, "task-1", 1);
    query.sync(fetch, "task-2", 1);
    answers[1].resolve("record task-2");
    await settle();
    answers[0].resolve("record task-1");
    await settle();
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(query.state.getState()).toEqual({ data: "record task-2", error: null, loading: false });
  });

  it("asks again when the store's revision changes, and not when neither it nor the argument's value did", async () => {
    const fetch = vi.fn(async (arg: { pos: number }) => `op ${arg.pos}`);
    const query = createQuery<{ pos: number }, string>("k");
    query.sync(fetch, { pos: 3 }, 1);
    query.sync(fetch, { pos: 3 }, 1); // a new object, the same value: a re-render, not a new question
    expect(fetch).toHaveBeenCalledTimes(1);
    query.sync(fetch, { pos: 3 }, 2);
    expect(fetch).toHaveBeenCalledTimes(2);
    query.sync(fetch, { pos: 4 }, 2);
    expect(fetch).toHaveBeenCalledTimes(3);
    await settle();
    expect(query.state.getState().data).toBe("op 4");
  });

  it("ignores a \"cancelled\" answer: no error shown, the last answer stays", async () => {
    const query = createQuery<number, string>("k");
    query.sync(async () => "first", 0, 1);
    await settle();
    query.sync(async () => { throw cancelled(); }, 0, 2);
    await settle();
    expect(query.state.getState()).toMatchObject({ data: "first", error: null });
  });

  it("shows an error with its code, and the next answer clears it", async () => {
    const query = createQuery<string, string>("k");
    query.sync(async () => { throw new CallError({ code: "not-found", message: "No record \"task-9\"." }); }, "task-9", 1);
    await settle();
    expect(query.state.getState()).toEqual({ data: null, error: { message: "No record \"task-9\".", code: "not-found", detail: undefined }, loading: false });
    query.sync(async () => "task-1", "task-1", 1);
    expect(query.state.getState().loading).toBe(true);
    await settle();
    expect(query.state.getState()).toEqual({ data: "task-1", error: null, loading: false });
  });

  it("gives each request the query's supersede key, and each part of a request a key of its own", () => {
    const seen: QueryRequest[] = [];
    const query = createQuery<null, null>("records-view");
    query.sync(async (_, request) => (seen.push(request), null), null, 1);
    expect(seen[0].options).toEqual({ supersede: "records-view" });
    expect(part(seen[0], "events").options).toEqual({ supersede: "records-view/events" });
    expect(part(seen[0], "info").options.supersede).not.toBe(part(seen[0], "events").options.supersede);
  });
});

describe("a store action run by a query", () => {
  it("keeps none of an older request's answer (the op detail shows the op asked for last)", async () => {
    const answers = new Map([[1, deferred<unknown>()], [2, deferred<unknown>()]]);
    call.mockImplementation((name: string, arg: { pos: number }) => (name === "ops.get" ? answers.get(arg.pos)!.promise : Promise.resolve({ rows: [], total: 0 })));
    const query = createQuery<number, void>("op-detail");
    const loadOp = (pos: number, request: QueryRequest) => useDetail.getState().loadOp(pos, request);
    query.sync(loadOp, 1, 1);
    query.sync(loadOp, 2, 1);
    answers.get(2)!.resolve({ pos: 2 });
    await settle();
    answers.get(1)!.resolve({ pos: 1 });
    await settle();
    expect(useDetail.getState().op).toEqual({ pos: 2 });
    expect(call).toHaveBeenCalledWith("ops.get", { pos: 2 }, { supersede: "op-detail/op" });
  });

  it("shows no error for a call the server cancelled", async () => {
    useDetail.setState({ op: null, opError: null });
    call.mockImplementation(async () => { throw cancelled(); });
    const query = createQuery<number, void>("op-detail");
    query.sync((pos, request) => useDetail.getState().loadOp(pos, request), 1, 1);
    await settle();
    expect(useDetail.getState().opError).toBeNull();
  });
});
