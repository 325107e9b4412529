/**
 * Opening from anywhere, with a store open: the open screen from the
 * header's Open…, Ctrl-O and the palette, its folder-name completion (stores
 * marked, keyboard chosen), Esc back to the store unchanged; a second folder
 * and an S3 store opened from it; reopening the open store in writer and
 * agent mode from beside the disabled actions, confirmed first; and a server
 * started with --read-only, which offers no write mode and refuses one asked
 * for directly. Stores are the scenarios written by the published opslog.
 */
import { access, mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { startS3Server } from "../../engine/test/helpers/s3server";
import type { S3TestServer } from "../../engine/test/helpers/s3server";
import { writeS3Store } from "../../engine/test/s3/fixtures";
import { expect, SCREENSHOTS, test } from "../fixtures";
import { plannerAndWorkerOnJobs, sixTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";
import { buildDemoStore } from "../../engine/src/demo.js";

/** Two stores and a plain folder side by side in `<workDir>/stores`. */
async function twoStores(workDir: string): Promise<{ parent: string; tasks: string; team: string }> {
  const parent = join(workDir, "stores");
  const tasks = (await sixTasksCompactedThenEdited.build(join(parent, "tasks"))).dir;
  const team = (await plannerAndWorkerOnJobs.build(join(parent, "team"))).dir;
  await mkdir(join(parent, "plain-folder"));
  return { parent, tasks, team };
}

const exists = (path: string) => access(path).then(() => true, () => false);

/** The call as any client could send it, past the UI. */
async function callDirectly(page: Page, name: string, arg: unknown): Promise<{ ok: boolean; error?: { code: string; message: string } }> {
  return page.evaluate(async ({ name, arg }) => {
    const token = new URL(location.href).searchParams.get("token")!;
    const answer = await fetch(`/api/call/${name}`, { method: "POST", headers: { "x-opslog-token": token, "content-type": "application/json" }, body: JSON.stringify(arg) });
    return (await answer.json()) as { ok: boolean; error?: { code: string; message: string } };
  }, { name, arg });
}

test("Open… in the header opens a second folder typed in the path box; Esc first returns to the open store unchanged", async ({ page, workDir, explorer }) => {
  const { tasks, team } = await twoStores(workDir);
  await page.goto((await explorer(tasks)).url);
  await expect(page.getByTestId("records-total")).toHaveText(/^\d+ records$/);
  const records = (await page.getByTestId("records-total").textContent())!;
  await page.getByTestId("open-screen-button").click();
  const screen = page.getByTestId("open-screen");
  await expect(screen).toBeVisible();
  await expect(page.getByTestId("open-path")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(screen).toHaveCount(0);
  await expect(page.locator(".store-path")).toHaveText(tasks);
  await expect(page.getByTestId("records-total")).toHaveText(records);

  await page.getByTestId("open-screen-button").click();
  await page.getByTestId("open-path").fill(team);
  await page.getByTestId("open-button").click();
  await expect(screen).toHaveCount(0);
  await expect(page.locator(".store-path")).toHaveText(team);
  await expect(page.locator(".kind-badge")).toHaveText("multi-writer");
  await expect(page.getByTestId("mode-badge")).toHaveText("read-only");
});

test("Ctrl-O opens the open screen, whose completion lists the typed parent's folders, marks the stores, and opens one chosen with the keyboard", async ({ page, workDir, explorer }) => {
  const { parent, tasks, team } = await twoStores(workDir);
  await page.goto((await explorer(tasks)).url);
  await expect(page.getByTestId("records-total")).toHaveText(/^\d+ records$/);
  await page.keyboard.press("Control+o");
  await expect(page.getByTestId("open-screen")).toBeVisible();
  await page.getByTestId("open-path").fill(`${parent}/`);
  const items = page.getByTestId("folder-item");
  await expect(items).toHaveText(["plain-folder", "tasksstore", "teamstore"]);
  await expect(items.and(page.locator('[data-store="true"]'))).toHaveText(["tasksstore", "teamstore"]);
  await page.getByTestId("open-path").fill(`${parent}/nowhere/x`);
  await expect(page.getByTestId("folder-problem")).toHaveText(`There is no folder ${parent}/nowhere.`);

  await page.getByTestId("open-path").fill(`${parent}/t`);
  await expect(items).toHaveText(["tasksstore", "teamstore"]);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await expect(items.nth(1)).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Tab"); // takes the chosen folder into the box, and lists inside it
  await expect(page.getByTestId("open-path")).toHaveValue(`${team}/`);
  await expect(page.getByTestId("folder-parent-store")).toContainText("is a store");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("open-screen")).toHaveCount(0);
  await expect(page.locator(".store-path")).toHaveText(team);
});

test("the palette's Open a store… shows the open screen; its ✕ goes back", async ({ page, workDir, explorer }) => {
  const { tasks } = await twoStores(workDir);
  await page.goto((await explorer(tasks)).url);
  await expect(page.getByTestId("records-total")).toHaveText(/^\d+ records$/);
  await page.keyboard.press("Control+k");
  await page.getByTestId("palette-input").fill("open a store");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("open-screen")).toBeVisible();
  await page.getByTestId("open-screen-close").click();
  await expect(page.getByTestId("open-screen")).toHaveCount(0);
  await expect(page.locator(".store-path")).toHaveText(tasks);
});

test("a read-only store offers Reopen in writer mode… beside its disabled actions, which asks, then takes the .lock", async ({ page, workDir, explorer }) => {
  const { tasks } = await twoStores(workDir);
  await page.goto((await explorer(tasks)).url);
  await expect(page.getByTestId("action-undo")).toBeDisabled();
  await expect(page.getByTestId("action-undo")).toHaveAttribute("title", /Reopen in writer mode…/);
  await page.getByTestId("reopen-writer").click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Reopen in writer mode?");
  await expect(dialog).toContainText(".lock");
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("mode-badge")).toHaveText("read-only");
  expect(await exists(join(tasks, ".lock"))).toBe(false);

  await page.getByTestId("reopen-writer").click();
  await page.getByTestId("confirm-ok").click();
  await expect(page.getByTestId("mode-badge")).toHaveText("writer");
  await expect(page.getByTestId("action-undo")).toBeEnabled();
  expect(await exists(join(tasks, ".lock"))).toBe(true);
  await expect(page.getByTestId("reopen-writer")).toHaveCount(0);
});

