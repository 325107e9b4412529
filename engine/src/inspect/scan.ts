/**
 * What is on disk, read without writing or locking: the manifest (tolerantly),
 * snapshots, WAL files, archive segments, lock files and leftover *.tmp files.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { OpslogError } from "../errors.js";
import { isProcessAlive, readLockPid } from "../lock.js";
import { checkManifestPaths } from "../manifest.js";
import { validateManifest } from "../validate.js";
import type { Manifest } from "../types.js";
import type { LockInfo, StoreWarning } from "./types.js";
import { unreadablePathWarning } from "./unreadable.js";
import { unreadableFrom } from "./walscan.js";
import type { UnreadableFile } from "./walscan.js";

export interface FileEntry {
  /** Path relative to the store dir, e.g. "ops/agent-a-1700000000000.jsonl" */
  path: string;
  bytes: number;
  /** The ms timestamp in the file name, when it has one */
  ms: number | null;
  /** Named by the manifest but not on disk (a current snapshot someone removed): its place in the chain is known, its contents are not */
  missing?: boolean;
}

export interface WalEntry extends FileEntry {
  /** Agent id from the file name (agent-<id>-<ms>.jsonl); null for ops-<ms>.jsonl */
  agent: string | null;
}

export interface DirectoryScan {
  manifest: Manifest;
  manifestMtime: number;
  snapshots: FileEntry[];
  wals: WalEntry[];
  archives: FileEntry[];
  locks: LockInfo[];
  warnings: StoreWarning[];
}

const SNAPSHOT_NAME = /^snap-(\d+)\.jsonl?$/;
// On S3 (opslog-s3 0.1.1+) a WAL is a folder of batch objects named without .jsonl (wal-<ms> for a single writer), mirrored as one file.
const AGENT_WAL_NAME = /^agent-(.+)-(\d+)(?:\.jsonl)?$/;
const WAL_NAME = /^(?:ops|wal)-(\d+)(?:\.jsonl)?$/;

/** The files of a sub-folder; what exists but cannot be looked at goes into `unreadable`, by path. */
async function listDir(dir: string, sub: string, unreadable?: Map<string, UnreadableFile>): Promise<{ name: string; bytes: number; mtime: number }[]> {
  let names: string[];
  try {
    names = await readdir(join(dir, sub));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") unreadable?.set(sub, unreadableFrom(err)); // absent reads as empty
    return [];
  }
  const out = [];
  for (const name of names) {
    try {
      const info = await stat(join(dir, sub, name));
      if (info.isFile()) out.push({ name, bytes: info.size, mtime: info.mtimeMs });
    } catch (err) {
      // ENOENT: vanished between readdir and stat (another process is compacting)
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") unreadable?.set(`${sub}/${name}`, unreadableFrom(err));
    }
  }
  return out;
}

