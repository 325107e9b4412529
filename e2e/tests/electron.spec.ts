/** The real desktop app through Playwright's Electron driver, where the Electron binary is installed. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { _electron } from "@playwright/test";
import { demoStoreCopy, expect, ROOT, test } from "../fixtures";

/** `require("electron")` is the binary's path when installed, and throws when the download failed. */
function electronBinary(): { path: string | null; reason: string } {
  try {
    const path = createRequire(join(ROOT, "package.json"))("electron") as unknown;
    if (typeof path === "string" && existsSync(path)) return { path, reason: "" };
    return { path: null, reason: `require("electron") gave ${String(path)}, which does not exist` };
  } catch (err) {
    return { path: null, reason: (err as Error).message.split("\n")[0] };
  }
}

const electron = electronBinary();
const mainCjs = join(ROOT, "dist", "electron", "main.cjs");

/** Bundle the main process as `npm start` does (dist/electron/*.cjs, next to dist/renderer), unless `npm run test:e2e` did before the tests (the other tests' servers run from that bundle: it is not rewritten under them). */
function bundleApp(): void {
  if (process.env.OPSLOG_EXPLORER_SERVE_BUNDLE) return;
  const run = spawnSync(process.execPath, [join(ROOT, "build/bundle.mjs")], { cwd: ROOT, encoding: "utf-8" });
  if (run.status !== 0) throw new Error(`build/bundle.mjs failed: ${run.stderr}`);
}

test("the desktop app opens a store and shows its records", async ({ workDir }) => {
  if (!electron.path) console.log(`Skipped: Electron binary missing: ${electron.reason}`);
  test.skip(!electron.path, `Electron binary missing: ${electron.reason}`);
  bundleApp();
  const dir = await demoStoreCopy(workDir);
  const app = await _electron.launch({ executablePath: electron.path!, args: [mainCjs, dir], env: { ...process.env, OPSLOG_EXPLORER_HOME: join(workDir, "app-home") } });
  try {
    const window = await app.firstWindow();
    await expect(window.getByTestId("mode-badge")).toHaveText("read-only");
    await expect(window.getByTestId("record-row").first()).toBeVisible();
    await window.getByTestId("nav-agents").click();
    await expect(window.getByTestId("lane").nth(3)).toBeVisible();
  } finally {
    await app.close();
  }
});

test("the desktop app: File › Open Store… (Ctrl/Cmd-O) shows the open screen over the store, whose completion (over IPC) marks stores, and opens one", async ({ workDir }) => {
  if (!electron.path) console.log(`Skipped: Electron binary missing: ${electron.reason}`);
  test.skip(!electron.path, `Electron binary missing: ${electron.reason}`);
  bundleApp();
  const dir = await demoStoreCopy(workDir);
  const second = await demoStoreCopy(join(workDir, "second"));
  const app = await _electron.launch({ executablePath: electron.path!, args: [mainCjs, dir], env: { ...process.env, OPSLOG_EXPLORER_HOME: join(workDir, "app-home") } });
  try {
    const window = await app.firstWindow();
    await expect(window.getByTestId("mode-badge")).toHaveText("read-only");
    await window.keyboard.press(process.platform === "darwin" ? "Meta+o" : "Control+o"); // the menu's accelerator
    await expect(window.getByTestId("open-screen")).toBeVisible();
    await window.getByTestId("open-path").fill(`${join(workDir, "second")}/`);
    await expect(window.getByTestId("folder-item")).toHaveText(["demostore"]);
    await window.keyboard.press("ArrowDown");
    await window.keyboard.press("Enter");
    await expect(window.locator(".store-path")).toContainText(second);
  } finally {
    await app.close();
  }
});
