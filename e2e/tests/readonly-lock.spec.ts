/**
 * The mode switch: without --read-only, the open screen opens a store in
 * writer mode once the user confirms; a server started with --read-only shows
 * writing as unavailable and why, offers no write mode, and the store's bytes
 * never change.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { expect, SCREENSHOTS, test } from "../fixtures";
import { sixTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";

/** sha256 of every file under dir, keyed by relative path. */
async function digestTree(dir: string, out: Record<string, string> = {}, at = dir): Promise<Record<string, string>> {
  for (const entry of await readdir(at, { withFileTypes: true })) {
    const path = join(at, entry.name);
    if (entry.isDirectory()) await digestTree(dir, out, path);
    else out[relative(dir, path)] = createHash("sha256").update(await readFile(path)).digest("hex");
  }
  return out;
}

/** Close the open store as a client would, which brings up the open screen. */
async function closeStore(page: import("@playwright/test").Page): Promise<void> {
  await page.evaluate(async () => {
    const token = new URL(location.href).searchParams.get("token")!;
    await fetch("/api/call/store.close", { method: "POST", headers: { "x-opslog-token": token, "content-type": "application/json" }, body: "{}" });
  });
}

test("without --read-only, the open screen switches a store to writer mode once the user confirms", async ({ page, workDir, explorer }) => {
  const dir = (await sixTasksCompactedThenEdited.build(join(workDir, "single"))).dir;
  const server = await explorer(dir);
  await page.goto(server.url);
  await expect(page.getByTestId("mode-badge")).toHaveText("read-only");
  await closeStore(page);
  await page.getByTestId("open-mode-writer").check();
  await page.getByTestId("open-path").fill(dir);
  await page.getByTestId("open-button").click();
  await expect(page.getByRole("dialog")).toContainText("Open in writer mode?");
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("open-path")).toBeVisible(); // cancelled: still on the open screen
  await page.getByTestId("open-button").click();
  await page.getByTestId("confirm-ok").click();
  await expect(page.getByTestId("mode-badge")).toHaveText("writer");
  await expect(page.getByTestId("action-undo")).toBeEnabled();
});

test("--read-only: the actions say why they are off, the open screen offers no write mode, and a writer open is refused", async ({ page, workDir, explorer }) => {
  const dir = (await sixTasksCompactedThenEdited.build(join(workDir, "single"))).dir;
  const before = await digestTree(dir);
  const server = await explorer(dir, { readOnly: true });
  await page.goto(server.url);
  await expect(page.getByTestId("mode-badge")).toHaveText("read-only (locked)");
  await expect(page.getByTestId("action-undo")).toBeDisabled();
  await expect(page.getByTestId("action-undo")).toHaveAttribute("title", /started with --read-only/);

  await closeStore(page);
  await expect(page.getByTestId("open-mode-writer")).toBeDisabled();
  await expect(page.getByTestId("open-mode-agent")).toBeDisabled();
  await expect(page.getByTestId("open-mode-read-only")).toBeChecked();
  await expect(page.getByTestId("open-locked")).toContainText("--read-only");
  await page.screenshot({ path: join(SCREENSHOTS, "readonly-lock-open-screen.png") });

  // A client that asks for writer mode anyway is refused with the reason.
  const refused = await page.evaluate(async (storeDir) => {
    const token = new URL(location.href).searchParams.get("token")!;
    const answer = await fetch("/api/call/store.open", { method: "POST", headers: { "x-opslog-token": token, "content-type": "application/json" }, body: JSON.stringify({ dir: storeDir, mode: "writer" }) });
    return (await answer.json()) as { ok: boolean; error?: { code: string; message: string } };
  }, dir);
  expect(refused).toMatchObject({ ok: false, error: { code: "read-only", message: expect.stringContaining("started with --read-only") } });

  await page.getByTestId("open-path").fill(dir);
  await page.getByTestId("open-button").click();
  await expect(page.getByTestId("mode-badge")).toHaveText("read-only (locked)");
  await server.stop();
  expect(await digestTree(dir)).toEqual(before);
});
