// Multi-writer stores with lost writes worth repairing, written by agents of
// the published opslog: a lost write that later ops by another agent
// overrode in the store, so re-applying it overrides them in turn.
import { Store as Published } from "@backloghq/opslog";
import { nextMs } from "./published.js";
import type { Doc } from "./published.js";
import { scenario } from "./scenario.js";

export const lostFixThenLaterEdits = scenario(
  "lostFixThenLaterEdits",
  "alice sets t1 (todo); bob refreshes; alice compacts; bob, not refreshed, appends his fix of t1 and a new t9 to his retired WAL; alice then sets t1 doing, then done",
  async (dir) => {
    const open = async (agentId: string) => {
      const store = new Published<Doc>();
      await store.open(dir, { agentId, checkpointOnClose: false });
      await nextMs();
      return store;
    };
    const alice = await open("alice");
    const bob = await open("bob");
    const step = async (store: Published<Doc>, id: string, value: Doc) => {
      await store.set(id, value);
      await nextMs();
    };
    await step(alice, "t1", { status: "todo", n: 1 });
    await bob.refresh();
    await alice.compact();
    await nextMs();
    const fix = { status: "fixed by bob", n: 1, note: "bob's fix" };
    const t9 = { status: "new", n: 9 };
    await step(bob, "t1", fix);
    await step(bob, "t9", t9);
    await step(alice, "t1", { status: "doing", n: 1 });
    await step(alice, "t1", { status: "done", n: 1 });
    await alice.close();
    await bob.close();
    return {
      /** bob's writes to his retired WAL, in order, with their values */
      lostWrites: { agent: "bob", writes: [{ id: "t1", data: fix }, { id: "t9", data: t9 }] },
      /** alice's ops on t1 after bob's lost fix */
      laterOnT1: 2,
    };
  },
);
