/**
 * The reference model's reading of a store folder, as plainly as FORMAT.md
 * puts it: the manifest, every snapshot (JSONL or JSON), every WAL split
 * into physical lines (each op with its 1-based line and byte offset), and
 * every archive segment. A line is an op when opslog 0.8.1's validateOp
 * would accept it; a line it skips that holds a whole op after a fragment is
 * a line torn by opslog's undo, and that op is kept apart. Shares no code
 * with engine/src, on purpose: it is what the inspector is checked against.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

export type Doc = Record<string, unknown>;

export interface RefOp {
  file: string;
  line: number;
  offset: number;
  ts: string;
  op: "set" | "delete";
  id: string;
  data: Doc | null;
  /** prev as written: a full record, a reverse patch (encoding "delta"), or null */
  rawPrev: Doc | null;
  encoding: "full" | "delta";
  agent: string | null;
  clock: number | null;
}

export interface RefWal {
  path: string;
  ms: number;
  /** From the file name (agent-<id>-<ms>.jsonl); null for ops-<ms>.jsonl */
  agent: string | null;
  /** Bytes through the last complete line */
  bytes: number;
  ops: RefOp[];
  /** Ops appended onto a line opslog's undo tore: the whole line is skipped by opslog */
  torn: RefOp[];
  /** Physical lines opslog skips (torn lines included; an unterminated last line only when it does not parse) */
  malformed: number;
}

export interface RefSnapshot {
  path: string;
  ms: number;
  timestamp: string;
  records: Map<string, Doc>;
}

export interface RefSegment {
  path: string;
  period: string;
  timestamp: string;
  records: Map<string, Doc>;
}

export interface RefManifest {
  currentSnapshot: string;
  activeOps: string;
  activeAgentOps?: Record<string, string>;
  archiveSegments: string[];
}

export interface RefFiles {
  manifest: RefManifest;
  snapshots: RefSnapshot[];
  wals: RefWal[];
  segments: RefSegment[];
}

const OP_START = '{"ts":"';

/** opslog 0.8.1's validateOp, as a yes/no. */
function isValidOp(o: unknown): o is Doc {
  if (typeof o !== "object" || o === null || Array.isArray(o)) return false;
  const x = o as Doc;
  if (typeof x.ts !== "string" || x.ts === "") return false;
  if (x.op !== "set" && x.op !== "delete") return false;
  if (typeof x.id !== "string" || x.id === "") return false;
  if (!Object.hasOwn(x, "prev")) return false;
  if (x.prev !== null && (typeof x.prev !== "object" || Array.isArray(x.prev))) return false;
  if (x.op === "set" && (!Object.hasOwn(x, "data") || x.data === null)) return false;
  if (x.op === "delete" && (x.prev === null || Object.hasOwn(x, "data"))) return false;
  if (Object.hasOwn(x, "encoding") && x.encoding !== "full" && x.encoding !== "delta") return false;
  if (Object.hasOwn(x, "agent") && (typeof x.agent !== "string" || x.agent === "")) return false;
  if (Object.hasOwn(x, "clock") && !(typeof x.clock === "number" && Number.isInteger(x.clock) && x.clock >= 0)) return false;
  return true;
}

function parseOp(text: string): Doc | null {
  try {
    const o: unknown = JSON.parse(text);
    return isValidOp(o) ? o : null;
  } catch {
    return null;
  }
}

function toRefOp(o: Doc, file: string, line: number, offset: number): RefOp {
  return {
    file, line, offset,
    ts: o.ts as string,
    op: o.op as "set" | "delete",
    id: o.id as string,
    data: o.op === "set" ? (o.data as Doc) : null,
    rawPrev: (o.prev as Doc | null) ?? null,
    encoding: o.encoding === "delta" ? "delta" : "full",
    agent: typeof o.agent === "string" ? o.agent : null,
    clock: typeof o.clock === "number" ? o.clock : null,
  };
}

