/**
 * Files and folders of a store that exist but cannot be read (permission
 * denied, an I/O error): said as they are, with the system's error code and
 * the path, and with what is unknown because of them. They are never passed
 * off as a torn line or a missing file.
 */
import type { ChainLink, StoreWarning } from "./types.js";
import type { UnreadableFile } from "./walscan.js";

const FIX = "Give this user read access (or run the explorer as the store's owner), then refresh.";

/** Node's message starts with the code ("EACCES: permission denied, open '…'"); say the code once. */
function said(why: UnreadableFile): string {
  return why.message.startsWith(why.code) ? why.message : `${why.code}: ${why.message}`;
}

/** What a folder of the store holds, for the message when it cannot be listed. */
const FOLDER_ROLE: Record<string, string> = {
  snapshots: "snapshots other than the current one (which manifest.json names, and which is tried by name) are unknown, so the history before the current snapshot cannot be shown",
  ops: "WALs other than those manifest.json names (tried by name) are unknown: older WALs, and any lost writes in them, are missing from the timeline",
  archive: "archive segments other than those manifest.json names (tried by name) are unknown",
};

/** A folder (snapshots/, ops/, archive/) or one file in it that could not be listed or looked at. */
export function unreadablePathWarning(path: string, why: UnreadableFile): StoreWarning {
  const folder = FOLDER_ROLE[path];
  const what = folder ?? `what it holds is unknown (it is left out of every view)`;
  return { code: "unreadable-file", severity: folder ? "warning" : "error", file: path, message: `${path}${folder ? "/" : ""} cannot be read (${said(why)}): ${what}. ${FIX}` };
}

/** A snapshot file that exists but could not be read: its records are unknown. */
export function unreadableSnapshotWarning(path: string, why: UnreadableFile, current: boolean): StoreWarning {
  const effect = current ? ", so the current state, rebuilt from the WALs alone, may be incomplete" : ", so the history around it may be incomplete";
  return { code: "unreadable-file", severity: current ? "error" : "warning", file: path, message: `${path} cannot be read (${said(why)}): the records it holds are unknown${effect}. ${FIX}` };
}

/** A WAL that could not be read (from byte `end` on), and the positions that may lack its ops. */
export function unreadableWalWarning(wal: { path: string; agent: string | null; bytes: number }, why: UnreadableFile, end: number, nextLine: number, link: ChainLink | undefined, live: boolean): StoreWarning {
  const whose = wal.agent ? `agent ${wal.agent}'s ops` : "the ops";
  const from = end > 0 ? ` from byte ${end} (line ${nextLine}) on` : "";
  let positions: string;
  if (!link) positions = "it is in no link of the history chain, so nothing is replayed from it, but any lost writes in it are unknown";
  else if (link.next === null) positions = `the timeline from position ${link.startPos} (after ${link.snapshot ?? "the store's creation"}) to now may lack them, so the current state may be wrong`;
  else positions = `positions ${link.startPos} to ${link.endPos} (from ${link.snapshot ?? "the store's creation"} to ${link.next}) may lack them; from ${link.next} on, the state is that snapshot's`;
  return {
    code: "unreadable-file",
    severity: live ? "error" : "warning",
    file: wal.path,
    message: `${wal.path} cannot be read (${said(why)}): ${whose} in it${from} are unknown (${wal.bytes} bytes on disk); ${positions}. ${FIX}`,
  };
}
