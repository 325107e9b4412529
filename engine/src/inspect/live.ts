/**
 * Following a store that other processes write, one poll at a time. The rule:
 * after any poll, every answer equals what a fresh open of the same bytes
 * gives. A poll looks at the directory again (manifest, file lists, leftover
 * files, locks) and at every WAL: its identity (inode, size, mtime, ctime) and
 * a hash of the last lines already read. Complete lines appended to a live WAL
 * in replay order are read and replayed; anything else means the history is
 * built again: a compaction, a new or vanished file, a retired WAL that grew,
 * or bytes already read that changed (opslog's undo() truncates the last line
 * and the next append takes its place, so the file never looks shorter).
 * Reads only; never writes.
 */
import { createHash } from "node:crypto";
import { open, stat } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { compareOps } from "./order.js";
import { jsonEqual } from "./json.js";
import { storeKind } from "./build.js";
import { addToIndex, incompleteLastLine, indexOp } from "./link-replay.js";
import type { StoreIndex, Lane } from "./store-index.js";
import { scanDirectory } from "./scan.js";
import type { DirectoryScan } from "./scan.js";
import { lineHash, parseOp, readWalLines } from "./walscan.js";
import type { ScannedOp, WalRead } from "./walscan.js";
import type { LockInfo } from "./types.js";

/** At least this much of a WAL's end (and always its whole last line) is hashed. */
const TAIL_BYTES = 4096;
/**
 * A file modified this close to when it was last looked at may change again
 * within the same mtime tick, keeping its size and mtime: its bytes are
 * compared on every poll until it has been still for this long (git's "racy clean").
 */
const RACY_MS = 2000;
const NEWLINE = 0x0a;

/** A file as stat saw it: what changes when it is written or replaced. */
interface FileIdentity {
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

/** What a poll knows of one WAL: its identity when last looked at, and a hash of the end of what was read. */
export interface WalMark extends FileIdentity {
  /** Date.now() just before the stat: how recent the mtime was when seen */
  seenAt: number;
  /** The hashed region [from, end): end is the lane's end when marked */
  from: number;
  end: number;
  hash: string;
  /** The file could not be read when marked (e.g. permission denied) */
  readable: boolean;
  /** The last op read no longer stood in the file when marked (a write raced the read): rebuild */
  suspect: boolean;
}

/** What a poll found: the history must be built again; or how many ops it replayed, and whether anything else a summary shows changed (locks, bad lines). */
export type PollResult = { rebuild: true } | { rebuild: false; newOps: number; summaryChanged: boolean };

/** New lines read from one live WAL, not yet added to the index. */
interface LaneTail {
  lane: Lane;
  read: WalRead;
  /** The lane ended with an incomplete line, read again now */
  incomplete: boolean;
  /** The file's size when looked at */
  size: number;
}

const REBUILD: PollResult = { rebuild: true };

export class LiveTail {
  private outside: Set<number> | null = null;

  private constructor(
    private readonly dir: string,
    private readonly marks: Map<Lane, WalMark>,
    private readonly archives: Map<string, FileIdentity | null>,
    private locks: LockInfo[],
  ) {}

  /** Take note of what `h` was built from, to tell on each poll what has changed since. */
  static async start(dir: string, h: StoreIndex): Promise<LiveTail> {
    const marks = new Map<Lane, WalMark>();
    for (const lane of h.lanes) marks.set(lane, await markLane(dir, lane.entry.path, lane.end, lastIndexed(h, lane)));
    const archives = new Map<string, FileIdentity | null>();
    for (const a of h.scan.archives) archives.set(a.path, await identity(join(dir, a.path)));
    return new LiveTail(dir, marks, archives, h.scan.locks);
  }

