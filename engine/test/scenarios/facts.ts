// The facts any store offers a test, read straight off the disk after a
// scenario is built: the manifest, every raw WAL line (file, 1-based line,
// the op it parses to or null), the snapshot and archive files, and what the
// published opslog reads. Never computed with the inspector under test.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { publishedStateOfCopy } from "./published.js";
import type { Doc } from "./published.js";

export interface Manifest {
  currentSnapshot: string;
  activeOps: string;
  activeAgentOps?: Record<string, string>;
  archiveSegments: string[];
}

/** One line of a WAL file as written; `op` is null for a line that is not a valid op. */
export interface WalLine {
  file: string;
  /** 1-based */
  line: number;
  /** Byte offset of the line's start in the file */
  offset: number;
  text: string;
  op: RawOp | null;
}

export interface RawOp {
  ts: string;
  op: "set" | "delete";
  id: string;
  data?: Doc;
  prev?: Doc | null;
  encoding?: "full" | "delta";
  agent?: string;
  clock?: number;
}

export interface StoreFacts {
  dir: string;
  kind: "single-writer" | "multi-writer";
  manifest: Manifest;
  /** Every agent that wrote a WAL line, sorted ([] for a single-writer store) */
  agents: string[];
  /** The current records as the published opslog reads them, sorted by id */
  state: [string, Doc][];
  /** Every WAL file under ops/, as "ops/<name>", sorted */
  walFiles: string[];
  /** The WAL files the manifest names (activeOps, or the agents' activeAgentOps) */
  namedWals: string[];
  /** WAL files the manifest no longer names (left behind by compactions) */
  retiredWals: string[];
  /** Every line of every WAL file, file by file in walFiles order */
  walLines: WalLine[];
  snapshots: string[];
  archiveSegments: string[];
}

function parseOp(text: string): RawOp | null {
  try {
    const op = JSON.parse(text) as RawOp;
    return (op.op === "set" || op.op === "delete") && typeof op.id === "string" && typeof op.ts === "string" ? op : null;
  } catch {
    return null;
  }
}

async function listed(dir: string, sub: string): Promise<string[]> {
  return (await readdir(join(dir, sub)).catch(() => [] as string[])).map((name) => `${sub}/${name}`).sort();
}

/** The full value an op replaced (null: it created the record), a delta-encoded prev resolved against the op's data. */
export function previousValue(op: RawOp): Doc | null {
  if (op.encoding !== "delta" || !op.prev) return op.prev ?? null;
  const patch = op.prev as { $set?: Doc; $unset?: string[] };
  const before: Doc = { ...op.data, ...patch.$set };
  for (const key of patch.$unset ?? []) delete before[key];
  return before;
}

/** The raw lines of one WAL file (a trailing empty line is not a line). */
export async function walLinesOf(dir: string, file: string): Promise<WalLine[]> {
  const texts = (await readFile(join(dir, file), "utf-8")).split("\n");
  if (texts.at(-1) === "") texts.pop();
  let offset = 0;
  return texts.map((text, i) => {
    const at = offset;
    offset += Buffer.byteLength(text) + 1;
    return { file, line: i + 1, offset: at, text, op: parseOp(text) };
  });
}

/** Read every fact of the store in dir off the disk. */
export async function observe(dir: string): Promise<StoreFacts> {
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as Manifest;
  const multiWriter = manifest.activeAgentOps !== undefined && Object.keys(manifest.activeAgentOps).length > 0;
  const walFiles = (await listed(dir, "ops")).filter((f) => f.endsWith(".jsonl"));
  const namedWals = multiWriter ? Object.values(manifest.activeAgentOps!).sort() : [manifest.activeOps];
  const walLines = (await Promise.all(walFiles.map((f) => walLinesOf(dir, f)))).flat();
  const agents = [...new Set(walLines.flatMap((l) => (l.op?.agent ? [l.op.agent] : [])))].sort();
  return {
    dir,
    kind: multiWriter ? "multi-writer" : "single-writer",
    manifest,
    agents,
    state: await publishedStateOfCopy(dir, multiWriter),
    walFiles,
    namedWals,
    retiredWals: walFiles.filter((f) => !namedWals.includes(f)),
    walLines,
    snapshots: (await listed(dir, "snapshots")).filter((f) => !f.endsWith(".tmp")),
    archiveSegments: [...manifest.archiveSegments].sort(),
  };
}

/**
 * The states after each op of an uncompacted multi-writer store (empty
 * snapshot), replayed from the raw lines of every WAL under ops/ in opslog's
 * (clock, agent) order: states[0] is empty, states[k] follows the k-th op.
 */
export async function replayAgentWals(dir: string): Promise<Map<string, Doc>[]> {
  const ops: RawOp[] = [];
  for (const file of await listed(dir, "ops")) for (const line of await walLinesOf(dir, file)) if (line.op) ops.push(line.op);
  ops.sort((a, b) => (a.clock ?? 0) - (b.clock ?? 0) || ((a.agent ?? "") < (b.agent ?? "") ? -1 : (a.agent ?? "") > (b.agent ?? "") ? 1 : 0));
  const states = [new Map<string, Doc>()];
  for (const op of ops) {
    const next = new Map(states[states.length - 1]);
    if (op.op === "set") next.set(op.id, op.data!);
    else next.delete(op.id);
    states.push(next);
  }
  return states;
}
