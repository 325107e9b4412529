// Compacting in agent mode beside other agents, through the contract, on
// stores written by the published opslog: the preview names each agent whose
// WAL the manifest names (its last op's time from the raw WAL lines, its
// WAL's modified time from the file), and the compaction (or an archive,
// which compacts) is refused unless the call names them all back.
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppData } from "../appdata.js";
import type { ActionResult, CompactPreview } from "../contract.js";
import { Handlers } from "../handlers.js";
import { openPublishedAgent, plannerAndWorkerOnJobs } from "../../engine/test/scenarios/index.js";
import type { Manifest } from "../../engine/test/scenarios/index.js";
import { digestTree, errorOf, removeDir, tempDir, valueOf } from "./helpers.js";

let work: string;
let handlers: Handlers;

beforeEach(async () => {
  work = await tempDir("agent-compaction");
  handlers = new Handlers({ appData: new AppData(join(work, "home")), pollMs: 0 });
});
afterEach(async () => {
  await handlers.store.closeSession();
  await removeDir(work);
});

const manifestOf = async (dir: string) => JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as Manifest;
/** The last line's ts of a WAL, as written. */
async function lastTs(dir: string, wal: string): Promise<string> {
  const lines = (await readFile(join(dir, wal), "utf-8")).trim().split("\n");
  return (JSON.parse(lines[lines.length - 1]) as { ts: string }).ts;
}

async function openAsExplorer(): Promise<string> {
  const dir = (await plannerAndWorkerOnJobs.build(join(work, "jobs"))).dir;
  valueOf(await handlers.dispatch("store.open", { dir, mode: "agent", agentId: "explorer" }));
  return dir;
}

describe("compacting in agent mode", () => {
  it("previews every other agent the manifest names, with its last op's time from the raw WAL and its WAL's modified time", async () => {
    const dir = await openAsExplorer();
    const named = (await manifestOf(dir)).activeAgentOps!;
    expect(Object.keys(named).sort()).toEqual(["explorer", "planner", "worker"]);
    const preview = valueOf<CompactPreview>(await handlers.dispatch("actions.compactPreview", {}));
    expect(preview.confirmationNeeded).toBe(true);
    const expected = await Promise.all(["planner", "worker"].map(async (agent) => ({ agent, wal: named[agent], lastOpAt: await lastTs(dir, named[agent]), walModifiedAt: (await stat(join(dir, named[agent]))).mtime.toISOString() })));
    expect(preview.otherAgents.map(({ agent, wal, lastOpAt, walModifiedAt }) => ({ agent, wal, lastOpAt, walModifiedAt })).sort((a, b) => (a.agent < b.agent ? -1 : 1))).toEqual(expected);
    expect(preview.otherAgents.every((a) => a.recent)).toBe(true); // written moments ago
    expect(preview.message).toMatch(/planner/);
    expect(preview.message).toMatch(/lost \(no reader replays them\) until it refreshes/);
  });

  it("refuses a compaction that does not carry the confirmation, says whose writes it would lose, and writes nothing", async () => {
    const dir = await openAsExplorer();
    const before = await digestTree(dir);
    const error = errorOf(await handlers.dispatch("actions.compact", {}));
    expect(error.code).toBe("confirm-required");
    expect(error.message).toMatch(/planner, worker|worker, planner/);
    expect(await digestTree(dir)).toEqual(before);
    const archive = errorOf(await handlers.dispatch("actions.archive", { filter: { state: "done" } }));
    expect(archive.code).toBe("confirm-required");
    expect(await digestTree(dir)).toEqual(before);
  });

  it("refuses a confirmation that misses an agent registered since the preview, then compacts once every agent is named", async () => {
    const dir = await openAsExplorer();
    const seen = valueOf<CompactPreview>(await handlers.dispatch("actions.compactPreview", {})).otherAgents.map((a) => a.agent);
    const late = await openPublishedAgent(dir, "late"); // registers its WAL in the manifest
    try {
      const before = await digestTree(dir);
      const error = errorOf(await handlers.dispatch("actions.compact", { confirmAgents: seen }));
      expect(error.code).toBe("confirm-required");
      expect(error.message).toContain("late");
      expect(await digestTree(dir)).toEqual(before);
      const result = valueOf<ActionResult>(await handlers.dispatch("actions.compact", { confirmAgents: [...seen, "late"] }));
      expect(result.message).toMatch(/Compacted/);
      expect(Object.keys((await manifestOf(dir)).activeAgentOps!)).toEqual(["explorer"]);
    } finally {
      await late.close();
    }
  });

  it("in writer mode needs no confirmation", async () => {
    const { twentyTasksCompactedThenEdited } = await import("../../engine/test/scenarios/index.js");
    const dir = (await twentyTasksCompactedThenEdited.build(join(work, "single"))).dir;
    valueOf(await handlers.dispatch("store.open", { dir, mode: "writer" }));
    expect(valueOf<CompactPreview>(await handlers.dispatch("actions.compactPreview", {}))).toMatchObject({ confirmationNeeded: false, otherAgents: [] });
    expect(valueOf<ActionResult>(await handlers.dispatch("actions.compact", {})).message).toMatch(/Compacted/);
  });
});
