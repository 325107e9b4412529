// The Timeline's one call per step (replayStep): at every position it
// answers what the op, diff and records calls answer one by one, on stores
// written by the published opslog; at the end it shows what that library
// reads; and a newer step with the same supersede key stops an older one.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Filter, ReplayStep } from "../../engine/src/inspect/index.js";
import { threeAgentsArchiveThenLostWrites, twentyTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";
import { AppData } from "../appdata.js";
import type { TimelineInfo } from "../contract.js";
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

async function openHandlers(dir: string, name: string): Promise<Handlers> {
  const handlers = new Handlers({ appData: new AppData(join(work, `home-${name}`)), pollMs: 0 });
  valueOf(await handlers.dispatch("store.open", { dir }));
  return handlers;
}

/** What the Timeline asked before replayStep: one call per pane (ops.get answers not-found at position 0, where no op led). */
async function oneByOne(handlers: Handlers, pos: number, end: number, filter: Filter | undefined): Promise<ReplayStep> {
  const call = async (name: string, arg: unknown) => valueOf<never>(await handlers.dispatch(name, arg));
  return {
    pos,
    op: pos > 0 ? await call("ops.get", { pos: pos - 1 }) : null,
    opDiff: pos > 0 ? await call("diff", { a: pos - 1, b: pos, offset: 0, limit: 2 }) : null,
    laterDiff: await call("diff", { a: pos, b: end, offset: 0, limit: 4 }),
    state: await Promise.all(PAGES.map((page) => call("records", { ...page, at: pos, ...(filter ? { filter } : {}) }))),
  };
}

const stepArg = (pos: number, end: number, filter: Filter | undefined) => ({ pos, end, opDiffLimit: 2, laterDiffLimit: 4, statePages: PAGES, ...(filter ? { filter } : {}) });

describe("replayStep", () => {
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
            expect(valueOf<ReplayStep>(await handlers.dispatch("replayStep", stepArg(pos, end, filter))), `position ${pos}`).toEqual(await oneByOne(handlers, pos, end, filter));
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
      const step = valueOf<ReplayStep>(await handlers.dispatch("replayStep", { pos: total, end: total, opDiffLimit: 50, laterDiffLimit: 50, statePages: [{ offset: 0, limit: 1000 }] }));
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
      const older = handlers.dispatch("replayStep", stepArg(1, total, undefined), { supersede: "replay/step" });
      const newer = handlers.dispatch("replayStep", stepArg(2, total, undefined), { supersede: "replay/step" });
      expect(errorOf(await older).code).toBe("cancelled");
      expect(valueOf<ReplayStep>(await newer).pos).toBe(2);
      const past = errorOf(await handlers.dispatch("replayStep", stepArg(total + 1, total, undefined)));
      expect([past.code, past.message]).toEqual(["bad-argument", `Position ${total + 1} is outside the timeline (0..${total}).`]);
    } finally {
      await handlers.store.closeSession();
    }
  });
});