/** Read and validate manifest.json, explaining what to do when it is absent or damaged. */
export async function readManifestTolerantly(dir: string): Promise<{ manifest: Manifest; mtime: number }> {
  const path = join(dir, "manifest.json");
  let content: string;
  let mtime: number;
  try {
    mtime = (await stat(path)).mtimeMs;
    content = await readFile(path, "utf-8");
  } catch {
    const top = await listDir(dir, ".");
    if (top.some((f) => f.name === "manifest.json.tmp")) {
      throw new OpslogError("half-written", `${dir} is half-written: manifest.json.tmp exists but manifest.json does not (a crash during the store's first write?). Check manifest.json.tmp and rename it to manifest.json if it is complete.`, { file: path });
    }
    throw new OpslogError("not-a-store", `${dir} is not an opslog store: it has no manifest.json. Choose the folder that contains manifest.json, snapshots/ and ops/.`, { file: path });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch (err) {
    throw new OpslogError("bad-manifest", `${path} is not valid JSON (${(err as Error).message}). Restore it from a backup, or look for manifest.json.tmp beside it.`, { file: path });
  }
  let manifest: Manifest;
  try {
    manifest = validateManifest(raw);
  } catch (err) {
    throw new OpslogError("bad-manifest", `${path}: ${(err as Error).message}. Fix that field, or restore the file from a backup.`, { file: path });
  }
  await checkManifestPaths(dir, manifest); // before any file it names is looked at
  return { manifest, mtime };
}

export async function scanDirectory(dir: string): Promise<DirectoryScan> {
  const { manifest, mtime } = await readManifestTolerantly(dir);
  const warnings: StoreWarning[] = [];
  const unreadable = new Map<string, UnreadableFile>();
  const listed = {
    snapshots: await listDir(dir, "snapshots", unreadable),
    ops: await listDir(dir, "ops", unreadable),
    archive: await listDir(dir, "archive", unreadable),
  };
  await addNamedInUnlisted(dir, manifest, unreadable, listed);
  const snapshots = listed.snapshots
    .filter((f) => SNAPSHOT_NAME.test(f.name))
    .map((f) => ({ path: `snapshots/${f.name}`, bytes: f.bytes, ms: Number(SNAPSHOT_NAME.exec(f.name)![1]) }));
  const wals: WalEntry[] = [];
  for (const f of listed.ops) {
    const agentMatch = AGENT_WAL_NAME.exec(f.name);
    const walMatch = WAL_NAME.exec(f.name);
    if (agentMatch) wals.push({ path: `ops/${f.name}`, bytes: f.bytes, ms: Number(agentMatch[2]), agent: agentMatch[1] });
    else if (walMatch) wals.push({ path: `ops/${f.name}`, bytes: f.bytes, ms: Number(walMatch[1]), agent: null });
  }
  const archives = listed.archive
    .filter((f) => f.name.startsWith("archive-") && f.name.endsWith(".json"))
    .map((f) => ({ path: `archive/${f.name}`, bytes: f.bytes, ms: null }));
  for (const [path, why] of unreadable) warnings.push(unreadablePathWarning(path, why));
  // A named file in a folder that cannot be read is unknown, not missing.
  const unknown = (path: string) => unreadable.has(path) || unreadable.has(path.slice(0, path.indexOf("/")));
  addNamedFiles(manifest, snapshots, wals, archives, warnings, unknown);
  snapshots.sort((a, b) => a.ms - b.ms || a.path.localeCompare(b.path));
  wals.sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0) || a.path.localeCompare(b.path));
  await findLeftoverTmp(dir, warnings);
  // Lock warnings are the summary's own: it reads the locks again each time, as they come and go.
  const locks = await readLocks(dir, []);
  return { manifest, manifestMtime: mtime, snapshots, wals, archives, locks, warnings };
}

/**
 * A folder that cannot be listed may still let a named file be read (no read
 * right on the folder, but the search right): the files the manifest names in
 * it are tried by name, and a read that fails is reported where it fails.
 */
async function addNamedInUnlisted(dir: string, manifest: Manifest, unreadable: Map<string, UnreadableFile>, listed: Record<"snapshots" | "ops" | "archive", { name: string; bytes: number; mtime: number }[]>): Promise<void> {
  const named = [manifest.currentSnapshot, manifest.activeOps, ...Object.values(manifest.activeAgentOps ?? {}), ...manifest.archiveSegments];
  for (const path of new Set(named)) {
    const slash = path.indexOf("/");
    const sub = path.slice(0, slash);
    const name = path.slice(slash + 1);
    if (!unreadable.has(sub) || !(sub in listed) || name.includes("/")) continue;
    const info = await stat(join(dir, path)).catch(() => null);
    listed[sub as keyof typeof listed].push({ name, bytes: info?.size ?? 0, mtime: info?.mtimeMs ?? 0 });
  }
}