test("a multi-writer store reopens in agent mode as the agent the user names", async ({ page, workDir, explorer }) => {
  const { team } = await twoStores(workDir);
  await page.goto((await explorer(team)).url);
  await expect(page.getByTestId("action-compact")).toHaveAttribute("title", /Reopen in agent mode…/);
  await page.getByTestId("reopen-agent").click();
  await page.getByTestId("confirm-input").fill("bad id!");
  await page.getByTestId("confirm-ok").click();
  await expect(page.getByTestId("confirm-problem")).toContainText("letters, digits");
  await page.getByTestId("confirm-input").fill("reviewer");
  await page.getByTestId("confirm-ok").click();
  await expect(page.getByTestId("mode-badge")).toHaveText("agent: reviewer");
});

test("the demo store keeps its demo tag when reopened in agent mode and when opened again read-only from the Open screen", async ({ page, workDir, explorer }) => {
  const demo = join(workDir, "app-home", "demo-store"); // where the explorer keeps its demo store (its app data folder)
  await buildDemoStore(demo, { seed: 7 });
  await page.goto((await explorer(demo)).url);
  const tag = page.locator(".store-path .demo-tag");
  await expect(tag).toHaveText("demo");
  await page.getByTestId("reopen-agent").click();
  await page.getByTestId("confirm-input").fill("reviewer");
  await page.getByTestId("confirm-ok").click();
  await expect(page.getByTestId("mode-badge")).toHaveText("agent: reviewer");
  await expect(tag).toHaveText("demo");

  await page.getByTestId("open-screen-button").click();
  await page.getByTestId("open-path").fill(demo);
  await page.getByTestId("open-mode-read-only").check();
  await page.getByTestId("open-button").click();
  await expect(page.getByTestId("open-screen")).toHaveCount(0);
  await expect(page.getByTestId("mode-badge")).toHaveText("read-only");
  await expect(tag).toHaveText("demo");
});

