// The contract over a session, through dispatch() as both transports use it:
// every call in every mode, on stores written by the published opslog.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Store } from "@backloghq/opslog";
import { AppData } from "../appdata.js";
import { callNames } from "../calls.js";
import type { CompactPreview, OpenResult, PendingOpen, RecordDetail, UndoPreview } from "../contract.js";
import { Handlers } from "../handlers.js";
import { isDownloadCall } from "../dispatch.js";
import type { DiffPage, Page, RecordRow, TimelineEvent, TimelineOp } from "../../engine/src/inspect/types.js";
import { plannerAndWorkerOnJobs, sixTasksHalfArchived, twentyTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";
import { digestTree, errorOf, readCalls, removeDir, tempDir, valueOf } from "./helpers.js";

let work: string;
let handlers: Handlers;

beforeEach(async () => {
  work = await tempDir("handlers");
  handlers = new Handlers({ appData: new AppData(`${work}/home`), pollMs: 0 });
});
afterEach(async () => {
  await handlers.store.closeSession();
  await removeDir(work);
});

const open = async (arg: unknown) => valueOf<OpenResult>(await handlers.dispatch("store.open", arg));
const ids = (page: Page<RecordRow>) => page.rows.map((r) => r.id);

describe("read-only mode", () => {
  it("answers every read call on a single-writer store", async () => {
    const dir = (await twentyTasksCompactedThenEdited.build(`${work}/single`)).dir;
    const opened = await open({ dir });
    expect(opened.session.mode).toBe("read-only");
    expect(opened.summary.kind).toBe("single-writer");
    for (const [name, arg] of readCalls({ lanes: opened.summary.lanes.map((l) => l.path), archive: null })) {
      const answer = await handlers.dispatch(name, arg);
      expect(answer, `${name} ${JSON.stringify(arg)}`).toMatchObject({ ok: true });
    }
  });

  it("pages records with filter, sort and id search through mingo", async () => {
    const store = await twentyTasksCompactedThenEdited.build(`${work}/single`);
    await open({ dir: store.dir });
    const all = valueOf<Page<RecordRow>>(await handlers.dispatch("records", { offset: 0, limit: 1000 }));
    expect(all.total).toBe(21); // 22 tasks created, one deleted
    expect(all.rows.map((r) => [r.id, r.data])).toEqual(store.state); // as the published opslog reads it, in id order
    expect(ids(all)).not.toContain(store.deletedIds[0]);
    const blocked = valueOf<Page<RecordRow>>(await handlers.dispatch("records", { offset: 0, limit: 10, filter: { status: "blocked" } }));
    expect(ids(blocked)).toEqual(store.blockedIds);
    const sorted = valueOf<Page<RecordRow>>(await handlers.dispatch("records", { offset: 0, limit: 3, sort: { field: "estimate", dir: -1 } }));
    expect(sorted.rows.every((r) => r.data.estimate === 4)).toBe(true);
  });

  it("records.get returns the value and the record's history", async () => {
    const store = await twentyTasksCompactedThenEdited.build(`${work}/single`);
    await open({ dir: store.dir });
    const detail = valueOf<RecordDetail>(await handlers.dispatch("records.get", { id: store.renamed.id }));
    expect(detail.value).toMatchObject({ title: store.renamed.title });
    expect(detail.history.map((h) => h.op)).toEqual(["set", "set"]);
    expect(detail.history.map((h) => h.op)).toEqual(store.walLines.filter((l) => l.op?.id === store.renamed.id).map((l) => l.op!.op)); // the raw lines, across the compaction
  });

  it("timelineEvents gives an archive of a published store as an event; its records read archived in diffs and histories", async () => {
    const { dir, archived } = await sixTasksHalfArchived.build(`${work}/archived`);
    await open({ dir });
    const events = valueOf<TimelineEvent[]>(await handlers.dispatch("timelineEvents", {}));
    expect(events.map((e) => [e.kind, e.position, e.segment, e.archivedIds])).toEqual([["archive", 6, "archive/archive-2026-Q1.json", ["task-1", "task-3", "task-5"]], ["compaction", 6, null, []]]);
    expect(events[0].archivedCount).toBe(archived);
    const diff = valueOf<DiffPage>(await handlers.dispatch("diff", { a: 5, b: 7, offset: 0, limit: 20 }));
    expect(diff.rows.map((r) => [r.id, r.kind, r.segment ?? null])).toEqual([["task-1", "archived", "archive/archive-2026-Q1.json"], ["task-3", "archived", "archive/archive-2026-Q1.json"], ["task-9", "added", null]]); // task-5 came and went within
    const detail = valueOf<RecordDetail>(await handlers.dispatch("records.get", { id: "task-3" }));
    expect(detail.history.map((h) => [h.op, h.pos, h.segment ?? null])).toEqual([["set", 3, null], ["archive", 6, "archive/archive-2026-Q1.json"]]);
    expect(errorOf(await handlers.dispatch("timelineEvents", { position: 3 })).code).toBe("bad-argument");
  });

  it("refuses every action and says how to reopen in a write mode", async () => {
    await open({ dir: (await twentyTasksCompactedThenEdited.build(`${work}/single`)).dir });
    for (const [name, arg] of [["actions.undo", {}], ["actions.compact", {}], ["actions.archive", { filter: { status: "done" } }], ["actions.set", { id: "x", value: { a: 1 } }], ["actions.delete", { id: "task-1" }], ["actions.revert", { pos: 0, mode: "own-change" }]] as const) {
      const error = errorOf(await handlers.dispatch(name, arg));
      expect(error.code, name).toBe("read-only");
      expect(error.message).toMatch(/writer mode/);
    }
  });

  it("answers no-store before a store is open", async () => {
    expect(errorOf(await handlers.dispatch("records", { offset: 0, limit: 10 })).code).toBe("no-store");
  });
});

describe("writer mode", () => {
  it("reopens the store it holds the lock of (its own lock does not stand in its way), and keeps it if the new open fails", async () => {
    const dir = (await twentyTasksCompactedThenEdited.build(`${work}/single`)).dir;
    await open({ dir, mode: "writer" });
    expect((await open({ dir, mode: "writer" })).session.mode).toBe("writer");
    expect((await open({ dir })).session.mode).toBe("read-only");
    await open({ dir, mode: "writer" });
    // A refused open (agent mode needs confirming here) leaves the writer session as it was.
    expect(errorOf(await handlers.dispatch("store.open", { dir, mode: "agent" })).code).toBe("confirm-required");
    expect(valueOf<OpenResult>(await handlers.dispatch("store.summary", {})).session.mode).toBe("writer");
    valueOf(await handlers.dispatch("actions.set", { id: "after-reopen", value: { ok: true } }));
  });

  it("previews and undoes the last op of the active WAL", async () => {
    const { dir, lastOp } = await twentyTasksCompactedThenEdited.build(`${work}/single`);
    await open({ dir, mode: "writer" });
    const preview = valueOf<UndoPreview>(await handlers.dispatch("actions.undoPreview", {}));
    expect(preview.op).toMatchObject({ op: lastOp.op, id: lastOp.id, data: lastOp.after });
    valueOf(await handlers.dispatch("actions.undo", {}));
    const detail = valueOf<RecordDetail>(await handlers.dispatch("records.get", { id: lastOp.id }));
    expect(detail.value).toMatchObject({ status: "open" });
    expect(detail.value).toEqual(lastOp.before);
  });

  it("sets, deletes, archives by filter and compacts, and the reads see each change", async () => {
    await open({ dir: (await twentyTasksCompactedThenEdited.build(`${work}/single`)).dir, mode: "writer" });
    valueOf(await handlers.dispatch("actions.set", { id: "new-1", value: { title: "New", status: "open" } }));
    valueOf(await handlers.dispatch("actions.delete", { id: "task-5" }));
    const archived = valueOf<{ message: string }>(await handlers.dispatch("actions.archive", { filter: { status: "done" }, segment: "done-2026" }));
    expect(archived.message).toMatch(/Archived \d+ record/);
    const open_ = valueOf<Page<RecordRow>>(await handlers.dispatch("records", { offset: 0, limit: 1000 }));
    expect(ids(open_)).toContain("new-1");
    expect(ids(open_)).not.toContain("task-5");
    expect(open_.rows.some((r) => r.data.status === "done")).toBe(false);
    expect(valueOf<unknown[]>(await handlers.dispatch("archiveSegments", {})).length).toBeGreaterThan(0);
    valueOf(await handlers.dispatch("actions.compact", {}));
    const after = valueOf<OpenResult>(await handlers.dispatch("store.summary", {}));
    expect(after.summary.counts.activeOps).toBe(0);
  });

  it("reports a delete of a missing record as not-found and an empty archive filter as bad-filter", async () => {
    await open({ dir: (await twentyTasksCompactedThenEdited.build(`${work}/single`)).dir, mode: "writer" });
    expect(errorOf(await handlers.dispatch("actions.delete", { id: "no-such" })).code).toBe("not-found");
    expect(errorOf(await handlers.dispatch("actions.archive", { filter: {} })).code).toBe("bad-filter");
  });

  it("is refused on a multi-writer store, saying to use agent mode", async () => {
    const error = errorOf(await handlers.dispatch("store.open", { dir: (await plannerAndWorkerOnJobs.build(`${work}/multi`)).dir, mode: "writer" }));
    expect(error.message).toMatch(/multi-writer.*agent mode/s);
  });
});

describe("agent mode", () => {
  it("needs confirmation on a single-writer store, and says why", async () => {
    const dir = (await twentyTasksCompactedThenEdited.build(`${work}/single`)).dir;
    const error = errorOf(await handlers.dispatch("store.open", { dir, mode: "agent" }));
    expect(error.code).toBe("confirm-required");
    expect(error.message).toMatch(/never reads/);
    expect((await open({ dir, mode: "agent", confirmAgentOnSingleWriter: true })).session.agentId).toBe("explorer");
  });

  it("asked for on the command line without --yes, waits for the user instead of failing: no store open, nothing written, store.pending says what and why", async () => {
    const dir = (await twentyTasksCompactedThenEdited.build(`${work}/single`)).dir;
    const before = await digestTree(dir);
    await handlers.store.openFromCommandLine(dir, "agent", "bot");
    expect(errorOf(await handlers.dispatch("store.summary", {})).code).toBe("no-store");
    const pending = valueOf<PendingOpen>(await handlers.dispatch("store.pending", {}));
    expect(pending).toMatchObject({ dir, mode: "agent", agentId: "bot" });
    expect(pending.reason).toMatch(/never reads/);
    expect(await digestTree(dir)).toEqual(before);
    // The user confirms in the UI: the open goes on, and nothing is pending any more.
    expect((await open({ dir, mode: "agent", agentId: "bot", confirmAgentOnSingleWriter: true })).session).toMatchObject({ mode: "agent", agentId: "bot" });
    expect(valueOf(await handlers.dispatch("store.pending", {}))).toBeNull();
  });

  it("asked for on the command line with --yes, opens at once", async () => {
    const dir = (await twentyTasksCompactedThenEdited.build(`${work}/single`)).dir;
    await handlers.store.openFromCommandLine(dir, "agent", "bot", true);
    expect(valueOf<OpenResult>(await handlers.dispatch("store.summary", {})).session).toMatchObject({ mode: "agent", agentId: "bot" });
    expect(valueOf(await handlers.dispatch("store.pending", {}))).toBeNull();
  });

  it("writes as its own agent, undoes only its own op, and the owning agents read its writes", async () => {
    const dir = (await plannerAndWorkerOnJobs.build(`${work}/multi`)).dir;
    const opened = await open({ dir, mode: "agent", agentId: "fixer" });
    expect(opened.session).toMatchObject({ mode: "agent", agentId: "fixer" });
    expect(valueOf<UndoPreview>(await handlers.dispatch("actions.undoPreview", {})).op).toBeNull();
    valueOf(await handlers.dispatch("actions.set", { id: "job-0", value: { title: "Job 0", state: "fixed" } }));
    valueOf(await handlers.dispatch("actions.set", { id: "job-9", value: { title: "Job 9", state: "new" } }));
    expect(valueOf<UndoPreview>(await handlers.dispatch("actions.undoPreview", {})).op).toMatchObject({ id: "job-9", agent: "fixer" });
    valueOf(await handlers.dispatch("actions.undo", {}));
    await handlers.store.closeSession();
    const reader = new Store<Record<string, unknown>>();
    await reader.open(dir, { agentId: "planner", checkpointOnClose: false });
    expect(reader.get("job-0")).toMatchObject({ state: "fixed" });
    expect(reader.get("job-9")).toBeUndefined();
    await reader.close();
  });

  it("reverts another agent's op with a compensating write that wins", async () => {
    const { dir, workerUpdate, workerDelete } = await plannerAndWorkerOnJobs.build(`${work}/multi`);
    await open({ dir, mode: "agent" });
    const ops = valueOf<Page<TimelineOp>>(await handlers.dispatch("ops", { offset: 0, limit: 100, agent: "worker", id: workerUpdate.id }));
    const op = ops.rows[0];
    expect(op.prev).toMatchObject({ state: "planned" });
    expect(op.prev).toEqual(workerUpdate.before);
    valueOf(await handlers.dispatch("actions.revert", { pos: op.pos, mode: "full" }));
    expect(valueOf<RecordDetail>(await handlers.dispatch("records.get", { id: workerUpdate.id })).value).toEqual(workerUpdate.before);
    const deleted = valueOf<Page<TimelineOp>>(await handlers.dispatch("ops", { offset: 0, limit: 10, op: "delete" })).rows[0];
    expect(deleted.id).toBe(workerDelete.id);
    valueOf(await handlers.dispatch("actions.revert", { pos: deleted.pos, mode: "full" }));
    expect(valueOf<RecordDetail>(await handlers.dispatch("records.get", { id: workerDelete.id })).value).toEqual(workerDelete.before);
  });

  it("compacts under the compaction lock", async () => {
    const store = await plannerAndWorkerOnJobs.build(`${work}/multi`);
    await open({ dir: store.dir, mode: "agent" });
    const confirmAgents = valueOf<CompactPreview>(await handlers.dispatch("actions.compactPreview", {})).otherAgents.map((a) => a.agent);
    expect(valueOf<{ message: string }>(await handlers.dispatch("actions.compact", { confirmAgents })).message).toMatch(/Compacted/);
    expect(valueOf<Page<RecordRow>>(await handlers.dispatch("records", { offset: 0, limit: 100 })).total).toBe(7);
    expect(valueOf<Page<RecordRow>>(await handlers.dispatch("records", { offset: 0, limit: 100 })).rows.map((r) => [r.id, r.data])).toEqual(store.state);
  });
});

describe("bad input", () => {
  it("answers an unknown call with unknown-call", async () => {
    expect(errorOf(await handlers.dispatch("store.format", {})).code).toBe("unknown-call");
    expect(errorOf(await handlers.dispatch("__proto__", {})).code).toBe("unknown-call");
  });

  it("answers junk on every call with bad-argument naming the field, and changes nothing", async () => {
    await open({ dir: (await twentyTasksCompactedThenEdited.build(`${work}/single`)).dir, mode: "writer" });
    const before = valueOf<OpenResult>(await handlers.dispatch("store.summary", {})).summary.counts;
    const junk: unknown[] = [42, "text", [1, 2], { unexpected: true }, { offset: -1, limit: 0 }, { id: 7, value: "no", pos: "x", filter: 3, dir: "", path: 9, a: -1, ts: 5 }];
    for (const name of callNames) {
      for (const arg of junk) {
        const answer = isDownloadCall(name) ? await handlers.calls.download(name, arg) : await handlers.dispatch(name, arg); // a download, on its own route: the same gate
        expect(answer.ok, `${name} ${JSON.stringify(arg)} was accepted`).toBe(false);
        if (answer.ok) continue;
        expect(answer.error.code, `${name} ${JSON.stringify(arg)}`).toBe("bad-argument");
        expect(answer.error.message).toContain(name);
        expect(answer.error.message).not.toMatch(/\n\s+at /); // no stack trace
      }
    }
    const after = valueOf<OpenResult>(await handlers.dispatch("store.summary", {})).summary.counts;
    expect(after).toEqual(before);
  });

  it("names the bad field", async () => {
    await open({ dir: (await twentyTasksCompactedThenEdited.build(`${work}/single`)).dir });
    expect(errorOf(await handlers.dispatch("records", { offset: 0, limit: 5000 })).message).toMatch(/"limit"/);
    expect(errorOf(await handlers.dispatch("store.open", { dir: "/x", agentId: "bad id!" })).message).toMatch(/"agentId"/);
  });

  it("answers a bad filter operator as a clear error, not a crash", async () => {
    await open({ dir: (await twentyTasksCompactedThenEdited.build(`${work}/single`)).dir });
    const error = errorOf(await handlers.dispatch("records", { offset: 0, limit: 5, filter: { status: { $nosuchop: 1 } } }));
    expect(error.code).toBe("bad-filter");
    expect(error.message).toContain("$nosuchop");
  });

  it("answers a folder that is not a store with not-a-store", async () => {
    expect(errorOf(await handlers.dispatch("store.open", { dir: work })).code).toMatch(/not-a-store|io/);
  });
});

describe("an explorer started with --read-only (the handlers both transports call)", () => {
  const WRITES: [string, unknown][] = [
    ["actions.set", { id: "x", value: { a: 1 } }],
    ["actions.delete", { id: "job-1" }],
    ["actions.undo", {}],
    ["actions.compact", {}],
    ["actions.archive", { filter: { state: "done" } }],
    ["actions.revert", { pos: 0 }],
  ];

  it.each([
    ["single-writer", twentyTasksCompactedThenEdited, { mode: "writer" }],
    ["multi-writer", plannerAndWorkerOnJobs, { mode: "agent", agentId: "intruder" }],
    ["single-writer (agent mode, confirmed)", twentyTasksCompactedThenEdited, { mode: "agent", agentId: "intruder", confirmAgentOnSingleWriter: true }],
  ] as const)("refuses a writable open and every write on a %s store, and leaves every byte unchanged", async (_kind, scenario, writable) => {
    const locked = new Handlers({ appData: new AppData(`${work}/home`), pollMs: 0, lockedReadOnly: true });
    try {
      const { dir } = await scenario.build(`${work}/store`);
      const before = await digestTree(dir);
      const opened = valueOf<OpenResult>(await locked.dispatch("store.open", { dir }));
      expect(opened.session).toMatchObject({ mode: "read-only", lockedReadOnly: true, modeReason: expect.stringContaining("--read-only") });
      const refused = errorOf(await locked.dispatch("store.open", { dir, ...writable }));
      expect(refused).toMatchObject({ code: "read-only", message: expect.stringContaining("started with --read-only") });
      for (const [name, arg] of WRITES) expect(errorOf(await locked.dispatch(name, arg)), name).toMatchObject({ code: "read-only", message: expect.stringContaining("started with --read-only") });
      expect(valueOf<OpenResult>(await locked.dispatch("store.summary", {})).session.mode).toBe("read-only");
      await locked.store.closeSession();
      expect(await digestTree(dir)).toEqual(before);
    } finally {
      await locked.store.closeSession();
    }
  });

  it("refuses a writable open even when no store is open yet", async () => {
    const locked = new Handlers({ appData: new AppData(`${work}/home`), pollMs: 0, lockedReadOnly: true });
    const dir = (await twentyTasksCompactedThenEdited.build(`${work}/store`)).dir;
    expect(errorOf(await locked.dispatch("store.open", { dir, mode: "writer" }))).toMatchObject({ code: "read-only" });
    expect(errorOf(await locked.dispatch("store.summary", {}))).toMatchObject({ code: "no-store" });
    await expect(locked.store.open(dir, { mode: "writer" })).rejects.toThrow(/started with --read-only/);
  });

  it("leaves a writable open to the user's choice without --read-only", async () => {
    const dir = (await twentyTasksCompactedThenEdited.build(`${work}/store`)).dir;
    expect(valueOf<OpenResult>(await handlers.dispatch("store.open", { dir, mode: "writer" })).session).toMatchObject({ mode: "writer", lockedReadOnly: false });
  });
});
