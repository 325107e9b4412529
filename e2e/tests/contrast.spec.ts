/**
 * Every text the user can read meets WCAG AA (4.5:1 against what is behind it)
 * in both colour schemes, on every view of the demo store with a record, an op
 * and a record's JSON open. Colours are read from the rendered styles, the
 * background found by walking up to the first opaque ancestor.
 */
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { demoStoreCopy, expect, SCREENSHOTS, test } from "../fixtures";

interface LowContrast {
  text: string;
  where: string;
  color: string;
  background: string;
  ratio: number;
}

/** Runs in the page: every element with its own visible text whose contrast is under 4.5:1. */
function lowContrastTexts(): LowContrast[] {
  type Rgba = [number, number, number, number];
  const parse = (css: string): Rgba => {
    // "rgb(r, g, b)", "rgba(r, g, b, a)", or "color(srgb r g b / a)" (what color-mix() computes to), channels 0-1
    const m = css.replace(/^color\(srgb/, "").match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0];
    const scale = css.startsWith("color(srgb") ? 255 : 1;
    return [m[0] * scale, m[1] * scale, m[2] * scale, m.length > 3 ? m[3] : 1];
  };
  const over = (top: Rgba, bottom: Rgba): Rgba => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1) as Rgba;
  const luminance = ([r, g, b]: Rgba): number => {
    const lin = (c: number) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const backgroundOf = (el: Element): Rgba => {
    const layers: Rgba[] = [];
    for (let e: Element | null = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] >= 1) break;
    }
    return layers.reduceRight<Rgba>((below, layer) => over(layer, below), [255, 255, 255, 1]);
  };
  const found: LowContrast[] = [];
  for (const el of Array.from(document.querySelectorAll("body *"))) {
    const own = Array.from(el.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== "").map((n) => n.textContent!.trim()).join(" ");
    if (!own) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0 || rect.bottom < 0 || rect.top > innerHeight) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || el.closest("[disabled], [aria-hidden=true]")) continue; // WCAG exempts inactive controls
    let opacity = 1;
    for (let e: Element | null = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
    const background = backgroundOf(el);
    const fg = parse(style.color);
    const color = over([fg[0], fg[1], fg[2], fg[3] * opacity], background);
    const [hi, lo] = [luminance(color), luminance(background)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    if (ratio < 4.5) found.push({ text: own.slice(0, 40), where: `${el.tagName.toLowerCase()}.${el.className}`.slice(0, 60), color: style.color, background: `rgb(${background.slice(0, 3).map(Math.round).join(",")})`, ratio: Math.round(ratio * 100) / 100 });
  }
  return found;
}

async function check(page: Page, scheme: string, view: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `contrast-${scheme}-${view}.png`) });
  const low = await page.evaluate(lowContrastTexts);
  expect.soft(low.length, `${scheme} ${view}: texts under 4.5:1\n${low.map((l) => `  ${l.ratio}  "${l.text}" ${l.where} ${l.color} on ${l.background}`).join("\n")}`).toBe(0);
}

for (const scheme of ["light", "dark"] as const) {
  test(`every text on every view has a contrast of at least 4.5:1 in the ${scheme} scheme`, async ({ page, workDir, explorer }) => {
    const server = await explorer(await demoStoreCopy(workDir));
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(server.url);
    await page.getByTestId("record-row").first().click();
    await expect(page.getByTestId("record-detail")).toBeVisible();
    await expect(page.getByTestId("history-item").first()).toBeVisible();
    await check(page, scheme, "records");
    await page.getByTestId("records-tab-schema").click();
    await expect(page.getByTestId("schema-field").first()).toBeVisible();
    await check(page, scheme, "schema");
    await page.getByTestId("records-tab-documents").click();

    await page.getByTestId("nav-operations").click();
    await page.getByTestId("op-row").nth(3).click();
    await expect(page.getByTestId("op-detail")).toBeVisible();
    await check(page, scheme, "operations");

    await page.getByTestId("nav-agents").click();
    await expect(page.getByTestId("conflict-item").first()).toBeVisible();
    await check(page, scheme, "agents");

    await page.getByTestId("nav-archive").click();
    await page.getByTestId("archive-row").first().click();
    await check(page, scheme, "archive");

    await page.getByTestId("nav-history").click();
    await expect(page.getByTestId("chain-link").first()).toBeVisible();
    await check(page, scheme, "history");

    await page.getByTestId("nav-timeline").click();
    await expect(page.getByTestId("state-row").first()).toBeVisible();
    await check(page, scheme, "timeline");

    await page.getByTestId("warnings-badge").click();
    await check(page, scheme, "warnings");
  });
}
