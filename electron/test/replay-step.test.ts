// The Timeline's one call per step (timeline.step, answered by the engine's replayStep): at every position it
// answers what the op, diff and records calls answer one by one, on stores
// written by the published opslog; at the end it shows what that library
// reads; a newer step with the same supersede key stops an older one; and a
// watched query that fails at a position fails the state alone.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Filter, TimelineOp } from "../../engine/src/inspect/index.js";
import type { ThreadOptions } from "../../engine/src/inspect/thread.js";
import { threeAgentsArchiveThenLostWrites, twentyTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";
import { AppData } from "../appdata.js";
import type { ReplayStepAnswer, TimelineInfo } from "../contract.js";
import { Handlers } from "../handlers.js";
import { errorOf, removeDir, tempDir, valueOf } from "./helpers.js";

let work: string;

beforeAll(async () => {
  work = await tempDir("replay-step");
});
afterAll(async () => {
  await removeDir(work);
});

const PAGES = [{ offset: 0, limit: 3 }, { offset: 3, limit: 3 }, { offset: 0, limit: 200 }];

async function openHandlers(dir: string, name: string, inspectorThread?: ThreadOptions): Promise<Handlers> {
  const handlers = new Handlers({ appData: new AppData(join(work, `home-${name}`)), pollMs: 0, ...(inspectorThread ? { inspectorThread } : {}) });
  valueOf(await handlers.dispatch("store.open", { dir }));
  return handlers;
}

/** What the Timeline asked before timeline.step: one call per pane (ops.get answers not-found at position 0, where no op led). */
async function oneByOne(handlers: Handlers, pos: number, end: number, filter: Filter | undefined): Promise<ReplayStepAnswer> {
  const call = async (name: string, arg: unknown) => valueOf<never>(await handlers.dispatch(name, arg));
  return {
    pos,
    op: pos > 0 ? await call("ops.get", { pos: pos - 1 }) : null,
    opDiff: pos > 0 ? await call("diff", { a: pos - 1, b: pos, offset: 0, limit: 2 }) : null,
    laterDiff: await call("diff", { a: pos, b: end, offset: 0, limit: 4 }),
    state: await Promise.all(PAGES.map((page) => call("records", { ...page, at: pos, ...(filter ? { filter } : {}) }))),
    stateError: null,
  };
}

const stepArg = (pos: number, end: number, filter: Filter | undefined) => ({ pos, end, opDiffLimit: 2, laterDiffLimit: 4, statePages: PAGES, ...(filter ? { filter } : {}) });

describe("timeline.step", () => {
  for (const scenario of [twentyTasksCompactedThenEdited, threeAgentsArchiveThenLostWrites]) {
    it(`answers every position of ${scenario.name} as the op, diff and records calls do one by one, with and without a watched query`, async () => {
      const store = await scenario.build(join(work, scenario.name));
      const handlers = await openHandlers(store.dir, scenario.name);
      try {
        const { total } = valueOf<TimelineInfo>(await handlers.dispatch("timelineInfo", {}));
        expect(total).toBeGreaterThan(5);
        for (const filter of [undefined, { status: { $in: ["done", "doing"] } }]) {
          for (let pos = 0; pos <= total; pos++) {
            const end = pos + Math.floor((total - pos) / 2); // not only the end: the UI's end is where its timeline stops
            expect(valueOf<ReplayStepAnswer>(await handlers.dispatch("timeline.step", stepArg(pos, end, filter))), `position ${pos}`).toEqual(await oneByOne(handlers, pos, end, filter));
          }
        }
      } finally {
        await handlers.store.closeSession();
      }
    });
  }

  it("at the end of the timeline, shows the records the published opslog reads and the last op as it was written", async () => {
    const store = await twentyTasksCompactedThenEdited.build(join(work, "end"));
    const handlers = await openHandlers(store.dir, "end");
    try {
      const { total } = valueOf<TimelineInfo>(await handlers.dispatch("timelineInfo", {}));
      const step = valueOf<ReplayStepAnswer>(await handlers.dispatch("timeline.step", { pos: total, end: total, opDiffLimit: 50, laterDiffLimit: 50, statePages: [{ offset: 0, limit: 1000 }] }));
      expect(step.state[0].rows.map((r) => [r.id, r.data])).toEqual(store.state);
      expect(step.state[0].total).toBe(store.state.length);
      const { lastOp } = store;
      expect([step.op?.op, step.op?.id, step.op?.data]).toEqual([lastOp.op, lastOp.id, lastOp.after]);
      expect(step.opDiff?.rows).toEqual([{ id: lastOp.id, kind: "changed", before: lastOp.before, after: lastOp.after }]);
      expect(step.laterDiff.total).toBe(0); // nothing lies between the end and itself
    } finally {
      await handlers.store.closeSession();
    }
  });

  it("stops when a newer step with the same supersede key comes, which answers in full; a position past the end is a clear error", async () => {
    const store = await twentyTasksCompactedThenEdited.build(join(work, "supersede"));
    const handlers = await openHandlers(store.dir, "supersede");
    try {
      const { total } = valueOf<TimelineInfo>(await handlers.dispatch("timelineInfo", {}));
      const older = handlers.dispatch("timeline.step", stepArg(1, total, undefined), { supersede: "replay/step" });
      const newer = handlers.dispatch("timeline.step", stepArg(2, total, undefined), { supersede: "replay/step" });
      expect(errorOf(await older).code).toBe("cancelled");
      expect(valueOf<ReplayStepAnswer>(await newer).pos).toBe(2);
      const past = errorOf(await handlers.dispatch("timeline.step", stepArg(total + 1, total, undefined)));
      expect([past.code, past.message]).toEqual(["bad-argument", `Position ${total + 1} is outside the timeline (0..${total}).`]);
    } finally {
      await handlers.store.closeSession();
    }
  });

  it("a watched query that runs past the inspector's deadline at a position fails the state alone: the op, its diff and the diff to the end show, and the state says why", async () => {
    const store = await twentyTasksCompactedThenEdited.build(join(work, "deadline"));
    const slow = await openHandlers(store.dir, "deadline", { deadlineMs: 300, spinOn: "records" }); // every records query spins, a step's state too: past its deadline, the thread restarts
    const fast = await openHandlers(store.dir, "deadline-fast");
    try {
      const { total } = valueOf<TimelineInfo>(await slow.dispatch("timelineInfo", {}));
      const pos = total - 2;
      const filter = { status: { $in: ["done", "doing"] } };
      const step = valueOf<ReplayStepAnswer>(await slow.dispatch("timeline.step", stepArg(pos, total, filter)));
      const expected = await oneByOne(fast, pos, total, filter);
      expect([step.pos, step.op, step.opDiff, step.laterDiff]).toEqual([pos, expected.op, expected.opDiff, expected.laterDiff]);
      expect(step.laterDiff.total).toBeGreaterThan(0);
      const atEnd = valueOf<ReplayStepAnswer>(await slow.dispatch("timeline.step", stepArg(total, total, filter)));
      expect([(atEnd.op as TimelineOp).id, atEnd.opDiff?.rows[0]?.after, atEnd.stateError?.code]).toEqual([store.lastOp.id, store.lastOp.after, "timeout"]);
      expect(step.state).toEqual([]);
      expect(step.stateError?.code).toBe("timeout");
      expect(step.stateError?.message).toMatch(new RegExp(`^The watched query failed at position ${pos} \\(the op and its diffs still show\\): the inspector took longer than 300 ms to answer \\(replayStep\\)`));
    } finally {
      await slow.store.closeSession();
      await fast.store.closeSession();
    }
  });

  it("a watched query the engine refuses fails the state alone, with the filter's own message", async () => {
    const store = await twentyTasksCompactedThenEdited.build(join(work, "refused"));
    const handlers = await openHandlers(store.dir, "refused");
    try {
      const { total } = valueOf<TimelineInfo>(await handlers.dispatch("timelineInfo", {}));
      const step = valueOf<ReplayStepAnswer>(await handlers.dispatch("timeline.step", stepArg(3, total, { title: { $regex: "^(a+)\\1$" } })));
      expect(step.op?.pos).toBe(2);
      expect(step.laterDiff.total).toBeGreaterThan(0);
      expect(step.stateError?.code).toBe("bad-filter");
      expect(step.stateError?.message).toContain("a backreference");
    } finally {
      await handlers.store.closeSession();
    }
  });
});
