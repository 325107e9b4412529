// Stores torn by the published opslog's undo(), which truncates a WAL at a
// character index: with non-ASCII text before the cut it leaves a fragment of
// an earlier line, the next append lands on that fragment's physical line,
// and opslog skips the whole line on read. Each scenario returns what the
// writer wrote onto the torn line(s), read from the raw WAL bytes.
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { Store as Published } from "@backloghq/opslog";
import { scenario } from "./scenario.js";

type Doc = Record<string, unknown>;

/** A physical WAL line holding a fragment, then a whole op appended onto it. */
export interface TornLine {
  file: string;
  /** 1-based */
  line: number;
  /** What is left of the cut line before the appended op */
  fragment: string;
  /** Byte offset of the appended op in the file */
  offset: number;
  op: { ts: string; op: "set" | "delete"; id: string; data?: Doc; agent?: string };
}

const OP_START = '{"ts":"';

/** Every torn line of a WAL: a line that is not JSON, with a whole op after its first `{"ts":"` past the start. */
export async function tornLinesOf(dir: string, file: string): Promise<TornLine[]> {
  const bytes = await readFile(join(dir, file));
  const out: TornLine[] = [];
  let start = 0;
  for (let line = 1; start < bytes.length; line++) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    const text = bytes.toString("utf-8", start, end);
    let whole = true;
    try {
      JSON.parse(text);
    } catch {
      whole = false;
    }
    // The op appended last is whole from one of the line's later `{"ts":"` to its end.
    for (let at = bytes.subarray(start, end).indexOf(OP_START, 1); !whole && at !== -1; at = bytes.subarray(start, end).indexOf(OP_START, at + 1)) {
      try {
        const op = JSON.parse(bytes.toString("utf-8", start + at, end)) as TornLine["op"];
        out.push({ file, line, fragment: bytes.toString("utf-8", start, start + at), offset: start + at, op });
        break;
      } catch {
        // an earlier op's remains: look further on
      }
    }
    start = end + 1;
  }
  return out;
}

async function activeWal(dir: string): Promise<string> {
  return (JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { activeOps: string }).activeOps;
}

/** The bytes of the line opslog writes for a first set of `id` to `data` (its ts is always 24 characters). */
async function lineBytes(dir: string, id: string, data: Doc): Promise<number> {
  const probe = join(dir, "probe");
  const store = new Published<Doc>();
  await store.open(probe, { checkpointOnClose: false });
  await store.set(id, data);
  await store.close();
  const bytes = (await readFile(join(probe, await activeWal(probe)))).length - 1;
  await rm(probe, { recursive: true, force: true });
  return bytes;
}

/**
 * z holds n coffee cups (2 extra bytes each), then a, b; undo b cuts 2n
 * bytes short: into a, leaving its first `fragment` bytes, onto which c lands.
 */
async function writeShortFragment(dir: string, fragment: number): Promise<{ torn: TornLine[]; fragmentBytes: number }> {
  await mkdir(dir, { recursive: true });
  const a = { title: "plain", pad: "" };
  let aBytes = await lineBytes(dir, "a", a);
  if ((aBytes + 1 - fragment) % 2 !== 0) {
    a.pad = "x";
    aBytes++;
  }
  const cups = (aBytes + 1 - fragment) / 2;
  const store = new Published<Doc>();
  await store.open(dir, { checkpointOnClose: false });
  await store.set("z", { title: "☕".repeat(cups) });
  await store.set("a", a);
  await store.set("b", { title: "bee" });
  await store.undo();
  await store.set("c", { title: "sea ☕" });
  await store.set("d", { title: "after" });
  await store.close();
  return { torn: await tornLinesOf(dir, await activeWal(dir)), fragmentBytes: fragment };
}

/** Thirty sets of non-ASCII text with an undo after every third, and a last set: several torn lines, later ops on lines of their own. */
async function writeManyUndos(dir: string): Promise<{ torn: TornLine[] }> {
  const store = new Published<Doc>();
  await store.open(dir, { checkpointOnClose: false });
  for (let i = 0; i < 30; i++) {
    await store.set(`r${i % 7}`, { title: `tâche n°${i} ☕`, n: i });
    if (i % 3 === 2) await store.undo();
  }
  await store.set("last", { title: "done" });
  await store.close();
  return { torn: await tornLinesOf(dir, await activeWal(dir)) };
}

export const tornByUndoShortFragment = scenario(
  "tornByUndoShortFragment",
  "single writer: z (many ☕), a, b set; undo b cuts into a, leaving only its first 3 bytes ('{\"t'); c is appended onto them on the same line; d set after",
  (dir) => writeShortFragment(dir, 3),
);

export const tornByUndoManyUndos = scenario(
  "tornByUndoManyUndos",
  "single writer: thirty sets of non-ASCII text over seven ids, an undo after every third, then one last set: several lines torn by undo, each with an op appended onto it",
  writeManyUndos,
);