  /** Bring `h` up to date with the disk by tailing its live WALs, or say that it must be built again. */
  async poll(h: StoreIndex): Promise<PollResult> {
    if (h.reader.stale) return REBUILD;
    const scan = await scanDirectory(this.dir);
    if (!sameLayout(h.scan, scan)) return REBUILD;
    for (const [path, known] of this.archives) if (!sameIdentity(known, await identity(join(this.dir, path)))) return REBUILD;
    const locksChanged = !jsonEqual(this.locks, scan.locks);
    this.locks = scan.locks;
    const tails: LaneTail[] = [];
    for (const lane of h.lanes) {
      const tail = await this.check(h, lane);
      if (tail === "rebuild") return REBUILD;
      if (tail) tails.push(tail);
    }
    const fresh = tails.flatMap((t) => t.read.ops);
    // A line torn by opslog's undo holds a lost write: listed by a build, as every lost write is.
    if (fresh.some((op) => op.tornByUndo)) return REBUILD;
    if (fresh.length > 0 && !inReplayOrder(h, fresh)) return REBUILD;
    // Whether an op outside the history is lost depends on the current state of its record: judged again by a build.
    if (fresh.some((op) => this.outsideHistory(h).has(h.versions.recOf(op.id) ?? -1))) return REBUILD;
    const marks: WalMark[] = [];
    for (const { lane, read } of tails) {
      const last = read.ops.at(-1);
      const mark = await markLane(this.dir, lane.entry.path, read.end, last ?? lastIndexed(h, lane));
      if (mark.suspect) return REBUILD; // rewritten while it was read
      marks.push(mark);
    }
    // From here on nothing waits: a query never sees the new ops indexed but not yet replayed.
    const badLines = () => JSON.stringify(tails.map((t) => t.lane.skipped));
    const badBefore = badLines();
    tails.forEach((tail, i) => {
      commit(h, tail);
      this.marks.set(tail.lane, marks[i]);
    });
    const summaryChanged = locksChanged || badLines() !== badBefore;
    if (fresh.length === 0) return { rebuild: false, newOps: 0, summaryChanged };
    if (fresh.some((op) => op.clock !== null)) fresh.sort(compareOps);
    const live = h.links[h.links.length - 1];
    const from = h.timeline.length;
    for (const op of fresh) indexOp(h, op, live.epoch);
    live.endPos = h.timeline.length;
    h.kind = storeKind(h, { kind: h.kind, until: from });
    return { rebuild: false, newOps: fresh.length, summaryChanged };
  }

  /** Records that ops outside the history (lost-write candidates) write to; found once, when first needed. */
  private outsideHistory(h: StoreIndex): Set<number> {
    if (this.outside) return this.outside;
    this.outside = new Set();
    // Each op on the timeline is placed once (indexOp): when every op is on it, none is outside (no walk of a million entries).
    if (h.table.length === h.timeline.length) return this.outside;
    for (const lane of h.lanes) {
      for (let i = 0; i < lane.entries.length; i++) {
        const e = lane.entries.get(i);
        if (h.table.pos(e) === -1) this.outside.add(h.table.rec(e));
      }
    }
    return this.outside;
  }

