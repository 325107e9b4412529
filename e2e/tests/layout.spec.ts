/**
 * Layout: every view is usable at 1024x700 as at 1400x900, in light and dark:
 * the header stays on one line, no control is cut off at the right edge of
 * its pane or of the window, the scrubber keeps room to aim, and a table
 * wider than its pane scrolls sideways to its last column. A screenshot of
 * every view at each size and scheme is saved for a human to look at.
 */
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { demoStoreCopy, expect, SCREENSHOTS, test } from "../fixtures";

const SIZES = [{ width: 1400, height: 900 }, { width: 1024, height: 700 }];
const SCHEMES = ["light", "dark"] as const;

/** Buttons, inputs and menus that stick out past the right edge of the window or of a pane that clips them (tables excepted: they scroll sideways). */
async function clippedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(".app button, .app input, .app select, .app summary, .app .result-count, .app .replay-pos")) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || el.closest(".vtable-body")) continue;
      let right = window.innerWidth;
      for (let p = el.parentElement; p; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== "visible") right = Math.min(right, p.getBoundingClientRect().right);
      }
      if (box.right > right + 1 || box.left < -1) out.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute("aria-label") || el.getAttribute("placeholder") || "").trim().slice(0, 30)}" ends at ${Math.round(box.right)} past ${Math.round(right)}`);
    }
    return out;
  });
}

/** How far apart, in px, the middles of the header's items are (about 0 when they sit on one line; a line's height or more when it wraps). */
async function headerSpread(page: Page): Promise<number> {
  return page.locator(".header").evaluate((header) => {
    const shown = [...header.children].map((c) => c.getBoundingClientRect()).filter((b) => b.height > 0);
    const middles = shown.map((b) => b.top + b.height / 2);
    return Math.max(...middles) - Math.min(...middles);
  });
}

async function openEachView(page: Page, shot: string): Promise<void> {
  const views: { nav: string; ready: () => Promise<void> }[] = [
    { nav: "records", ready: async () => { await page.getByTestId("record-row").first().click(); await expect(page.getByTestId("history-item").first()).toBeVisible(); } },
    { nav: "operations", ready: async () => { await page.getByTestId("op-row").nth(3).click(); await expect(page.getByTestId("op-detail")).toBeVisible(); } },
    { nav: "agents", ready: async () => { await expect(page.getByTestId("lane").nth(3)).toBeVisible(); } },
    { nav: "archive", ready: async () => { await expect(page.getByTestId("archive-row").first()).toBeVisible(); } },
    { nav: "history", ready: async () => { await expect(page.getByTestId("chain-link").first()).toBeVisible(); } },
    { nav: "timeline", ready: async () => { await expect(page.getByTestId("state-row").first()).toBeVisible(); } },
  ];
  for (const view of views) {
    await page.getByTestId(`nav-${view.nav}`).click();
    await view.ready();
    expect(await headerSpread(page), `${view.nav}: the header wraps`).toBeLessThan(8);
    expect(await clippedControls(page), `${view.nav}: controls cut off at the right`).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, `${view.nav}-${shot}.png`) });
  }
}

for (const size of SIZES) {
  for (const scheme of SCHEMES) {
    test(`at ${size.width}x${size.height} (${scheme}) every view fits: the header on one line, no control cut off at the right`, async ({ page, workDir, explorer }) => {
      const server = await explorer(await demoStoreCopy(workDir));
      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(server.url);
      await openEachView(page, `${size.width}x${size.height}-${scheme}`);
    });
  }
}

test("at 1024x700 the scrubber keeps most of the width and a wide archive table scrolls to its last column", async ({ page, workDir, explorer }) => {
  const server = await explorer(await demoStoreCopy(workDir));
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(server.url);
  await page.getByTestId("nav-timeline").click();
  // The scrubber is laid out once the view's first answers arrive: wait for it rather than measuring the first frame.
  await expect(page.getByTestId("scrubber")).toBeVisible();
  await expect.poll(async () => (await page.getByTestId("scrubber").boundingBox())?.width ?? 0, { message: "the scrubber's width" }).toBeGreaterThan(1024 * 0.6);

  await page.getByTestId("nav-archive").click();
  await page.getByTestId("archive-row").first().click(); // its JSON pane takes a third of the width
  const body = page.getByTestId("archive-table").locator(".vtable-body");
  const lastHeader = page.getByTestId("archive-table").getByRole("columnheader").last();
  const { scrollWidth, clientWidth } = await body.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
  expect(scrollWidth, "the archive table is wider than its pane at 1024 px").toBeGreaterThan(clientWidth);
  const paneBox = await body.boundingBox();
  expect((paneBox?.y ?? 0) + (paneBox?.height ?? 0), "the table's bottom edge (where its sideways scrollbar is) is on screen").toBeLessThanOrEqual(700);
  await body.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
  await expect.poll(async () => { const b = await lastHeader.boundingBox(); return b ? Math.round(b.x + b.width) : Infinity; }, { message: "the last column, scrolled to, ends inside the table" }).toBeLessThanOrEqual(Math.round((paneBox?.x ?? 0) + (paneBox?.width ?? 0)) + 1);
  await expect(lastHeader).toBeInViewport();
});

