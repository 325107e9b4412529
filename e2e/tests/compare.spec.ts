/**
 * Compare any two positions: A and B picked on the Timeline (or before and
 * after two ops in Operations) list the records added, removed and changed
 * between them, with per-field diffs, filterable by id and by a query. The
 * expected rows come from replaying the raw WAL lines of a store the
 * published opslog wrote, and the filters are evaluated here by hand.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { Store } from "@backloghq/opslog";
import { expect, SCREENSHOTS, test } from "../fixtures";
import type { Doc } from "../fixtures";

type State = Map<string, Doc>;

/** One writer, no compaction: 30 ops over ten tasks (creates, status changes, a few deletes). */
async function taskStore(parent: string): Promise<string> {
  const dir = join(parent, "tasks");
  const store = new Store<Doc>();
  await store.open(dir, { checkpointThreshold: 1000, checkpointOnClose: false });
  const statuses = ["todo", "doing", "done"];
  for (let i = 0; i < 30; i++) {
    const id = `task-${(i * 7) % 10}`;
    if (i % 11 === 10 && store.get(id)) await store.delete(id);
    else await store.set(id, { title: `Task ${(i * 7) % 10}`, status: statuses[i % 3], n: i });
  }
  await store.close();
  return dir;
}

/** The state after each position, replayed here from the WAL lines in file order (one writer). */
async function statesFromWal(dir: string): Promise<State[]> {
  const states: State[] = [new Map()];
  for (const name of (await readdir(join(dir, "ops"))).sort()) {
    for (const line of (await readFile(join(dir, "ops", name), "utf-8")).split("\n").filter(Boolean)) {
      const op = JSON.parse(line) as { op: "set" | "delete"; id: string; data?: Doc };
      const next = new Map(states[states.length - 1]);
      if (op.op === "set") next.set(op.id, op.data!);
      else next.delete(op.id);
      states.push(next);
    }
  }
  return states;
}

/** The rows a comparison of a and b must show (id order), kept by `keep`, each with its kind and the fields that differ. */
function expectedRows(states: State[], a: number, b: number, keep: (id: string, before: Doc | undefined, after: Doc | undefined) => boolean = () => true) {
  const [before, after] = [states[a], states[b]];
  return [...new Set([...before.keys(), ...after.keys()])]
    .sort()
    .filter((id) => JSON.stringify(before.get(id)) !== JSON.stringify(after.get(id)) && keep(id, before.get(id), after.get(id)))
    .map((id) => {
      const [x, y] = [before.get(id), after.get(id)];
      const kind = !x ? "added" : !y ? "removed" : "changed";
      const fields = x && y ? [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => JSON.stringify(x[k]) !== JSON.stringify(y[k])) : null;
      return { id, kind, fields };
    });
}

/** The rows the panel shows: id, kind and (for a change) the fields its diff names; read in one go, as the list may be replaced meanwhile. */
async function shownRows(page: Page) {
  return page.getByTestId("compare-panel").getByTestId("compare-row").evaluateAll((rows) =>
    rows.map((row) => {
      const kind = row.getAttribute("data-kind")!;
      return { id: row.getAttribute("data-id")!, kind, fields: kind === "changed" ? [...row.querySelectorAll(".diff-field")].map((f) => f.textContent) : null };
    }),
  );
}

async function seek(page: Page, position: number): Promise<void> {
  await page.getByTestId("scrubber").fill(String(position));
  await expect(page.getByTestId("replay-pos")).toHaveText(new RegExp(`^${position} / `));
}

test("A and B picked on the Timeline list what differs between them, per field, and the filters keep what they say", async ({ page, workDir, explorer }) => {
  const dir = await taskStore(workDir);
  const states = await statesFromWal(dir);
  const server = await explorer(dir);
  await page.goto(server.url);
  await page.getByTestId("nav-timeline").click();
  await seek(page, 4);
  await page.getByTestId("compare-set-a").click();
  await seek(page, 23);
  await page.keyboard.press("b"); // the key and the button run the same command
  await expect(page.getByTestId("compare-set-b")).toHaveText("B 23");
  const panel = page.getByTestId("compare-panel");
  await expect(panel.locator("h3")).toContainText("Compare A 4 → B 23");

  const all = expectedRows(states, 4, 23);
  expect(all.map((r) => r.kind)).toEqual(expect.arrayContaining(["added", "changed", "removed"]));
  await expect.poll(() => shownRows(page)).toEqual(all);
  const count = (kind: string) => all.filter((r) => r.kind === kind).length;
  await expect(panel.getByTestId("compare-counts")).toHaveText(`${count("added")} added · ${count("changed")} changed · ${count("removed")} removed`);
  await page.screenshot({ path: join(SCREENSHOTS, "compare-timeline.png") });

  await test.step("a query keeps the records whose value before or after matches it", async () => {
    await panel.getByTestId("compare-filter").fill('{status: "done"}');
    await panel.getByTestId("compare-apply").click();
    const done = expectedRows(states, 4, 23, (_, x, y) => x?.status === "done" || y?.status === "done");
    expect(done.length).toBeLessThan(all.length);
    await expect.poll(() => shownRows(page)).toEqual(done);
  });

  await test.step("with an id text too, both must hold", async () => {
    await panel.getByTestId("compare-id").fill("9");
    await panel.getByTestId("compare-apply").click();
    const both = expectedRows(states, 4, 23, (id, x, y) => id.includes("9") && (x?.status === "done" || y?.status === "done"));
    expect(both.length).toBeGreaterThan(0);
    await expect.poll(() => shownRows(page)).toEqual(both);
  });

  await test.step("a query that does not parse is said, and the last good one stays", async () => {
    await panel.getByTestId("compare-filter").fill("{status: ");
    await panel.getByTestId("compare-apply").click();
    await expect(panel.getByRole("alert")).toBeVisible();
    await expect.poll(() => shownRows(page)).toEqual(expectedRows(states, 4, 23, (id, x, y) => id.includes("9") && (x?.status === "done" || y?.status === "done")));
  });

  await test.step("swapping A and B turns added into removed", async () => {
    await panel.getByTestId("compare-filter").fill("");
    await panel.getByTestId("compare-id").fill("");
    await panel.getByTestId("compare-apply").click();
    await panel.getByTestId("compare-swap").click();
    await expect.poll(() => shownRows(page)).toEqual(expectedRows(states, 23, 4));
  });
});

test("A before one op and B after another, picked in Operations, compare on the Timeline", async ({ page, workDir, explorer }) => {
  const dir = await taskStore(workDir);
  const states = await statesFromWal(dir);
  const server = await explorer(dir);
  await page.goto(server.url);
  await page.getByTestId("nav-operations").click();
  const rows = page.getByTestId("op-row");
  await rows.nth(2).click(); // op #3: A is the state before it, position 2
  await page.getByTestId("compare-op-a").click();
  await rows.nth(11).click(); // op #12: B is the state after it, position 12
  await page.getByTestId("compare-op-b").click();
  await page.getByTestId("compare-open").click();
  const panel = page.getByTestId("compare-panel");
  await expect(panel.locator("h3")).toContainText("Compare A 2 → B 12");
  await expect.poll(() => shownRows(page)).toEqual(expectedRows(states, 2, 12));
});
