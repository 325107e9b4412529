/**
 * Blobs in browser mode, on a store whose records and blobs the published
 * opslog wrote (Store + FsBackend.writeBlob): the list with sizes, previews
 * (image, JSON, text, hex read a range at a time) checked against the bytes
 * written, and a record's blob reference as a link to its preview.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import { FsBackend, Store } from "@backloghq/opslog";
import { expect, SCREENSHOTS, test } from "../fixtures";
import type { Doc } from "../fixtures";

/** A width x height RGBA PNG of a diagonal gradient, made here so the test owns every byte. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  const raw = Buffer.alloc(height * (1 + width * 4));
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set([x * 4, y * 4, 160, 255], y * (1 + width * 4) + 1 + x * 4);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

const BLOBS: Record<string, Buffer> = {
  "attachments/diagram.png": png(64, 48),
  "data/config.json": Buffer.from(JSON.stringify({ retries: 3, agents: ["planner", "worker"] })),
  "data/model.bin": Buffer.concat([Buffer.from([0, 1, 2, 3]), randomBytes(200 * 1024)]),
  "notes/readme.txt": Buffer.from("Blobs sit beside the records.\n"),
};

async function storeWithBlobs(parent: string): Promise<string> {
  const dir = join(parent, "blobs");
  const backend = new FsBackend();
  const store = new Store<Doc>();
  await store.open(dir, { backend, checkpointOnClose: false });
  for (const [path, bytes] of Object.entries(BLOBS)) await backend.writeBlob(path, bytes);
  await store.set("task-1", { title: "Draw the diagram", diagram: "attachments/diagram.png" });
  await store.set("task-2", { title: "No attachment" });
  await store.close();
  return dir;
}

/** The first row of `xxd`: offset, 16 bytes in hex, their printable characters. */
function hexRow(bytes: Buffer, offset: number): string {
  const row = bytes.subarray(offset, offset + 16);
  const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
  return `${offset.toString(16).padStart(8, "0")}  ${Array.from(row, (b) => b.toString(16).padStart(2, "0")).join(" ")}  ${ascii}`;
}

test("the Blobs view lists every blob with its size and previews each as what it is", async ({ page, workDir, explorer }) => {
  const server = await explorer(await storeWithBlobs(workDir));
  await page.goto(server.url);
  await page.getByTestId("nav-blobs").click();
  await expect(page.getByTestId("blobs-total")).toHaveText("4 blobs");
  const rows = page.getByTestId("blob-row");
  await expect(rows).toHaveCount(4);
  for (const [path, bytes] of Object.entries(BLOBS)) {
    const row = rows.filter({ hasText: path });
    await expect(row.locator(`[title="${bytes.length.toLocaleString("en-US")} bytes"]`)).toHaveCount(1);
  }

  await rows.filter({ hasText: "notes/readme.txt" }).click();
  await expect(page.getByTestId("blob-text")).toHaveText(BLOBS["notes/readme.txt"].toString());
  await rows.filter({ hasText: "data/config.json" }).click();
  await expect(page.getByTestId("blob-json")).toContainText("retries");
  await expect(page.getByTestId("blob-json")).toContainText("planner");

  const model = BLOBS["data/model.bin"];
  await rows.filter({ hasText: "data/model.bin" }).click();
  await expect(page.getByTestId("blob-range")).toContainText(`bytes 0–65,536 of ${model.length.toLocaleString("en-US")}`);
  expect((await page.getByTestId("blob-hex").textContent())!.split("\n")[0]).toBe(hexRow(model, 0));
  await page.getByTestId("blob-next").click();
  await expect(page.getByTestId("blob-range")).toContainText("bytes 65,536–131,072");
  expect((await page.getByTestId("blob-hex").textContent())!.split("\n")[0]).toBe(hexRow(model, 65536));
  await page.screenshot({ path: join(SCREENSHOTS, "blobs-hex.png") });

  await rows.filter({ hasText: "attachments/diagram.png" }).click();
  const image = page.getByTestId("blob-image");
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([64, 48]);
  await page.screenshot({ path: join(SCREENSHOTS, "blobs-image.png") });
});

test("a record's value that names a blob is a link to its preview", async ({ page, workDir, explorer }) => {
  const server = await explorer(await storeWithBlobs(workDir));
  await page.goto(server.url);
  await page.getByTestId("record-row").filter({ hasText: "task-2" }).click();
  await expect(page.getByTestId("record-detail")).toContainText("No attachment");
  await expect(page.getByTestId("blob-links")).toHaveCount(0);
  await page.getByTestId("record-row").filter({ hasText: "task-1" }).click();
  await expect(page.getByTestId("blob-link")).toHaveText(["attachments/diagram.png"]);
  await page.screenshot({ path: join(SCREENSHOTS, "blob-link.png") });
  await page.getByTestId("blob-link").click();
  await expect(page.getByTestId("nav-blobs")).toHaveClass(/active/);
  await expect(page.getByTestId("blob-detail")).toContainText("attachments/diagram.png");
  await expect(page.getByTestId("blob-image")).toBeVisible();
});

test("a file of control bytes previews as hex, not as text; an 8×8 PNG is drawn scaled up, pixelated", async ({ page, workDir, explorer }) => {
  const dir = join(workDir, "odd-blobs");
  const bells = Buffer.alloc(200 * 1024, 0x07); // 200 KB of BEL: valid UTF-8, no NUL, and no text
  const backend = new FsBackend();
  const store = new Store<Doc>();
  await store.open(dir, { backend, checkpointOnClose: false });
  await backend.writeBlob("logs/bells.txt", bells);
  await backend.writeBlob("icons/dot.png", png(8, 8));
  await store.set("task-1", { title: "Has an icon", icon: "icons/dot.png" });
  await store.close();
  const server = await explorer(dir);
  await page.goto(server.url);
  await page.getByTestId("nav-blobs").click();

  await page.getByTestId("blob-row").filter({ hasText: "logs/bells.txt" }).click();
  await expect(page.getByTestId("blob-range")).toContainText("binary");
  await expect(page.getByTestId("blob-hex")).toContainText(hexRow(bells, 0));
  await expect(page.getByTestId("blob-text")).toHaveCount(0);
  // The hex dump stays inside its pane (it scrolls there), not a line running past it.
  const pane = (await page.getByTestId("blob-detail").boundingBox())!;
  const hex = (await page.getByTestId("blob-hex").boundingBox())!;
  expect(hex.x + hex.width).toBeLessThanOrEqual(pane.x + pane.width + 1);

  await page.getByTestId("blob-row").filter({ hasText: "icons/dot.png" }).click();
  const image = page.getByTestId("blob-image");
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([8, 8]);
  await expect.poll(async () => Math.round((await image.boundingBox())?.width ?? 0), { message: "drawn at 32×: 256 px" }).toBe(256);
  expect(await image.evaluate((img) => getComputedStyle(img).imageRendering)).toBe("pixelated");
  await expect(page.getByTestId("blob-image-size")).toHaveText("8 × 8 px, drawn 32× (pixelated)");
  await page.screenshot({ path: join(SCREENSHOTS, "blobs-small-image.png") });
});