/** Files the manifest names but that are missing (or oddly named) become warnings or entries. */
function addNamedFiles(manifest: Manifest, snapshots: FileEntry[], wals: WalEntry[], archives: FileEntry[], warnings: StoreWarning[], unknown: (path: string) => boolean): void {
  if (!snapshots.some((s) => s.path === manifest.currentSnapshot) && !unknown(manifest.currentSnapshot)) {
    // Kept in the chain where its name puts it: the history before it stands, the states after it are unknown (build.ts says which).
    const ms = msOfSnapshot(manifest.currentSnapshot);
    if (ms !== null) snapshots.push({ path: manifest.currentSnapshot, bytes: 0, ms, missing: true });
    warnings.push({ code: "missing-file", severity: "error", file: manifest.currentSnapshot, message: missingSnapshotMessage(manifest.currentSnapshot, null) });
  }
  const namedWals = [manifest.activeOps, ...Object.values(manifest.activeAgentOps ?? {})];
  for (const path of new Set(namedWals)) {
    if (wals.some((w) => w.path === path) || unknown(path)) continue;
    const isAgentWal = Object.values(manifest.activeAgentOps ?? {}).includes(path);
    // A multi-writer manifest's activeOps usually duplicates an agent WAL; only warn when it is read.
    if (!isAgentWal && manifest.activeAgentOps) continue;
    warnings.push({ code: "missing-file", severity: "warning", file: path, message: `The WAL ${path} named in manifest.json is missing: its ops are lost, and the state is the snapshot's alone. Restore the file if you have a copy.` });
  }
  for (const path of manifest.archiveSegments) {
    if (!archives.some((a) => a.path === path) && !unknown(path)) {
      warnings.push({ code: "missing-file", severity: "warning", file: path, message: `The archive segment ${path} named in manifest.json is missing: its archived records cannot be shown.` });
    }
  }
}

async function findLeftoverTmp(dir: string, warnings: StoreWarning[]): Promise<void> {
  for (const sub of [".", "snapshots", "ops", "archive"]) {
    for (const f of await listDir(dir, sub)) {
      if (!f.name.endsWith(".tmp")) continue;
      const path = sub === "." ? f.name : `${sub}/${f.name}`;
      warnings.push({ code: "leftover-tmp", severity: "info", file: path, message: `${path} is left over from an interrupted write (opslog writes *.tmp, then renames). It is not part of the store; delete it once you have checked it.` });
    }
  }
}

/** The lock files and whether their holders run; a warning for each into `warnings`. */
export async function readLocks(dir: string, warnings: StoreWarning[]): Promise<LockInfo[]> {
  const locks: LockInfo[] = [];
  for (const file of [".lock", ".compact-lock"] as const) {
    const present = (await listDir(dir, ".")).some((f) => f.name === file);
    if (!present) continue;
    const pid = await readLockPid(join(dir, file));
    const alive = pid !== null && isProcessAlive(pid);
    locks.push({ file, pid, alive });
    const kind = file === ".lock" ? "lock" : "compact-lock";
    const who = pid === null ? "an unknown process" : `process ${pid}`;
    // The inspector runs inside the explorer: a lock with our own pid is the explorer's writer or compaction, not a foreign writer.
    if (pid === process.pid) {
      warnings.push({ code: `${kind}-own`, severity: "info", file, message: file === ".lock" ? `${file} is held by this explorer (writer mode): no other process can write to the store until you close it here.` : `${file} is held by this explorer while it compacts.` });
      continue;
    }
    warnings.push(
      alive
        ? { code: `${kind}-live`, severity: "info", file, message: `${file} is held by ${who}, which is running: a writer has this store open. Read-only viewing is safe; writer mode must wait.` }
        : { code: `${kind}-stale`, severity: "warning", file, message: `${file} names ${who}, which is not running: a stale lock from a crash. opslog takes it over on the next write open; you may delete it.` },
    );
  }
  return locks;
}

/**
 * The current snapshot is missing: what that means, and (once the history is
 * built) the positions whose state is unknown. Nothing is lost for it: the
 * WALs are all there; the records they apply to are not.
 */
export function missingSnapshotMessage(path: string, from: number | null): string {
  const positions = from === null || from === 0 ? "Every state from the compaction that wrote it on depends on it and is unknown" : `Every state from position ${from} on (after op #${from}, where the compaction that wrote it ran, to now) depends on it and is unknown`;
  return `manifest.json names ${path} as the current snapshot, but that file is missing, so the published opslog refuses to open this store ("Snapshot file not found"). ${positions}: they are not shown, rather than shown empty. The history before it, and the ops written after it (Operations), are shown as read. No write is lost for this: restore ${path} from a backup.`;
}

/** Snapshot, archive and WAL file names carry Date.now() at creation. */
export function msOfSnapshot(path: string): number | null {
  const match = SNAPSHOT_NAME.exec(path.slice(path.lastIndexOf("/") + 1));
  return match ? Number(match[1]) : null;
}
