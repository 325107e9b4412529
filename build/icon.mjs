// `node build/icon.mjs`: draws the app icon (512x512 PNG, written with zlib
// alone) into build/icons/icon.png: a dark rounded square with three log
// lines, the last one highlighted, like a WAL's newest op.
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const SIZE = 512;

function crc32(buf) {
  let c;
  let crc = 0xffffffff;
  for (const byte of buf) {
    c = (crc ^ byte) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function inRoundedSquare(x, y, margin, radius) {
  const lo = margin + radius;
  const hi = SIZE - margin - radius;
  const dx = x < lo ? lo - x : x > hi ? x - hi : 0;
  const dy = y < lo ? lo - y : y > hi ? y - hi : 0;
  return x >= margin && x < SIZE - margin && y >= margin && y < SIZE - margin && dx * dx + dy * dy <= radius * radius;
}

const lines = [
  { y: 150, x0: 110, x1: 400, rgb: [120, 140, 170] },
  { y: 236, x0: 110, x1: 330, rgb: [120, 140, 170] },
  { y: 322, x0: 110, x1: 402, rgb: [90, 200, 160] },
];

function pixel(x, y) {
  if (!inRoundedSquare(x, y, 24, 96)) return [0, 0, 0, 0];
  for (const line of lines) {
    if (y >= line.y && y < line.y + 44 && x >= line.x0 && x < line.x1) return [...line.rgb, 255];
  }
  return [28, 34, 48, 255];
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  raw[y * (SIZE * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) raw.set(pixel(x, y), y * (SIZE * 4 + 1) + 1 + x * 4);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(raw, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
writeFileSync(new URL("icons/icon.png", import.meta.url), png);
console.log(`build/icons/icon.png: ${SIZE}x${SIZE}, ${png.length} bytes`);
