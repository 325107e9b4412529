// Conflict explanations say what the overriding writer had read, as its own
// prev shows: a write it had not seen, a write that was undone after it read
// it, a delete it had seen. Stores are written by two or three published
// opslog agents; positions and prevs come from the raw WAL lines.
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { Store as Published } from "@backloghq/opslog";
import { describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import { suiteDir } from "./fixtures.js";

type Doc = Record<string, unknown>;
type RawOp = { op: "set" | "delete"; id: string; data?: Doc; prev: Doc | null; agent: string; clock: number };

async function agents(dir: string, ids: string[]): Promise<Published<Doc>[]> {
  const out: Published<Doc>[] = [];
  for (const agentId of ids) {
    const store = new Published<Doc>();
    await store.open(dir, { agentId, checkpointOnClose: false });
    out.push(store);
  }
  return out;
}

/** Every op in opslog's replay order (clock, then agent), read from the raw WAL lines: index = timeline position. */
async function replayOrder(dir: string): Promise<RawOp[]> {
  const ops: RawOp[] = [];
  for (const name of (await readdir(join(dir, "ops"))).sort()) {
    for (const line of (await readFile(join(dir, "ops", name), "utf-8")).split("\n")) if (line.trim()) ops.push(JSON.parse(line));
  }
  return ops.sort((a, b) => a.clock - b.clock || a.agent.localeCompare(b.agent));
}

const posOf = (ops: RawOp[], agent: string, clock: number) => ops.findIndex((o) => o.agent === agent && o.clock === clock);

async function onlyConflict(dir: string) {
  const insp = await openInspector(dir);
  const page = await insp.conflicts({ offset: 0, limit: 10 });
  await insp.close();
  expect(page.total).toBe(1);
  return page.rows[0];
}

describe("conflict explanations follow the winner's own prev", () => {
  it("a true unseen overwrite names the value the writer had read and the write it had not seen", async () => {
    const dir = await suiteDir();
    const [alice, bob, carol] = await agents(dir, ["alice", "bob", "carol"]);
    await carol.set("x", { v: "carol" });
    await alice.refresh();
    await bob.refresh();
    await alice.set("x", { v: "alice" });
    await bob.set("x", { v: "bob" }); // bob has read carol's value, not alice's
    for (const s of [alice, bob, carol]) await s.close();
    const ops = await replayOrder(dir);
    const bobs = ops.find((o) => o.agent === "bob")!;
    expect(bobs.prev).toEqual({ v: "carol" });
    const conflict = await onlyConflict(dir);
    const carolAt = posOf(ops, "carol", 1);
    const aliceAt = ops.findIndex((o) => o.agent === "alice");
    expect(conflict.explanation).toBe(
      `bob wrote "x" over carol's write (#${carolAt + 1}), the last value it had read, without having seen alice's later write (#${aliceAt + 1}). opslog keeps the write that sorts last by (Lamport clock, agent id), so alice's write was silently replaced: nobody merged the two.`,
    );
  });

  it("an overwrite based on a write that was undone does not claim the writer had not seen the write it replaced", async () => {
    const dir = await suiteDir();
    const [alice, bob] = await agents(dir, ["alice", "bob"]);
    await alice.set("x", { v: 1 });
    await alice.set("x", { v: 2 });
    await bob.refresh(); // bob reads v: 2
    await alice.undo(); // v: 2 is gone from alice's WAL
    await bob.set("x", { v: 3 });
    await alice.close();
    await bob.close();
    const ops = await replayOrder(dir);
    const bobs = ops.find((o) => o.agent === "bob")!;
    // bob's prev is a value no remaining op wrote
    expect(ops.some((o) => JSON.stringify(o.data) === JSON.stringify(bobs.prev))).toBe(false);
    const { explanation } = await onlyConflict(dir);
    expect(explanation).not.toMatch(/without having seen|had not seen/);
    expect(explanation).toContain(`bob's set of "x" was based on a value that no version of "x" in the store's history holds: most likely a write that was undone after bob read it.`);
    expect(explanation).toContain(`it replaced alice's write (#${ops.findIndex((o) => o.agent === "alice") + 1})`);
  });

  it("an overwrite after a delete the writer had seen says it had seen the delete, and which write it had not", async () => {
    const dir = await suiteDir();
    const [alice, bob, carol] = await agents(dir, ["alice", "bob", "carol"]);
    await carol.set("x", { v: "carol" });
    await carol.delete("x");
    await alice.refresh();
    await bob.refresh(); // both have seen the delete
    await alice.set("x", { v: "alice" });
    await bob.set("x", { v: "bob" });
    for (const s of [alice, bob, carol]) await s.close();
    const ops = await replayOrder(dir);
    expect(ops.find((o) => o.agent === "bob")!.prev).toBeNull();
    const deleteAt = ops.findIndex((o) => o.op === "delete");
    const aliceAt = ops.findIndex((o) => o.agent === "alice");
    const { explanation } = await onlyConflict(dir);
    expect(explanation).toBe(
      `bob wrote "x" as if it did not exist: it had seen carol's delete of it (#${deleteAt + 1}), but not alice's later write (#${aliceAt + 1}), which re-created it. opslog keeps the write that sorts last by (Lamport clock, agent id), so alice's write was silently replaced: nobody merged the two.`,
    );
  });
});
