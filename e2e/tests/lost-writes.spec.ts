/**
 * Lost writes in the UI, on a store two published opslog agents wrote: alice,
 * who never refreshed, compacts without having seen bob's three writes, then
 * bob appends two more to his retired WAL. Agents lists all five, History
 * says its link lost three writes to the compaction, Operations flags those three.
 */
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { Store } from "@backloghq/opslog";
import { expect, SCREENSHOTS, test } from "../fixtures";

type Doc = Record<string, unknown>;

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Wait for the clock to move on, so that op timestamps order as written. */
async function nextMs(): Promise<void> {
  const start = Date.now();
  while (Date.now() === start) await new Promise((r) => setImmediate(r));
}

async function compactionBesideAnAgent(dir: string): Promise<void> {
  const alice = new Store<Doc>();
  await alice.open(dir, { agentId: "alice", checkpointOnClose: false });
  const bob = new Store<Doc>();
  await bob.open(dir, { agentId: "bob", checkpointOnClose: false });
  for (const [store, id, status] of [[alice, "a1", "todo"], [bob, "b1", "todo"], [bob, "b2", "unseen"], [bob, "a1", "unseen edit"], [alice, "a2", "todo"]] as const) {
    await store.set(id, { status });
    await nextMs();
  }
  await alice.compact();
  await nextMs();
  for (const id of ["b3", "b4"]) {
    await bob.set(id, { status: "after the compaction" });
    await nextMs();
  }
  await alice.close();
  await bob.close();
}

test("lost writes: every view flags the same writes", async ({ page, workDir, explorer }) => {
  const dir = join(workDir, "two-agents");
  await compactionBesideAnAgent(dir);
  const server = await explorer(dir);
  await page.goto(server.url);

  await page.getByTestId("nav-agents").click();
  await expect(page.getByTestId("lost-write-item")).toHaveCount(5);
  await expect(page.getByTestId("lost-write-item").filter({ hasText: "had not seen it" })).toHaveCount(3);
  await shoot(page, "lost-writes-agents");

  await page.getByTestId("nav-history").click();
  await expect(page.getByTestId("chain-dropped")).toHaveCount(1);
  await expect(page.getByTestId("chain-dropped")).toContainText("3 write(s) here were lost");
  await shoot(page, "lost-writes-history");

  await page.getByTestId("nav-operations").click();
  await expect(page.getByTestId("op-row").first()).toBeVisible();
  await expect(page.getByTestId("op-row").filter({ hasText: "lost" })).toHaveCount(3);
  await shoot(page, "lost-writes-operations");
});