test("--read-only: Reopen in writer mode… is off and says why, the open screen shows writer and agent off, and the call is refused", async ({ page, workDir, explorer }) => {
  const { tasks } = await twoStores(workDir);
  await page.goto((await explorer(tasks, { readOnly: true })).url);
  await expect(page.getByTestId("reopen-writer")).toBeDisabled();
  await expect(page.getByTestId("reopen-writer")).toHaveAttribute("title", /started with --read-only/);
  await page.getByTestId("open-screen-button").click();
  await expect(page.getByTestId("open-mode-read-only")).toBeChecked();
  await expect(page.getByTestId("open-mode-writer")).toBeDisabled();
  await expect(page.getByTestId("open-mode-agent")).toBeDisabled();
  await expect(page.getByTestId("open-locked")).toContainText("--read-only");
  const refused = await callDirectly(page, "store.open", { dir: tasks, mode: "writer" });
  expect(refused).toMatchObject({ ok: false, error: { code: "read-only", message: expect.stringContaining("started with --read-only") } });
  const completion = await callDirectly(page, "store.folders", { path: `${workDir}/stores/` });
  expect(completion.ok).toBe(true); // names only: allowed read-only
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("mode-badge")).toHaveText("read-only (locked)");
  expect(await exists(join(tasks, ".lock"))).toBe(false);
});

test.describe("an S3 store", () => {
  let s3: S3TestServer;
  test.beforeAll(async () => {
    s3 = await startS3Server();
    await writeS3Store(s3, "teams/anywhere");
  });
  test.afterAll(async () => s3?.close());

  test("opens from the open screen's S3 form while a folder store is open", async ({ page, workDir, explorer }) => {
    process.env.OPSLOG_EXPLORER_CACHE = join(workDir, "s3-cache"); // inherited by the server
    const { tasks } = await twoStores(workDir);
    // The endpoint named on the command line (as `serve --endpoint`) is one the machine's credentials may go to.
    const running = await explorer(s3.url("teams/anywhere"));
    await page.goto(running.url);
    await expect(page.locator(".store-path")).toContainText("s3://opslog-test/teams/anywhere");
    await page.getByTestId("open-screen-button").click();
    await page.getByTestId("open-path").fill(tasks);
    await page.getByTestId("open-button").click();
    await expect(page.locator(".store-path")).toHaveText(tasks);

    await page.keyboard.press("Control+o");
    await page.getByTestId("s3-bucket").fill(s3.bucket);
    await page.getByTestId("s3-prefix").fill("teams/anywhere");
    await page.getByTestId("s3-region").fill("us-east-1");
    await page.getByTestId("s3-endpoint").fill(s3.endpoint);
    await page.getByTestId("s3-open-button").click();
    await expect(page.getByTestId("open-screen")).toHaveCount(0);
    await expect(page.locator(".store-path")).toContainText("s3://opslog-test/teams/anywhere");
    await expect(page.getByTestId("reopen-agent")).toBeVisible(); // S3 takes agents, not a writer
  });
});

test("screenshots of the open screen, light and dark, 1400×900 and 1024×700", async ({ page, workDir, explorer }) => {
  const { parent, tasks } = await twoStores(workDir);
  await page.goto((await explorer(tasks)).url);
  await expect(page.getByTestId("records-total")).toHaveText(/^\d+ records$/);
  for (const size of [{ width: 1400, height: 900 }, { width: 1024, height: 700 }]) {
    for (const scheme of ["light", "dark"] as const) {
      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme: scheme });
      await page.keyboard.press("Control+o");
      await page.getByTestId("open-mode-agent").check();
      await page.getByTestId("open-path").fill(`${parent}/`);
      await expect(page.getByTestId("folder-item")).toHaveCount(3);
      await page.keyboard.press("ArrowDown");
      await page.screenshot({ path: join(SCREENSHOTS, `open-screen-${scheme}-${size.width}x${size.height}.png`) });
      await page.keyboard.press("Escape"); // the list
      await expect(page.getByTestId("folder-list")).toHaveCount(0);
      await page.screenshot({ path: join(SCREENSHOTS, `open-screen-modes-${scheme}-${size.width}x${size.height}.png`) });
      await page.keyboard.press("Escape"); // the screen
      await expect(page.getByTestId("open-screen")).toHaveCount(0);
    }
  }
});
