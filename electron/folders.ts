/**
 * Folder-name completion for the open screen's path box (store.folders): the
 * sub-folders of the parent of what the user typed, whose names start with
 * its last part, each marked when it holds a manifest.json (a store). It
 * reads directory names and checks one file's existence per folder listed:
 * never a file's contents, so it is allowed under --read-only. Whatever the
 * user typed is answered: a missing or unreadable parent is reported in
 * `problem`, not thrown, so the box can say so beside the text.
 */
import { opendir, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, dirname, join, resolve, sep } from "node:path";
import type { FolderList } from "./contract.js";

/** At most this many folders are listed (a folder of 100k entries must not flood the UI); `truncated` says there are more. */
export const FOLDER_LIMIT = 200;

/** "~" and "~/…" are the user's home, as a shell would read them. */
export function expandHome(path: string): string {
  if (path === "~") return homedir();
  if (path.startsWith("~/") || path.startsWith(`~${sep}`)) return join(homedir(), path.slice(2));
  return path;
}

/** Where to list, and which names to keep: "/a/b/" lists /a/b; "/a/bc" lists /a for names starting with "bc". */
export function splitTyped(typed: string): { parent: string; partial: string } {
  const text = expandHome(typed.trim() === "" ? "." : typed.trim());
  if (/[/\\]$/.test(text)) return { parent: resolve(text), partial: "" };
  return { parent: resolve(dirname(text)), partial: basename(text) };
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}

async function holdsManifest(path: string): Promise<boolean> {
  return stat(join(path, "manifest.json")).then((s) => s.isFile(), () => false);
}

/** Why a parent cannot be listed, in words; the system's code in brackets. */
function explain(parent: string, err: NodeJS.ErrnoException): string {
  if (err.code === "ENOENT") return `There is no folder ${parent}.`;
  if (err.code === "ENOTDIR") return `${parent} is a file, not a folder.`;
  if (err.code === "EACCES" || err.code === "EPERM") return `${parent} cannot be read (permission denied).`;
  return `${parent} cannot be listed (${err.code ?? err.message}).`;
}

export async function listFolders(typed: string, limit = FOLDER_LIMIT): Promise<FolderList> {
  const { parent, partial } = splitTyped(typed);
  const hidden = partial.startsWith("."); // dot-folders only when the user starts typing one, as shells do
  const lower = partial.toLowerCase();
  const names: string[] = [];
  let truncated = false;
  try {
    const dir = await opendir(parent);
    for await (const entry of dir) {
      if (!entry.name.toLowerCase().startsWith(lower) || (!hidden && entry.name.startsWith("."))) continue;
      // A link to a folder is a folder to the user; whether it is one needs a stat.
      if (!entry.isDirectory() && !(entry.isSymbolicLink() && (await isDirectory(join(parent, entry.name))))) continue;
      if (names.length === limit) {
        truncated = true;
        break; // leaving the loop closes the handle
      }
      names.push(entry.name);
    }
  } catch (err) {
    return { parent, partial, folders: [], truncated: false, parentIsStore: false, problem: explain(parent, err as NodeJS.ErrnoException) };
  }
  names.sort((a, b) => a.localeCompare(b));
  const folders = await Promise.all(names.map(async (name) => ({ name, path: join(parent, name), isStore: await holdsManifest(join(parent, name)) })));
  return { parent, partial, folders, truncated, parentIsStore: await holdsManifest(parent), problem: null };
}
