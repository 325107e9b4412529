// The store's timeline read straight off the raw files, for tests that check
// what a sentence says about "op #N": the chain of snapshots (by the ms in
// their names), each followed by the WALs created from its ms until the
// next snapshot's, their ops up to that snapshot's timestamp (later ones
// were appended after the compaction had read the store: lost), in opslog's
// order (file order for one writer; (clock, agent) across agents). Ops are
// numbered from 1, as the UI numbers them. Never computed with the inspector.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { walLinesOf } from "./facts.js";
import type { RawOp, StoreFacts } from "./facts.js";

/** One op of the timeline: its number (from 1), where it is written, and which link of the chain it is in. */
export interface NumberedOp {
  n: number;
  file: string;
  line: number;
  link: number;
  op: RawOp;
}

export interface RawTimeline {
  ops: NumberedOp[];
  /** Per link, the number of the last op before the compaction that ended it (0 for none) */
  linkEnds: number[];
  /** The link of the chain a WAL file belongs to (a lost op's too: it was written after that link's compaction) */
  link(file: string): number;
}

const msOf = (path: string) => Number(/-(\d+)\.jsonl?$/.exec(path)?.[1] ?? NaN);

async function snapshotTime(dir: string, path: string): Promise<number> {
  const text = await readFile(join(dir, path), "utf-8").catch((err: NodeJS.ErrnoException) => (err.code === "ENOENT" ? null : Promise.reject(err)));
  if (text === null) return msOf(path); // a missing snapshot: opslog names it by the ms it was written
  const first = text.slice(0, text.indexOf("\n") === -1 ? text.length : text.indexOf("\n"));
  try {
    return Date.parse((JSON.parse(first) as { timestamp: string }).timestamp);
  } catch {
    return Date.parse((JSON.parse(text) as { timestamp: string }).timestamp); // a pretty-printed JSON snapshot
  }
}

/** The timeline of a store, as its raw files tell (a missing snapshot's time from its name). */
export async function rawTimeline(facts: StoreFacts): Promise<RawTimeline> {
  const snaps = [...facts.snapshots].sort((a, b) => msOf(a) - msOf(b));
  const times = await Promise.all(snaps.map((s) => snapshotTime(facts.dir, s)));
  const linkOfFile = (file: string) => snaps.filter((s) => msOf(s) <= msOf(file)).length - 1;
  const ops: NumberedOp[] = [];
  const linkEnds: number[] = [];
  for (let link = 0; link < snaps.length; link++) {
    const until = link + 1 < snaps.length ? times[link + 1] : Infinity;
    const files = facts.walFiles.filter((f) => Math.max(0, linkOfFile(f)) === link);
    const mine = (await Promise.all(files.map((f) => walLinesOf(facts.dir, f)))).flat().filter((l) => l.op !== null && Date.parse(l.op.ts) <= until);
    if (facts.kind === "multi-writer") mine.sort((a, b) => (a.op!.clock ?? 0) - (b.op!.clock ?? 0) || ((a.op!.agent ?? "") < (b.op!.agent ?? "") ? -1 : (a.op!.agent ?? "") > (b.op!.agent ?? "") ? 1 : 0));
    for (const l of mine) ops.push({ n: ops.length + 1, file: l.file, line: l.line, link, op: l.op! });
    linkEnds.push(ops.length);
  }
  return { ops, linkEnds, link: (file) => Math.max(0, linkOfFile(file)) };
}
