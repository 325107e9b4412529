/**
 * Positions read right: ops are numbered from 1 and position N is the state
 * after op #N, the same in Operations, record history, the Timeline and
 * History; history links are named by their snapshots and times; and an op
 * another agent's write overrode says so, one click from the write that won.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { demoStoreCopy, expect, SCREENSHOTS, test } from "../fixtures";
import { twoAgentsBlindWritesToOneKey } from "../../engine/test/scenarios/index.js";

const n = (x: number) => x.toLocaleString("en-US");

test("op #25 in Operations is op #25 in its record's history, and replaying it shows position 25: after op #25", async ({ page, workDir, explorer }) => {
  const server = await explorer(await demoStoreCopy(workDir));
  await page.goto(server.url);
  await page.getByTestId("nav-operations").click();
  const row = page.getByTestId("op-row").nth(24); // the 25th op of the list, in replay order
  await expect(row.locator(".vtable-cell").first()).toHaveText("25");
  const [id, where] = await Promise.all([row.locator(".vtable-cell").nth(5).textContent(), row.locator(".vtable-cell").nth(6).textContent()]);
  await row.click();
  await expect(page.getByTestId("op-number")).toContainText("#25 of the timeline; after it: position 25");

  await page.getByTestId("jump-timeline").click();
  await expect(page.getByTestId("replay-pos")).toHaveText(/^25 \/ [\d,]+$/);
  const total = Number((await page.getByTestId("replay-pos").textContent())!.split("/")[1].replace(/\D/g, ""));
  await expect(page.getByTestId("current-position")).toHaveText(`Position 25 of ${n(total)}: after op #25`);
  await expect(page.getByTestId("current-op")).toContainText(id!);
  await expect(page.getByTestId("current-op")).toContainText(where!);

  await page.getByTestId("nav-operations").click();
  await page.getByTestId("jump-record").click(); // the op's record (archived or not) with its history
  await expect(page.getByTestId("record-detail")).toContainText(id!);
  const item = page.getByTestId("history-item").filter({ hasText: "op #25" });
  await expect(item).toHaveCount(1);
  await item.getByRole("button", { name: "replay here" }).click();
  await expect(page.getByTestId("replay-pos")).toHaveText(`25 / ${n(total)}`);
});

test("History names each link by its snapshot and that snapshot's time, with op numbers and positions that agree", async ({ page, workDir, explorer }) => {
  const dir = await demoStoreCopy(workDir);
  // The expectation, from the files: each snapshot's own timestamp (JSON: a field; JSONL: the first line).
  const times = new Map<string, string>();
  for (const name of (await readdir(join(dir, "snapshots"))).filter((f) => /^snap-\d+\.jsonl?$/.test(f))) {
    const text = await readFile(join(dir, "snapshots", name), "utf-8");
    const head = JSON.parse(name.endsWith(".jsonl") ? text.split("\n")[0] : text) as { timestamp: string };
    times.set(name, head.timestamp);
  }
  const server = await explorer(dir);
  await page.goto(server.url);
  // The app's time format: UTC, the day year first, the time of day as the page's locale writes it.
  const clock = new Intl.DateTimeFormat(await page.evaluate(() => navigator.language), { timeZone: "UTC", hour: "2-digit", minute: "2-digit", second: "2-digit" });
  for (const [name, ts] of times) times.set(name, `${new Date(ts).toISOString().slice(0, 10)} ${clock.format(new Date(ts))}`);
  await page.getByTestId("nav-history").click();
  const links = page.getByTestId("chain-link");
  await expect(links).toHaveCount(times.size);
  let nextStart = 0;
  for (let i = 0; i < times.size; i++) {
    const link = links.nth(i);
    const file = (await link.locator(".chain-node b").textContent())!;
    await expect(link.getByTestId("chain-link-name")).toHaveText(`snapshot written ${times.get(file)}`);
    await expect(link).not.toContainText(/link \d/);
    // ops #a..#b then positions (a-1)..b: each link starts where the last one ended
    const [, first, last, start, end] = (await link.getByTestId("chain-link-ops").textContent())!.replace(/,/g, "").match(/ops #(\d+)–#(\d+) .*positions (\d+)–(\d+)/)!.map(Number);
    expect([start, first, end]).toEqual([nextStart, nextStart + 1, last]);
    nextStart = end;
  }
});

test("an op another agent's write overrode says so, and links to the write that won", async ({ page, workDir, explorer }) => {
  // Two agents write the same key, neither having seen the other: last-writer-wins keeps one.
  // The expectation, from the published library: whichever value it kept won.
  const { dir, conflict } = await twoAgentsBlindWritesToOneKey.build(join(workDir, "conflict"));
  const { winner, loser } = conflict;

  const server = await explorer(dir);
  await page.goto(server.url);
  await page.getByTestId("nav-operations").click();
  await page.getByTestId("op-row").filter({ hasText: loser }).click();
  const note = page.getByTestId("op-conflict");
  await expect(note).toContainText("Overridden: another agent's write replaced this one without having seen it");
  const winnerRow = page.getByTestId("op-row").filter({ hasText: winner });
  const winnerNumber = (await winnerRow.locator(".vtable-cell").first().textContent())!;
  await expect(note.getByTestId("op-conflict-link")).toHaveText(`op #${winnerNumber}`);
  await expect(note).toContainText(`by ${winner}`);
  await page.screenshot({ path: join(SCREENSHOTS, "operations-overridden.png") });

  await note.getByTestId("op-conflict-link").click();
  await expect(page.getByTestId("op-number")).toContainText(`#${winnerNumber} of the timeline`);
  await expect(page.getByTestId("op-detail")).toContainText(winner);
  await expect(page.getByTestId("op-conflict")).toContainText("This write overrode another agent's write");
});
