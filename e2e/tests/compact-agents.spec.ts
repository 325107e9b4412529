/**
 * Compacting in agent mode beside other agents, on a store two published
 * opslog agents wrote: the dialog lists them with their last op's time (read
 * from the raw WAL lines), says their next writes will be lost until they
 * refresh, and waits for an explicit tick. After it, a published agent that
 * was still running writes, and the published opslog does not read that
 * write: what the dialog warned of.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { expect, readWithPublished, SCREENSHOTS, test } from "../fixtures";
import { openPublishedAgent, plannerAndWorkerOnJobs } from "../../engine/test/scenarios/index.js";

interface AgentManifest {
  currentSnapshot: string;
  activeAgentOps?: Record<string, string>;
}
const manifestOf = async (dir: string) => JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as AgentManifest;
/** The last line's ts of a WAL, as the dialog shows times (YYYY-MM-DD HH:MM:SS). */
/** The time of the WAL's last op as the app writes times: UTC, the day year first, the time of day as the page's locale writes it (12-hour in en-US). */
async function lastOpShown(page: Page, dir: string, wal: string): Promise<string> {
  const lines = (await readFile(join(dir, wal), "utf-8")).trim().split("\n");
  const ts = new Date((JSON.parse(lines[lines.length - 1]) as { ts: string }).ts);
  const clock = new Intl.DateTimeFormat(await page.evaluate(() => navigator.language), { timeZone: "UTC", hour: "2-digit", minute: "2-digit", second: "2-digit" });
  return `${ts.toISOString().slice(0, 10)} ${clock.format(ts)}`;
}

test("compacting in agent mode names the other agents, warns their next writes are lost, and waits for a tick", async ({ page, workDir, explorer }) => {
  const dir = (await plannerAndWorkerOnJobs.build(join(workDir, "jobs"))).dir;
  const server = await explorer(dir, { agent: "explorer" });
  await page.goto(server.url);
  await expect(page.getByTestId("mode-badge")).toHaveText("agent: explorer");
  const named = (await manifestOf(dir)).activeAgentOps!;
  const planner = await openPublishedAgent(dir, "planner"); // still running through the compaction
  try {
    await page.getByTestId("action-compact").click();
    const dialog = page.getByTestId("compact-dialog");
    await expect(dialog.getByTestId("compact-agent")).toHaveCount(2);
    for (const agent of ["planner", "worker"]) {
      const row = dialog.locator(`[data-testid=compact-agent][data-agent=${agent}]`);
      await expect(row).toContainText(await lastOpShown(page, dir, named[agent]));
      await expect(row).toContainText("recent");
    }
    await expect(dialog.getByTestId("compact-warning")).toContainText("Their next writes will be lost until they refresh");
    await expect(dialog.getByTestId("compact-apply")).toBeDisabled();
    await page.screenshot({ path: join(SCREENSHOTS, "compact-agents-dialog.png") });

    const before = await manifestOf(dir);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toHaveCount(0);
    expect(await manifestOf(dir)).toEqual(before);

    // Archive compacts too: after its filter, the same question.
    await page.getByTestId("action-archive").click();
    await page.getByTestId("confirm-input").fill('{state: "done"}');
    await page.getByTestId("confirm-ok").click();
    await expect(dialog.locator("h2")).toContainText("Archive, then compact, beside other agents?");
    await expect(dialog.getByTestId("compact-agent")).toHaveCount(2);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(await manifestOf(dir)).toEqual(before);

    await page.getByTestId("action-compact").click();
    await dialog.getByTestId("compact-acknowledge").check();
    await expect(dialog.getByTestId("compact-apply")).toBeEnabled();
    await dialog.getByTestId("compact-apply").click();
    await expect(page.getByTestId("toast").filter({ hasText: "Compacted" })).toHaveCount(1);
    expect(Object.keys((await manifestOf(dir)).activeAgentOps!)).toEqual(["explorer"]);

    await planner.set("job-9", { title: "written after the compaction", status: "todo", n: 9, tags: [] });
    expect((await readWithPublished(dir, workDir, { agentId: "checker" })).has("job-9")).toBe(false);
  } finally {
    await planner.close();
  }
});
