/**
 * Browser mode on a store on S3 (s3rver, written by the published opslog +
 * opslog-s3): opened from the command line (`serve s3://bucket/prefix
 * --endpoint …`) and from the "Open S3 store" form, it shows the records,
 * lanes, archive and history the store holds, counted independently: the
 * published opslog's own state, and the objects listed in the bucket. It
 * shows the current state first (what opslog-s3's own open reads) and says
 * the history is loading until it is in, then every view has it.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import type { Page } from "@playwright/test";
import { startS3Server } from "../../engine/test/helpers/s3server";
import type { S3TestServer } from "../../engine/test/helpers/s3server";
import { listKeys, publishedS3State, writeS3Store } from "../../engine/test/s3/fixtures";
import { expect, SCREENSHOTS, test } from "../fixtures";

let server: S3TestServer;
test.beforeAll(async () => {
  server = await startS3Server();
  await writeS3Store(server, "teams/e2e");
});
test.afterAll(async () => server?.close());

/** What the bucket holds, counted from the objects and the published opslog, not by the explorer. */
async function expected(prefix: string): Promise<{ records: number; wals: number; snapshots: number }> {
  const records = (await publishedS3State(server, prefix)).length; // first: reading as an agent registers that agent's (empty) WAL
  const keys = (await listKeys(server, prefix)).map((k) => k.slice(prefix.length + 1));
  const manifest = JSON.parse(await (await server.client().send(new GetObjectCommand({ Bucket: server.bucket, Key: `${prefix}/manifest.json` }))).Body!.transformToString()) as { activeAgentOps: Record<string, string> };
  // A lane per WAL: those with batch objects, and those the manifest names that nobody has written to yet.
  const wals = new Set([...keys.filter((k) => k.startsWith("ops/")).map((k) => k.split("/").slice(0, 2).join("/")), ...Object.values(manifest.activeAgentOps)]);
  return { records, wals: wals.size, snapshots: keys.filter((k) => k.startsWith("snapshots/")).length };
}

async function checkViews(page: Page, want: { records: number; wals: number; snapshots: number }): Promise<void> {
  await expect(page.getByTestId("records-total")).toHaveText(`${want.records} records`);
  await page.getByTestId("nav-agents").click();
  await expect(page.getByTestId("lane")).toHaveCount(want.wals);
  await page.getByTestId("nav-archive").click();
  await expect(page.getByTestId("archive-segment")).toHaveCount(1);
  await expect(page.getByTestId("archive-segment")).toContainText("2026-Q1");
  await page.getByTestId("nav-history").click();
  await expect(page.getByTestId("chain-link")).toHaveCount(want.snapshots);
  await expect(page.locator('[data-testid="chain-link"][data-verified="mismatch"]')).toHaveCount(0);
}

test("serve s3://bucket/prefix --endpoint shows the store's records, lanes, archive and history, read-only", async ({ page, workDir, explorer }) => {
  process.env.OPSLOG_EXPLORER_CACHE = join(workDir, "s3-cache"); // inherited by the server
  const want = await expected("teams/e2e");
  const running = await explorer(server.url("teams/e2e"));
  await page.goto(running.url);
  await expect(page.getByTestId("mode-badge")).toHaveText("read-only");
  await expect(page.locator(".store-path")).toContainText("s3://opslog-test/teams/e2e");
  await checkViews(page, want);
  await page.screenshot({ path: join(SCREENSHOTS, "s3-history.png"), fullPage: true });
});

test("the Open S3 store form opens a store from bucket, prefix, region and endpoint", async ({ page, workDir, explorer }) => {
  process.env.OPSLOG_EXPLORER_CACHE = join(workDir, "s3-cache");
  await writeS3Store(server, "teams/form");
  const want = await expected("teams/form");
  const running = await explorer(server.url("teams/e2e"));
  await page.goto(running.url);
  await expect(page.getByTestId("records-total")).toBeVisible();
  await page.evaluate(async () => {
    const token = new URL(location.href).searchParams.get("token")!;
    await fetch("/api/call/store.close", { method: "POST", headers: { "x-opslog-token": token, "content-type": "application/json" }, body: "{}" });
  });
  await page.getByTestId("s3-bucket").fill(server.bucket);
  await page.getByTestId("s3-prefix").fill("teams/form");
  await page.getByTestId("s3-region").fill("us-east-1");
  await page.getByTestId("s3-endpoint").fill(server.endpoint);
  await page.screenshot({ path: join(SCREENSHOTS, "s3-open-form.png"), fullPage: true });
  await page.getByTestId("s3-open-button").click();
  await expect(page.locator(".store-path")).toContainText("s3://opslog-test/teams/form");
  await checkViews(page, want);
});

test("shows the current state at once, says plainly the history is loading (n of m objects), and the views take the history when it is in", async ({ page, workDir, explorer }) => {
  process.env.OPSLOG_EXPLORER_CACHE = join(workDir, "s3-cache");
  await writeS3Store(server, "teams/first");
  const want = await expected("teams/first");
  const release = join(workDir, "history-go");
  const running = await explorer(server.url("teams/first"), { holdHistoryUntil: release });
  await page.goto(running.url);
  await expect(page.getByTestId("records-total")).toHaveText(`${want.records} records`);
  await expect(page.getByTestId("history-loading-title")).toHaveText("History loading (listing the bucket…)");
  await expect(page.getByTestId("header-partial")).toHaveText("current period only");
  await page.getByTestId("nav-agents").click();
  await expect(page.getByTestId("lane")).not.toHaveCount(want.wals); // the retired WAL is history
  await expect(page.getByText("None in the current period; the history behind it is still loading.").first()).toBeVisible(); // lost writes: bob's are in his retired WAL
  await expect(page.getByTestId("partial-tag").first()).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOTS, "s3-history-loading.png"), fullPage: true });
  writeFileSync(release, "");
  await expect(page.getByTestId("history-loading")).toHaveCount(0);
  await expect(page.getByTestId("header-partial")).toHaveCount(0);
  await expect(page.getByTestId("lane")).toHaveCount(want.wals);
  await expect(page.getByTestId("partial-tag")).toHaveCount(0);
  await expect(page.getByText("None in the current period; the history behind it is still loading.")).toHaveCount(0);
  await page.getByTestId("nav-records").click();
  await checkViews(page, want);
});
