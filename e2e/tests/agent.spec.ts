/** Agent mode (--agent explorer) on a copy of the demo store: revert, undo and compact, each checked on disk with the published opslog. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { demoStoreCopy, expect, readWithPublished, test } from "../fixtures";

interface AgentManifest {
  currentSnapshot: string;
  activeAgentOps?: Record<string, string>;
}

async function manifestOf(dir: string): Promise<AgentManifest> {
  return JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as AgentManifest;
}

test("an agent reverts another agent's op, undoes its own revert, then compacts", async ({ page, workDir, explorer }) => {
  const dir = await demoStoreCopy(workDir);
  const original = await readWithPublished(dir, workDir, { agentId: "checker" });
  expect(original.get("sprint-2")).toMatchObject({ status: "in-progress" });
  const server = await explorer(dir, { agent: "explorer" });
  await page.goto(server.url);
  await expect(page.getByTestId("mode-badge")).toHaveText("agent: explorer");
  expect((await manifestOf(dir)).activeAgentOps).toHaveProperty("explorer");

  await test.step("revert the planner's last update of sprint-2: a compensating write", async () => {
    await page.getByTestId("nav-operations").click();
    await page.getByTestId("ops-id").fill("sprint-2");
    const rows = page.getByTestId("op-row");
    await expect(rows).toHaveCount(2);
    await rows.last().click();
    await expect(page.getByTestId("op-detail")).toContainText("planner");
    const number = await rows.last().locator(".vtable-cell").first().textContent(); // the op's number, as Operations shows it
    await page.getByTestId("action-revert").click();
    await page.getByTestId("revert-choice-full").check();
    await page.getByTestId("revert-apply").click();
    await expect(page.getByTestId("toast").first()).toContainText(`Reverted op #${number} in full: "sprint-2" is back`);
    await expect(rows).toHaveCount(3);
    await expect(rows.last()).toContainText("explorer");
    const state = await readWithPublished(dir, workDir, { agentId: "checker" });
    expect(state.get("sprint-2")).toMatchObject({ status: "todo" });
  });

  await test.step("undo removes the explorer's own revert", async () => {
    await page.getByTestId("action-undo").click();
    await expect(page.getByRole("dialog")).toContainText("sprint-2");
    await page.getByTestId("confirm-ok").click();
    await expect(page.getByTestId("toast").filter({ hasText: "Undid" })).toContainText('Undid the set of "sprint-2"');
    await expect(page.getByTestId("op-row")).toHaveCount(2);
    expect(await readWithPublished(dir, workDir, { agentId: "checker" })).toEqual(original);
  });

  await test.step("compact under the compaction lock: a new snapshot, only the explorer's WAL named", async () => {
    const before = await manifestOf(dir);
    await page.getByTestId("action-compact").click();
    // Agent mode: the compaction dialog names the agents whose next writes it loses, and waits for the tick.
    const dialog = page.getByTestId("compact-dialog");
    const others = Object.keys(before.activeAgentOps ?? {}).filter((a) => a !== "explorer").sort();
    await expect(dialog.getByTestId("compact-agent")).toHaveCount(others.length);
    await expect(dialog.getByTestId("compact-apply")).toBeDisabled();
    await dialog.getByTestId("compact-acknowledge").check();
    await dialog.getByTestId("compact-apply").click();
    await expect(page.getByTestId("toast").filter({ hasText: "Compacted" })).toHaveCount(1);
    const after = await manifestOf(dir);
    expect(after.currentSnapshot).not.toBe(before.currentSnapshot);
    expect(Object.keys(after.activeAgentOps ?? {})).toEqual(["explorer"]);
    expect(await readWithPublished(dir, workDir, { agentId: "checker" })).toEqual(original);
  });
});

test("agent mode, before the explorer writes: the header counts the agents that wrote an op, and the explorer's own WAL reads as empty", async ({ page, workDir, explorer }) => {
  const dir = await demoStoreCopy(workDir);
  // The agents that wrote, from the files: an agent-<id>-<ms>.jsonl WAL with at least one line.
  const { readdir } = await import("node:fs/promises");
  const writers = new Set<string>();
  for (const name of await readdir(join(dir, "ops"))) {
    const id = /^agent-(.+)-\d+\.jsonl$/.exec(name)?.[1];
    if (id && (await readFile(join(dir, "ops", name), "utf-8")).trim() !== "") writers.add(id);
  }
  expect(writers.has("explorer")).toBe(false);
  const server = await explorer(dir, { agent: "explorer" });
  await page.goto(server.url);
  await expect(page.getByTestId("mode-badge")).toHaveText("agent: explorer");
  await expect(page.getByTestId("header-writers")).toHaveText(`${writers.size} agents`);
  await expect(page.getByTestId("header-writers")).toHaveAttribute("title", /empty WAL so far: explorer/);
  await page.getByTestId("nav-agents").click();
  const lane = page.getByTestId("lane").filter({ hasText: "explorer" });
  await expect(lane.getByTestId("lane-size")).toHaveText("empty WAL: nothing written yet");
  await expect(page.getByTestId("lane").filter({ hasText: "planner" }).first().getByTestId("lane-size")).toHaveText(/^\d+ ops · /);
});
