import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Store } from "../../src/index.js";
import { sortedEntries, tempDir } from "../helpers/tmp.js";

type Doc = { v: number; status: string };
type Command =
  | { kind: "set"; agent: number; id: string; value: Doc }
  | { kind: "delete"; agent: number; id: string }
  | { kind: "undo"; agent: number }
  | { kind: "compact"; agent: number }
  | { kind: "archive"; agent: number; status: string }
  | { kind: "batch"; agent: number; sets: { id: string; value: Doc }[] };

const id = fc.constantFrom("a", "b", "c", "d");
const doc = fc.record({ v: fc.integer({ min: 0, max: 99 }), status: fc.constantFrom("open", "done") });
const command = (agents: number): fc.Arbitrary<Command> => {
  const agent = fc.integer({ min: 0, max: agents - 1 });
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant("set" as const), agent, id, value: doc }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), agent, id }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("undo" as const), agent }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("compact" as const), agent }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("archive" as const), agent, status: fc.constantFrom("open", "done") }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("batch" as const), agent, sets: fc.array(fc.record({ id, value: doc }), { minLength: 1, maxLength: 3 }) }) },
  );
};

/** The model: the state at the last compaction, plus this epoch's ops in order, each tagged with its agent. */
class Model {
  base = new Map<string, Doc>();
  ops: { agent: number; id: string; value: Doc | null }[] = [];

  state(): Map<string, Doc> {
    const state = new Map(this.base);
    for (const op of this.ops) {
      if (op.value === null) state.delete(op.id);
      else state.set(op.id, op.value);
    }
    return state;
  }

  compact(drop: (value: Doc) => boolean = () => false): void {
    this.base = new Map([...this.state()].filter(([, value]) => !drop(value)));
    this.ops = [];
  }

  undo(agent: number, multiWriter: boolean): void {
    // Single writer: the WAL's last op. Multi-writer: the caller's own last op.
    const index = multiWriter ? this.ops.map((op) => op.agent).lastIndexOf(agent) : this.ops.length - 1;
    if (index >= 0) this.ops.splice(index, 1);
  }
}

async function apply(stores: Store<Doc>[], model: Model, cmd: Command, multiWriter: boolean): Promise<void> {
  const store = stores[cmd.agent];
  // Each agent has seen every write before it acts, so clock order is action order.
  if (multiWriter) await store.refresh();
  switch (cmd.kind) {
    case "set":
      await store.set(cmd.id, cmd.value);
      model.ops.push({ agent: cmd.agent, id: cmd.id, value: cmd.value });
      break;
    case "delete":
      if (!model.state().has(cmd.id)) return;
      await store.delete(cmd.id);
      model.ops.push({ agent: cmd.agent, id: cmd.id, value: null });
      break;
    case "undo":
      await store.undo();
      model.undo(cmd.agent, multiWriter);
      break;
    case "compact":
      await store.compact();
      model.compact();
      break;
    case "archive":
      if (![...model.state().values()].some((v) => v.status === cmd.status)) return;
      await store.archive((v) => v.status === cmd.status);
      model.compact((v) => v.status === cmd.status);
      break;
    case "batch":
      await store.batch(() => {
        for (const s of cmd.sets) store.set(s.id, s.value);
      });
      for (const s of cmd.sets) model.ops.push({ agent: cmd.agent, id: s.id, value: s.value });
      break;
  }
}

async function freshState(dir: string, multiWriter: boolean): Promise<[string, Doc][]> {
  const reader = new Store<Doc>();
  await reader.open(dir, { readOnly: true, ...(multiWriter ? { agentId: "checker" } : {}) });
  const entries = sortedEntries(reader.entries());
  await reader.close();
  return entries;
}

describe("Store property: a fresh open always equals a simple model", () => {
  it("random sets, deletes, undos, compactions, archives and batches across 1 to 3 agents", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }).chain((agents) => fc.tuple(fc.constant(agents), fc.array(command(agents), { minLength: 1, maxLength: 18 }))),
        async ([agents, commands]) => {
          const dir = await tempDir("opslog-prop-");
          const multiWriter = agents > 1;
          const stores: Store<Doc>[] = [];
          for (let a = 0; a < agents; a++) {
            const store = new Store<Doc>();
            await store.open(dir, { checkpointOnClose: false, checkpointThreshold: 1_000_000, ...(multiWriter ? { agentId: `agent-${a}` } : {}) });
            stores.push(store);
          }
          const model = new Model();
          try {
            for (const cmd of commands) {
              await apply(stores, model, cmd, multiWriter);
              expect(await freshState(dir, multiWriter)).toEqual(sortedEntries([...model.state()]));
            }
          } finally {
            for (const store of stores) await store.close();
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