/** Header items whose text is cut: wider than their box, or partly outside the box of an ancestor that clips them (the store's path, cut with an ellipsis and whole in its title, excepted). */
async function cutHeaderWords(page: Page): Promise<string[]> {
  return page.locator(".header").evaluate((header) => {
    const out: string[] = [];
    for (const el of header.querySelectorAll<HTMLElement>("span, b, button, div")) {
      if (el.closest(".store-path") || el.closest(".menu-list") || !el.textContent?.trim()) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      let clip = { left: 0, right: window.innerWidth, top: 0, bottom: window.innerHeight };
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const style = getComputedStyle(p);
        if (style.overflowX === "visible" && style.overflowY === "visible") continue;
        const b = p.getBoundingClientRect();
        clip = { left: Math.max(clip.left, b.left), right: Math.min(clip.right, b.right), top: Math.max(clip.top, b.top), bottom: Math.min(clip.bottom, b.bottom) };
      }
      const wholly = box.right <= clip.right + 1 && box.left >= clip.left - 1 && box.bottom <= clip.bottom + 1 && box.top >= clip.top - 1;
      const gone = box.left >= clip.right - 1 || box.top >= clip.bottom - 1 || box.right <= clip.left + 1;
      if ((!wholly && !gone) || el.scrollWidth > el.clientWidth + 1) out.push(`"${el.textContent.trim().slice(0, 30)}"`);
    }
    return out;
  });
}

test("at 1024x700 the header cuts no word: counts that do not fit are left out whole, and a +N button names them and shows them", async ({ page, workDir, explorer }) => {
  const server = await explorer(await demoStoreCopy(workDir));
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(server.url);
  await expect(page.getByTestId("record-row").first()).toBeVisible();
  expect(await cutHeaderWords(page), "header items cut mid-word").toEqual([]);
  for (const width of [900, 820]) { // narrower still: more counts give way, each whole
    await page.setViewportSize({ width, height: 700 });
    await expect.poll(() => cutHeaderWords(page), { message: `header items cut mid-word at ${width} px` }).toEqual([]);
  }
  const more = page.getByTestId("fit-line-more");
  await expect(more).toBeVisible();
  const hidden = (await more.getAttribute("title")) ?? "";
  expect(hidden, "the +N button names the counts left out").toMatch(/archived/);
  await more.click();
  await expect(page.locator(".header .counts")).toContainText("archived");
  await expect(page.locator(".header .counts span", { hasText: "archived" })).toBeInViewport();
});

test("at 1024x700 the detail pane resizes by dragging and by keys, folds away, and keeps its width after a reload", async ({ page, workDir, explorer }) => {
  const server = await explorer(await demoStoreCopy(workDir));
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(server.url);
  await page.getByTestId("record-row").first().click();
  const pane = page.getByTestId("record-detail");
  await expect(pane).toBeVisible();
  const handle = page.getByTestId("pane-handle");
  const before = (await pane.boundingBox())!.width;
  expect(before, "the pane's default at 1024 px leaves the table most of the width").toBeLessThan(1024 * 0.3);

  // Drag the handle 120 px right: the pane narrows by as much, the table gains columns.
  const visibleColumns = () => page.getByTestId("records-table").evaluate((table) => {
    const right = table.getBoundingClientRect().right;
    return [...table.querySelectorAll("[role=columnheader]")].filter((c) => c.getBoundingClientRect().right <= right + 1).length;
  });
  const columnsBefore = await visibleColumns();
  const h = (await handle.boundingBox())!;
  await page.mouse.move(h.x + h.width / 2, h.y + 200);
  await page.mouse.down();
  await page.mouse.move(h.x + h.width / 2 + 60, h.y + 200, { steps: 4 });
  await page.mouse.move(h.x + h.width / 2 + 120, h.y + 200, { steps: 4 });
  await page.mouse.up();
  await expect.poll(async () => Math.round((await pane.boundingBox())!.width)).toBe(Math.max(240, Math.round(before - 120)));
  expect(await visibleColumns(), "the records table shows more columns").toBeGreaterThan(columnsBefore);

  // Keys: ← widens by a step, → narrows; the handle says its width.
  await handle.focus();
  const dragged = Math.round((await pane.boundingBox())!.width);
  await page.keyboard.press("ArrowLeft");
  await expect.poll(async () => Math.round((await pane.boundingBox())!.width)).toBe(dragged + 24);
  await expect(handle).toHaveAttribute("aria-valuenow", String(dragged + 24));
  await page.keyboard.press("ArrowRight");
  await expect.poll(async () => Math.round((await pane.boundingBox())!.width)).toBe(dragged);

  // Remembered: the same width after a reload, and in another view.
  await page.reload();
  await page.getByTestId("record-row").first().click();
  await expect.poll(async () => Math.round((await page.getByTestId("record-detail").boundingBox())!.width)).toBe(dragged);
  await page.getByTestId("nav-operations").click();
  await page.getByTestId("op-row").first().click();
  await expect.poll(async () => Math.round((await page.getByTestId("op-detail").boundingBox())!.width)).toBe(dragged);

  // Enter on the handle folds the pane away: the file:line column comes on screen; the strip's button brings the pane back.
  await page.getByTestId("pane-handle").focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("op-detail")).toHaveCount(0);
  await expect(page.getByTestId("ops-table").getByRole("columnheader", { name: "file:line" })).toBeInViewport({ ratio: 1 });
  await page.screenshot({ path: join(SCREENSHOTS, "pane-folded-1024x700.png") });
  await page.getByTestId("pane-expand").click();
  await expect(page.getByTestId("op-detail")).toBeVisible();
});