  /**
   * Whether one WAL still holds what was read of it, and what a live WAL has
   * gained since: null when nothing, "rebuild" when the history is out of date.
   */
  private async check(h: StoreIndex, lane: Lane): Promise<LaneTail | null | "rebuild"> {
    const full = join(this.dir, lane.entry.path);
    const mark = this.marks.get(lane);
    const seenAt = Date.now();
    const now = await identity(full);
    if (!mark || !now || mark.suspect || now.ino !== mark.ino || now.size < mark.end) return "rebuild";
    const still = now.size === mark.size && now.mtimeMs === mark.mtimeMs && now.ctimeMs === mark.ctimeMs;
    if (!mark.readable) return still ? null : "rebuild";
    if (!lane.live && !still) return "rebuild"; // a retired WAL changed: lost writes appended to it, or worse
    if (!still || mark.seenAt - mark.mtimeMs < RACY_MS) {
      if (!(await regionIntact(full, mark))) return "rebuild";
      Object.assign(mark, now, { seenAt });
    }
    // A last line still without its newline was left unread: read again once the file has grown.
    const incomplete = lane.skipped.at(-1)?.line === lane.nextLine;
    if (incomplete && now.size === lane.end) return "rebuild"; // it was cut off: a fresh open no longer names it
    if (now.size === lane.end || (incomplete && still)) return null;
    if (!lane.live) return "rebuild"; // grown between its read and its mark
    // Its last op was read without a newline (undo cut it): what is appended now joins that line, which opslog then skips whole.
    if (lane.end > 0 && !(await endsWithNewline(full, lane.end))) return "rebuild";
    const read = await readWalLines(this.dir, lane.entry.path, h.lanes.indexOf(lane), lane.end, lane.nextLine, false);
    return { lane, read, incomplete, size: now.size };
  }
}

/** Whether the byte before `end` is a newline. */
async function endsWithNewline(path: string, end: number): Promise<boolean> {
  const fh = await open(path, "r");
  try {
    const byte = Buffer.alloc(1);
    await fh.read(byte, 0, 1, end - 1);
    return byte[0] === 0x0a;
  } finally {
    await fh.close();
  }
}

/** Add a live WAL's new lines to the index, and its bad lines to the lane's, as a build would. */
function commit(h: StoreIndex, tail: LaneTail): void {
  const { lane, read } = tail;
  if (tail.incomplete) lane.skipped.pop();
  for (const s of read.skipped) lane.skipped.push(s);
  addToIndex(h, lane, read.ops, () => true);
  lane.end = read.end;
  lane.nextLine = read.nextLine;
  if (lane.end < tail.size) lane.skipped.push(incompleteLastLine(lane.nextLine));
}

/** Whether the new ops all come after the last op of the timeline in opslog's replay order. */
function inReplayOrder(h: StoreIndex, fresh: ScannedOp[]): boolean {
  const total = h.timeline.length;
  if (total === 0) return true;
  const e = h.timeline.get(total - 1);
  const last = { clock: h.table.clock(e), agent: h.agents.names[h.table.agent(e)] };
  if (last.clock === null) return true;
  return fresh.every((op) => compareOps(op, last) >= 0);
}

/** The same manifest, snapshots, WAL names, archive segments and leftover files (locks aside). */
function sameLayout(a: DirectoryScan, b: DirectoryScan): boolean {
  const files = (list: { path: string; bytes: number }[], bytes: boolean) => list.map((f) => (bytes ? `${f.path}:${f.bytes}` : f.path)).join("\n");
  return (
    jsonEqual(a.manifest, b.manifest) &&
    files(a.snapshots, true) === files(b.snapshots, true) &&
    files(a.wals, false) === files(b.wals, false) &&
    files(a.archives, true) === files(b.archives, true) &&
    jsonEqual(a.warnings, b.warnings)
  );
}

async function identity(path: string): Promise<FileIdentity | null> {
  const info = await stat(path).catch(() => null);
  return info ? { ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs } : null;
}

function sameIdentity(a: FileIdentity | null, b: FileIdentity | null): boolean {
  return a === b || (a !== null && b !== null && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs);
}

function hashOf(bytes: Buffer): string {
  return createHash("sha1").update(bytes).digest("hex");
}

async function readRegion(fh: FileHandle, from: number, end: number): Promise<Buffer> {
  const buffer = Buffer.alloc(end - from);
  let got = 0;
  while (got < buffer.length) {
    const { bytesRead } = await fh.read(buffer, got, buffer.length - got, from + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buffer.subarray(0, got);
}

/** Whether the bytes a mark hashed are still the same. */
export async function regionIntact(full: string, mark: WalMark): Promise<boolean> {
  const fh = await open(full, "r").catch(() => null);
  if (!fh) return false;
  try {
    const region = await readRegion(fh, mark.from, mark.end);
    return region.length === mark.end - mark.from && hashOf(region) === mark.hash;
  } finally {
    await fh.close();
  }
}

/** What a WAL's last op read was: where it stands, and what it says. */
export type LastOp = Pick<ScannedOp, "offset" | "length" | "id" | "op" | "ts" | "clock" | "agent"> & Partial<Pick<ScannedOp, "data" | "rawPrev" | "lineHash">>;

/** The lane's last op as the index holds it (no data: the index keeps none). */
export function lastIndexed(h: StoreIndex, lane: Lane): LastOp | undefined {
  if (lane.entries.length === 0) return undefined;
  const { table } = h;
  const e = lane.entries.get(lane.entries.length - 1);
  const lineHash = lane.lastLong?.entry === e ? lane.lastLong.hash : undefined;
  return { offset: table.offset(e), length: table.length_(e), id: h.versions.ids.at(table.rec(e)), op: table.op(e), ts: table.ts(e), clock: table.clock(e), agent: h.agents.names[table.agent(e)], lineHash };
}

/**
 * Note a WAL's identity and hash the end of what was read of it, up to `end`:
 * at least TAIL_BYTES and the whole last line. The last op read is checked
 * against the bytes hashed, so that a rewrite between the read and the mark
 * cannot go unseen (suspect).
 */
export async function markLane(dir: string, path: string, end: number, last: LastOp | undefined): Promise<WalMark> {
  const full = join(dir, path);
  const seenAt = Date.now();
  const fh = await open(full, "r").catch(() => null);
  const now = fh ? await fh.stat().catch(() => null) : await stat(full).catch(() => null);
  const base = { ...(now ? { ino: now.ino, size: now.size, mtimeMs: now.mtimeMs, ctimeMs: now.ctimeMs } : { ino: -1, size: -1, mtimeMs: 0, ctimeMs: 0 }), seenAt, end };
  if (!fh || !now) {
    await fh?.close();
    return { ...base, from: end, hash: "", readable: false, suspect: false };
  }
  try {
    // From the newline before the last op read, if that is further back: a long last line is read once, not by doublings back from its end.
    let from = Math.max(0, Math.min(end - TAIL_BYTES, last ? last.offset - 1 : Infinity));
    for (;;) {
      const region = await readRegion(fh, from, end);
      if (region.length < end - from) return { ...base, from, hash: "", readable: true, suspect: true };
      // The newline before the last line: without one, the last line starts before `from`.
      if (from > 0 && region.subarray(0, region.length - 1).lastIndexOf(NEWLINE) === -1) {
        from = Math.max(0, from - 2 * (end - from));
        continue;
      }
      return { ...base, from, hash: hashOf(region), readable: true, suspect: !lastOpStands(region, from, last) };
    }
  } finally {
    await fh.close();
  }
}

/** Whether the last op read still stands at its offset, in the bytes just hashed. */
function lastOpStands(region: Buffer, from: number, last: LastOp | undefined): boolean {
  if (!last) return true;
  const at = last.offset - from;
  if (at < 0) return true; // bad lines after it fill the hashed region: they are what is checked
  // A long line read with its fingerprint: the same bytes are the same op, and far cheaper to tell than by parsing them again.
  if (last.lineHash !== undefined) return at + last.length <= region.length && lineHash(region.subarray(at, at + last.length)) === last.lineHash;
  const parsed = parseOp(region.subarray(at, at + last.length).toString("utf-8"));
  if (typeof parsed === "string") return false;
  const same = parsed.id === last.id && parsed.op === last.op && parsed.ts === last.ts && parsed.clock === last.clock && (parsed.agent ?? null) === (last.agent ?? null);
  return same && (last.data === undefined || (jsonEqual(parsed.data, last.data) && jsonEqual(parsed.rawPrev, last.rawPrev)));
}
