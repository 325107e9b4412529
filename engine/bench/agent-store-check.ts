/**
 * Checks a generated agent store (agent-store.ts) with the published opslog:
 * the first lines of each of its WALs (a prefix of the timeline, as every op
 * i is agent i % agents with clock floor(i / agents) + 1) are copied into a
 * sample store with a matching manifest; the published opslog 0.8.1 opens it
 * as an agent, and its records must equal an independent replay of the same
 * lines (sorted by clock then agent, last writer wins; each delta `prev`
 * checked against the value it reverses). Then the published library undoes
 * the last op, which applies that op's reverse patch, and the record must be
 * what the replay held before it. Never uses the inspector.
 */
import { open, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { Store as Published } from "@backloghq/opslog";
import { agentWals, writeAgentStoreFrame } from "./agent-store.js";

type Doc = Record<string, unknown>;
interface WalLine { op: string; id: string; data?: Doc; prev: Doc | null; encoding?: string; agent: string; clock: number }

/** The first `count` lines of a file, read from its start only as far as needed. */
async function firstLines(path: string, count: number): Promise<string[]> {
  const file = await open(path, "r");
  try {
    let size = 1 << 20;
    for (;;) {
      const buffer = Buffer.alloc(size);
      const { bytesRead } = await file.read(buffer, 0, size, 0);
      const lines = buffer.subarray(0, bytesRead).toString("utf-8").split("\n");
      // The last piece may be cut mid-line unless the file ended; only whole lines count.
      const whole = bytesRead < size ? lines.filter((l) => l !== "") : lines.slice(0, -1);
      if (whole.length >= count || bytesRead < size) return whole.slice(0, count);
      size *= 4;
    }
  } finally {
    await file.close();
  }
}

/** Replays the lines in (clock, agent) order; throws at the first `prev` that does not reverse its op. */
function replay(ops: WalLine[]): Map<string, Doc> {
  const state = new Map<string, Doc>();
  for (const [k, op] of ops.entries()) {
    const before = state.get(op.id) ?? null;
    const reversed = op.encoding === "delta" && op.prev ? { ...op.data, ...(op.prev.$set as Doc) } : op.prev;
    if (!isDeepStrictEqual(reversed, before)) throw new Error(`op ${k} (${op.agent} clock ${op.clock}, ${op.id}): its prev does not give the record before it`);
    if (op.op === "delete") state.delete(op.id);
    else state.set(op.id, op.data!);
  }
  return state;
}

/**
 * Checks the store in `dir` (`agents` in the generator's order) on its first
 * `linesPerWal` lines of each WAL; returns a one-line account, or throws
 * saying what differs.
 */
export async function checkWithPublished(dir: string, agents: string[], linesPerWal: number): Promise<string> {
  const sample = await mkdtemp(join(tmpdir(), "opslog-bench-sample-"));
  try {
    await mkdir(join(sample, "ops"), { recursive: true });
    const ops: WalLine[] = [];
    for (const wal of agentWals(agents)) {
      const lines = await firstLines(join(dir, wal), linesPerWal);
      if (lines.length !== linesPerWal) throw new Error(`${wal} has ${lines.length} lines, fewer than the ${linesPerWal} sampled`);
      await writeFile(join(sample, wal), lines.join("\n") + "\n");
      for (const line of lines) ops.push(JSON.parse(line) as WalLine);
    }
    await writeAgentStoreFrame(sample, agents, ops.length);
    ops.sort((a, b) => a.clock - b.clock || (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0));
    const expected = replay(ops);
    const last = ops[ops.length - 1];

    const store = new Published<Doc>();
    await store.open(sample, { agentId: last.agent, checkpointOnClose: false });
    try {
      const read = new Map(store.entries());
      if (read.size !== expected.size) throw new Error(`the published opslog reads ${read.size} records, the replay ${expected.size}`);
      for (const [id, value] of expected) {
        if (!isDeepStrictEqual(read.get(id), value)) throw new Error(`record ${id}: the published opslog reads ${JSON.stringify(read.get(id))}, the replay ${JSON.stringify(value)}`);
      }
      const before = replay(ops.slice(0, -1)).get(last.id);
      if (!(await store.undo())) throw new Error(`the published opslog could not undo ${last.agent}'s last op`);
      if (!isDeepStrictEqual(store.get(last.id), before)) throw new Error(`undoing the last op (${last.id}): the published opslog reads ${JSON.stringify(store.get(last.id))}, the replay ${JSON.stringify(before)}`);
    } finally {
      await store.close();
    }
    return `${ops.length.toLocaleString("en")} ops (first ${linesPerWal.toLocaleString("en")} lines of each of ${agents.length} WALs), ${expected.size.toLocaleString("en")} records: the published opslog 0.8.1 reads what the replay holds, and undoes the last op to the value before it`;
  } finally {
    await rm(sample, { recursive: true, force: true });
  }
}
