// Stores written by the published opslog and then damaged as stores are in
// the field: a snapshot edited by hand (the history chain no longer
// verifies), a crash mid-append (a torn last line), a WAL that cannot be
// read. Each returns what was damaged, known as it damaged it; the store
// doctor's tests expect exactly that.
import { appendFile, chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { observe } from "./facts.js";
import { openPublishedAgent, task } from "./published.js";
import type { Scenario } from "./scenario.js";
import { sixTasksCompactedThenEdited } from "./single-writer.js";
import { tornByUndoManyUndos } from "./torn-by-undo.js";

/** A scenario that writes and damages a store; `last` damages it further after its facts are read (a mode 000 file would stop a reader that is not root). */
function damaged<Own extends object>(name: string, holds: string, write: (dir: string) => Promise<Own>, last?: (dir: string, own: Own) => Promise<void>): Scenario<Own> {
  return {
    name,
    holds,
    async build(dir) {
      const own = await write(dir);
      const facts = { ...(await observe(dir)), ...own };
      await last?.(dir, own);
      return facts;
    },
  };
}

export const snapshotEditedByHand = damaged(
  "snapshotEditedByHand",
  "sixTasksCompactedThenEdited, then the snapshot its compaction wrote (the current one) edited by hand: task-4's estimate 5 -> 50, so replaying the first WAL over the empty snapshot no longer gives it",
  async (dir) => {
    await sixTasksCompactedThenEdited.build(dir);
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { currentSnapshot: string };
    const path = join(dir, manifest.currentSnapshot);
    const lines = (await readFile(path, "utf-8")).split("\n");
    const at = lines.findIndex((l) => l.startsWith('{"id":"task-4"'));
    const row = JSON.parse(lines[at]) as { id: string; data: { estimate: number } };
    row.data.estimate = 50;
    lines[at] = JSON.stringify(row);
    await writeFile(path, lines.join("\n"));
    return { tampered: { snapshot: manifest.currentSnapshot, id: "task-4", estimate: 50 } };
  },
);

export const tornLastLine = damaged(
  "tornLastLine",
  "sixTasksCompactedThenEdited, then the first half of a set of task-7 appended to its active WAL without a newline, as a crash mid-append leaves it",
  async (dir) => {
    await sixTasksCompactedThenEdited.build(dir);
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { activeOps: string };
    const whole = JSON.stringify({ ts: new Date().toISOString(), op: "set", id: "task-7", data: { title: "Never saved", status: "todo", estimate: 1 } });
    const wal = join(dir, manifest.activeOps);
    const linesBefore = (await readFile(wal, "utf-8")).split("\n").filter((l) => l !== "").length;
    await appendFile(wal, whole.slice(0, Math.floor(whole.length / 2)));
    return { wal: manifest.activeOps, tornLine: linesBefore + 1 };
  },
);

export const tornByUndoCrlfTornTail = damaged(
  "tornByUndoCrlfTornTail",
  "tornByUndoManyUndos (non-ASCII text, lines torn by undo), then its last whole line saved with a CRLF ending, as an editor on Windows leaves it, and the first half of a set with non-ASCII text appended without a newline, cut inside a character, as a crash mid-append leaves it",
  async (dir) => {
    const { torn } = await tornByUndoManyUndos.build(dir);
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { activeOps: string };
    const wal = join(dir, manifest.activeOps);
    const text = await readFile(wal, "utf-8");
    const lines = text.split("\n");
    const crlfLine = lines.length - 1; // the last whole line (1-based), before the final newline
    await writeFile(wal, lines.slice(0, -2).concat(`${lines[lines.length - 2]}\r`, "").join("\n"));
    const whole = Buffer.from(JSON.stringify({ ts: new Date().toISOString(), op: "set", id: "r9", data: { title: "jamais écrit ☕☕☕", n: 99 }, prev: null }));
    const cut = whole.indexOf(Buffer.from("☕")) + 1; // inside the first cup's three bytes
    await appendFile(wal, whole.subarray(0, cut));
    return { wal: manifest.activeOps, torn, crlfLine, tornLine: crlfLine + 1 };
  },
);

export const walUnreadable = damaged(
  "walUnreadable",
  "alice and bob each set two tasks (no compaction); then bob's WAL made unreadable (mode 000: root still reads it, so tests as root run the reader as another user, or inject EACCES)",
  async (dir) => {
    const alice = await openPublishedAgent(dir, "alice");
    const bob = await openPublishedAgent(dir, "bob");
    await alice.set("a1", task(1, "todo"));
    await bob.set("b1", task(2, "todo"));
    await alice.set("a2", task(3, "todo"));
    await bob.set("b2", task(4, "todo"));
    await alice.close();
    await bob.close();
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { activeAgentOps: Record<string, string> };
    return { unreadable: { file: manifest.activeAgentOps.bob, agent: "bob", ops: 2 } };
  },
  (dir, own) => chmod(join(dir, own.unreadable.file), 0o000),
);
