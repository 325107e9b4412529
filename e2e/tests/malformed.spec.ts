/** A WAL with malformed lines opens anyway: the warnings name each bad line by file:line, and the records still show. */
import { join } from "node:path";
import { expect, SCREENSHOTS, test } from "../fixtures";
import { malformedLines, twentyTasksCurrentSnapshotMissing, twoAgentsOverwriteAfterRefresh } from "../../engine/test/scenarios/index.js";

test("malformed WAL lines are listed as warnings with file:line and the records still show", async ({ page, workDir, explorer }) => {
  const { dir, wal, badLines, state } = await malformedLines.build(join(workDir, "malformed"));
  const server = await explorer(dir);
  await page.goto(server.url);
  await expect(page.getByTestId("record-row")).toHaveCount(state.length);
  await expect(page.getByTestId("records-total")).toHaveText(`${state.length} records`);

  const badge = page.getByTestId("warnings-badge");
  // The store's only faults are its two bad lines: one warning each, nothing else.
  await expect(badge).toHaveText(`${badLines.length} warnings`);
  await badge.click();
  const panel = page.getByTestId("warnings-panel");
  await expect(panel).toBeVisible();
  await expect(page.getByTestId("warning-item")).toHaveCount(badLines.length);
  for (const line of badLines) await expect(page.getByTestId("warning-item").filter({ hasText: `${wal}:${line}` }).first()).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOTS, "warnings.png"), fullPage: true });
});

test("a multi-writer store written by the published opslog shows one lane per agent and LWW's winner", async ({ page, workDir, explorer }) => {
  const { dir, state, overwritten, agents, walFiles } = await twoAgentsOverwriteAfterRefresh.build(join(workDir, "multi"));
  const server = await explorer(dir);
  await page.goto(server.url);
  await expect(page.getByTestId("records-total")).toHaveText(`${state.length} records`);
  await page.locator(`[data-testid=record-row][data-key="${overwritten.id}"]`).click();
  await expect(page.getByTestId("record-detail")).toContainText(`"${overwritten.winner}"`);
  await page.getByTestId("nav-agents").click();
  await expect(page.getByTestId("lane")).toHaveCount(walFiles.length);
  for (const agent of agents) await expect(page.getByTestId("lane").filter({ hasText: agent })).toHaveCount(1);
});

test("a store whose current snapshot is missing says so, and shows its states as unknown, never as an empty store", async ({ page, workDir, explorer }) => {
  const { dir, removed } = await twentyTasksCurrentSnapshotMissing.build(join(workDir, "missing-snapshot"));
  const server = await explorer(dir);
  await page.goto(server.url);
  await expect(page.getByTestId("pane-error").first()).toContainText(`The state at position`);
  await expect(page.getByTestId("pane-error").first()).toContainText(removed);
  await expect(page.getByText("This store has no records.")).toHaveCount(0);
  await expect(page.getByTestId("records-unknown")).toContainText("unknown records");
  await expect(page.getByTestId("records-total")).toHaveText("unknown records");
  await page.getByTestId("warnings-badge").click();
  await expect(page.getByTestId("warning-item").filter({ hasText: `manifest.json names ${removed} as the current snapshot, but that file is missing` })).toHaveCount(1);
  await expect(page.getByTestId("warning-item").filter({ hasText: "lost" }).filter({ hasText: "appended" })).toHaveCount(0);
  await page.screenshot({ path: join(SCREENSHOTS, "missing-snapshot.png"), fullPage: true });
});

test("on a single-writer store a bad WAL line's warning links to the Operations view, not to agents it does not have", async ({ page, workDir, explorer }) => {
  const { dir } = await malformedLines.build(join(workDir, "malformed-link"));
  const server = await explorer(dir);
  await page.goto(server.url);
  await page.getByTestId("warnings-badge").click();
  const link = page.getByTestId("warning-item").first().getByTestId("warning-link");
  await expect(link).toHaveText("show in Operations (the WAL's ops)");
  await link.click();
  await expect(page.getByTestId("nav-operations")).toHaveClass(/active/);
  await expect(page.getByTestId("op-row").first()).toBeVisible();
});
