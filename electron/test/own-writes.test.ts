// The explorer's own writes in agent mode, beside a published opslog agent
// that compacts: a write that lands in the WAL that compaction retired
// answers with a warning naming it (never a plain success), and a write the
// compaction left out is told on the next poll. Whether each write really is
// lost is read from the raw files and the published opslog, not the inspector.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store as Published } from "@backloghq/opslog";
import { AppData } from "../appdata.js";
import type { ActionResult, StoreChangedEvent } from "../contract.js";
import { Handlers } from "../handlers.js";
import { nextMs, openPublishedAgent, plannerAndWorkerOnJobs, publishedStateOfCopy } from "../../engine/test/scenarios/index.js";
import type { Manifest, Task } from "../../engine/test/scenarios/index.js";
import { removeDir, tempDir, valueOf } from "./helpers.js";

let work: string;
let handlers: Handlers;
let alice: Published<Task> | null = null;

beforeEach(async () => {
  work = await tempDir("own-writes");
});
afterEach(async () => {
  await handlers.store.closeSession();
  await alice?.close();
  alice = null;
  await removeDir(work);
});

const manifestOf = async (dir: string) => JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as Manifest;
/** The ids a WAL's raw lines set, in order. */
async function idsIn(dir: string, wal: string): Promise<string[]> {
  return (await readFile(join(dir, wal), "utf-8")).trim().split("\n").filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id);
}
const publishedIds = async (dir: string) => (await publishedStateOfCopy(dir, true)).map(([id]) => id);

/** alice compacts; `refreshFirst`: having read every write so far (else she compacts what she last read). */
async function compactAsAlice(refreshFirst: boolean): Promise<void> {
  if (refreshFirst) await alice!.refresh();
  await nextMs(); // opslog names the snapshot by the ms
  await alice!.compact();
  await nextMs();
}

describe("the explorer's own writes beside a published agent that compacts", () => {
  it("a write appended to the WAL a compaction retired between the explorer's refresh and its append answers with a warning naming it", async () => {
    let race = false;
    handlers = new Handlers({ appData: new AppData(join(work, "home")), pollMs: 0, beforeAppend: async () => { if (race) await compactAsAlice(true); } });
    const dir = (await plannerAndWorkerOnJobs.build(join(work, "jobs"))).dir;
    alice = await openPublishedAgent(dir, "alice");
    valueOf(await handlers.dispatch("store.open", { dir, mode: "agent", agentId: "explorer" }));
    const ourWal = (await manifestOf(dir)).activeAgentOps!.explorer;
    const saved = valueOf<ActionResult>(await handlers.dispatch("actions.set", { id: "saved-1", value: { n: 1 } }));
    expect(saved.lost).toBeUndefined();
    race = true;
    const result = valueOf<ActionResult>(await handlers.dispatch("actions.set", { id: "x-1", value: { n: 2 } }));
    // What is on disk: the line is in our WAL, which the manifest no longer names; the published opslog does not read it.
    expect(await idsIn(dir, ourWal)).toEqual(["saved-1", "x-1"]);
    expect(Object.values((await manifestOf(dir)).activeAgentOps!)).not.toContain(ourWal);
    expect(await publishedIds(dir)).not.toContain("x-1");
    expect(result.lost?.writes.map((w) => [w.id, w.file])).toEqual([["x-1", ourWal]]);
    expect(result.lost?.walUnnamed).toBe(ourWal);
    expect(result.message).toMatch(/NOT in the store/);
    expect(result.message).toContain('"x-1"');
  });

  it("a write a published agent's compaction left out is told on a poll once the compaction is in, once", async () => {
    handlers = new Handlers({ appData: new AppData(join(work, "home")), pollMs: 20 });
    const dir = (await plannerAndWorkerOnJobs.build(join(work, "jobs"))).dir;
    alice = await openPublishedAgent(dir, "alice"); // opened before the explorer's write, never refreshed: it has not seen it
    valueOf(await handlers.dispatch("store.open", { dir, mode: "agent", agentId: "explorer" }));
    const result = valueOf<ActionResult>(await handlers.dispatch("actions.set", { id: "x-2", value: { n: 2 } }));
    expect(result.lost).toBeUndefined();
    expect(await publishedIds(dir)).toContain("x-2");
    const events: StoreChangedEvent[] = [];
    // A poll may land inside alice's compaction (its snapshot or WAL written, the manifest not yet): that rebuild tells nothing, the next one does.
    const told = new Promise<StoreChangedEvent>((done) => handlers.store.onChange((e) => {
      events.push(e);
      if (e.lostOwnWrites) done(e);
    }));
    await compactAsAlice(false);
    const event = await told;
    expect(event.what).toBe("rebuilt");
    expect(await publishedIds(dir)).not.toContain("x-2"); // lost, as the published opslog reads the store
    expect(event.lostOwnWrites?.writes.map((w) => w.id)).toEqual(["x-2"]);
    expect(event.lostOwnWrites?.message).toMatch(/NOT in the store/);
    // Told once: a later change does not tell it again.
    const seen = events.length;
    await alice.set("a-after", { n: 3 } as unknown as Task);
    await expect.poll(() => events.length).toBeGreaterThan(seen);
    expect(events.filter((e) => e.lostOwnWrites)).toHaveLength(1);
  });
});
