/**
 * A WAL cut into segments, so that two scan workers can parse one WAL at the
 * same time. The cuts are byte offsets chosen without reading (every
 * SEGMENT_BYTES, or where a test says); a segment holds the lines that START
 * in [cut, next cut), a line starting at the file's start or after a newline
 * byte. A newline byte is never part of a multi-byte UTF-8 character, so
 * every segment is whole lines of the same bytes a single reader would see,
 * and each worker finds its segment's first line by itself. Reads only.
 */
import { open } from "node:fs/promises";
import { join } from "node:path";

/** Bytes per segment: each worker parses a few of these ahead of the merge. */
export const SEGMENT_BYTES = 2 * 1024 * 1024;

/** Where test code may cut each WAL (by its path in the store), instead of every SEGMENT_BYTES. */
export type WalCuts = Record<string, number[]>;

/** The segments' first bytes, as cut (0 first): every SEGMENT_BYTES up to `bytes`, or the cuts given, in order. */
export function segmentCuts(bytes: number, given?: number[]): number[] {
  if (given) return [0, ...[...new Set(given)].filter((c) => c > 0).sort((a, b) => a - b)];
  const cuts = [0];
  for (let c = SEGMENT_BYTES; c < bytes; c += SEGMENT_BYTES) cuts.push(c);
  return cuts;
}

const SEARCH_BYTES = 64 * 1024;

/**
 * Where the first line starting in [from, to) begins: after the first newline
 * at or after from - 1, if it comes before to - 1; null if no line starts
 * there (a long line runs through the segment: the one where it starts reads it).
 */
export async function segmentStart(dir: string, path: string, from: number, to: number | null): Promise<number | null> {
  if (from === 0) return 0;
  const fh = await open(join(dir, path), "r");
  try {
    const last = to === null ? Infinity : to - 1; // a newline at to - 1 starts the next segment's first line
    const buffer = Buffer.allocUnsafe(SEARCH_BYTES);
    for (let at = from - 1; at < last; ) {
      const { bytesRead } = await fh.read(buffer, 0, Math.min(SEARCH_BYTES, last - at), at);
      if (bytesRead === 0) return null;
      const nl = buffer.subarray(0, bytesRead).indexOf(0x0a);
      if (nl !== -1) return at + nl + 1;
      at += bytesRead;
    }
    return null;
  } finally {
    await fh.close();
  }
}