/** One WAL, line by line (bytes, so offsets are byte offsets). */
export function readWalText(path: string, bytes: Buffer): Pick<RefWal, "ops" | "torn" | "malformed"> {
  const ops: RefOp[] = [];
  const torn: RefOp[] = [];
  let malformed = 0;
  let start = 0;
  for (let line = 1; start < bytes.length; line++) {
    const nl = bytes.indexOf(0x0a, start);
    const end = nl === -1 ? bytes.length : nl;
    const text = bytes.subarray(start, end).toString("utf-8");
    // An unterminated last line is read like any other, as opslog's readOps does (it trims the file and splits it on newlines): undo can leave one.
    if (text.trim() !== "") {
      const o = parseOp(text);
      if (o) ops.push(toRefOp(o, path, line, start));
      else {
        malformed++;
        // A fragment of the op undo cut, then a whole op appended onto it: opslog skips the line, op and all.
        // Searched in the bytes: the cut can split a character, which decoding would turn into U+FFFD (3 bytes for 1).
        const appended = appendedOp(bytes.subarray(start, end));
        if (appended) torn.push(toRefOp(appended.op, path, line, start + appended.at));
      }
    }
    start = end + 1;
  }
  return { ops, torn, malformed };
}

/** The whole op appended onto a line undo tore (after the fragment it left), and where it starts in the line's bytes; null if none. */
function appendedOp(raw: Buffer): { op: NonNullable<ReturnType<typeof parseOp>>; at: number } | null {
  for (let at = raw.indexOf(OP_START, 1); at !== -1; at = raw.indexOf(OP_START, at + 1)) {
    const op = parseOp(raw.subarray(at).toString("utf-8"));
    if (op) return { op, at };
  }
  return null;
}

async function list(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}

function readSnapshotText(path: string, ms: number, text: string): RefSnapshot {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  let first: Doc | null;
  try {
    first = JSON.parse(lines[0]) as Doc;
  } catch {
    first = null; // a pretty-printed JSON snapshot: its first line is just "{"
  }
  if (first === null || Object.hasOwn(first, "records")) {
    const whole = JSON.parse(text) as { timestamp: string; records: Doc };
    return { path, ms, timestamp: whole.timestamp, records: new Map(Object.entries(whole.records) as [string, Doc][]) };
  }
  const records = new Map<string, Doc>();
  for (const l of lines.slice(1)) {
    const { id, data } = JSON.parse(l) as { id: string; data: Doc };
    records.set(id, data);
  }
  return { path, ms, timestamp: first.timestamp as string, records };
}

/** Everything on disk that the model reads. */
export async function readFiles(dir: string): Promise<RefFiles> {
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as RefManifest;
  const snapshots: RefSnapshot[] = [];
  for (const name of await list(join(dir, "snapshots"))) {
    const m = /^snap-(\d+)\.jsonl?$/.exec(name);
    if (m) snapshots.push(readSnapshotText(`snapshots/${name}`, Number(m[1]), await readFile(join(dir, "snapshots", name), "utf-8")));
  }
  snapshots.sort((a, b) => a.ms - b.ms);
  const wals: RefWal[] = [];
  for (const name of await list(join(dir, "ops"))) {
    const agentName = /^agent-(.+)-(\d+)\.jsonl$/.exec(name);
    const single = /^ops-(\d+)\.jsonl$/.exec(name);
    if (!agentName && !single) continue;
    const bytes = await readFile(join(dir, "ops", name));
    const path = `ops/${name}`;
    // A lane's size as the explorer reads it: through its last complete line, or its unterminated last line when that is an op, or a line
    // undo tore with a whole op appended (undo cut that op's newline too); an unfinished line is not read yet.
    const lastNl = bytes.lastIndexOf(0x0a) + 1;
    const tail = bytes.subarray(lastNl);
    const complete = lastNl < bytes.length && (parseOp(tail.toString("utf-8")) || appendedOp(tail)) ? bytes.length : lastNl;
    wals.push({ path, ms: Number(agentName ? agentName[2] : single![1]), agent: agentName ? agentName[1] : null, bytes: complete, ...readWalText(path, bytes) });
  }
  // Oldest first; one ms: by name
  wals.sort((a, b) => a.ms - b.ms || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const segments: RefSegment[] = [];
  for (const name of await list(join(dir, "archive"))) {
    if (!/^archive-.*\.json$/.test(name)) continue;
    const s = JSON.parse(await readFile(join(dir, "archive", name), "utf-8")) as { period: string; timestamp: string; records: Doc };
    segments.push({ path: `archive/${name}`, period: s.period, timestamp: s.timestamp, records: new Map(Object.entries(s.records) as [string, Doc][]) });
  }
  return { manifest, snapshots, wals, segments };
}
