// The app's "Check store" command asks the main process for the store
// doctor's report (store.check): the same report `npm run check` prints, for
// the store open in the window, in any mode (--read-only too), with the
// explorer's own writer lock said as its own, not as a problem.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppData } from "../appdata.js";
import { Handlers } from "../handlers.js";
import type { StoreCheck } from "../contract.js";
import { checkReport } from "../check-schema.js";
import { lostWritesUnseenThenRetired, sixTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";
import { removeDir, tempDir, valueOf } from "./helpers.js";

let work: string;
const made: Handlers[] = [];
beforeEach(async () => {
  work = await tempDir("check-call");
});
afterEach(async () => {
  for (const h of made.splice(0)) await h.store.dispose();
  await removeDir(work);
});

function handlers(lockedReadOnly = false): Handlers {
  const h = new Handlers({ appData: new AppData(`${work}/home`), pollMs: 0, lockedReadOnly });
  made.push(h);
  return h;
}

describe("store.check", () => {
  it("answers the doctor's report for the open store, under --read-only too", async () => {
    const s = await lostWritesUnseenThenRetired.build(`${work}/store`);
    const h = handlers(true);
    valueOf(await h.dispatch("store.open", { dir: s.dir }));
    const report = checkReport.parse(valueOf<StoreCheck>(await h.dispatch("store.check", {})));
    expect(report).toMatchObject({ store: s.dir, healthy: false });
    expect(report.lostWrites.byReason).toEqual({ "unseen-by-compaction": s.lostWrites.unseenIds.length, "retired-wal": s.lostWrites.afterCompactionIds.length });
  });

  it("says the explorer's own writer lock is its own, and the store healthy", async () => {
    const s = await sixTasksCompactedThenEdited.build(`${work}/store`);
    const h = handlers();
    valueOf(await h.dispatch("store.open", { dir: s.dir, mode: "writer" }));
    const report = valueOf<StoreCheck>(await h.dispatch("store.check", {}));
    expect(report.locks).toEqual([{ file: ".lock", state: "own", pid: process.pid, host: null, expiresAt: null, holder: `this explorer (process ${process.pid})` }]);
    expect(report.healthy).toBe(true);
  });

  it("says no store is open when none is", async () => {
    expect(await handlers().dispatch("store.check", {})).toMatchObject({ ok: false, error: { code: "no-store" } });
  });
});
