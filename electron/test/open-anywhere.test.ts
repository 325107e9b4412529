// Opening from the open screen at any time: the path box's folder completion
// (store.folders, through dispatch as both transports call it, and over the
// desktop app's IPC registration), and reopening the open store in another
// mode, which --read-only refuses whatever the caller asks.
import { access, chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { IpcMain } from "electron";
import { AppData } from "../appdata.js";
import type { Envelope, FolderList, OpenResult } from "../contract.js";
import { Handlers } from "../handlers.js";
import { FOLDER_LIMIT, listFolders } from "../folders.js";
import { CALL_CHANNEL_PREFIX, EVENT_CHANNEL, registerIpc, showOpenScreen } from "../ipc.js";
import { plannerAndWorkerOnJobs, twentyTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";
import { digestTree, errorOf, removeDir, tempDir, valueOf } from "./helpers.js";

let work: string;
let handlers: Handlers;

beforeEach(async () => {
  work = await tempDir("open-anywhere");
  handlers = new Handlers({ appData: new AppData(`${work}/home`), pollMs: 0 });
});
afterEach(async () => {
  await handlers.store.closeSession();
  await removeDir(work);
});

const folders = async (h: Handlers, path: string) => valueOf<FolderList>(await h.dispatch("store.folders", { path }));
const exists = (path: string) => access(path).then(() => true, () => false);

describe("store.folders (the path box's completion)", () => {
  beforeEach(async () => {
    await twentyTasksCompactedThenEdited.build(`${work}/stores/tasks`);
    await plannerAndWorkerOnJobs.build(`${work}/stores/team`);
    await mkdir(`${work}/stores/empty-folder`);
    await mkdir(`${work}/stores/.hidden`);
    await writeFile(`${work}/stores/notes.txt`, "a file, never listed");
  });

  it("lists the typed parent's sub-folders by name, marking those that hold a manifest.json, files and dot-folders left out", async () => {
    const list = await folders(handlers, `${work}/stores/`);
    expect(list.parent).toBe(`${work}/stores`);
    expect(list.folders).toEqual([
      { name: "empty-folder", path: join(work, "stores", "empty-folder"), isStore: false },
      { name: "tasks", path: join(work, "stores", "tasks"), isStore: true },
      { name: "team", path: join(work, "stores", "team"), isStore: true },
    ]);
    expect(list).toMatchObject({ truncated: false, parentIsStore: false, problem: null });
  });

  it("keeps the names that start with the part typed after the last separator (case aside); a dot shows dot-folders", async () => {
    expect((await folders(handlers, `${work}/stores/T`)).folders.map((f) => f.name)).toEqual(["tasks", "team"]);
    expect((await folders(handlers, `${work}/stores/tea`)).folders.map((f) => f.name)).toEqual(["team"]);
    expect((await folders(handlers, `${work}/stores/.`)).folders.map((f) => f.name)).toEqual([".hidden"]);
    expect(await folders(handlers, `${work}/stores/tasks/`)).toMatchObject({ parentIsStore: true });
  });

  it("reports a missing parent, a file typed as a parent, and an unreadable parent in a sentence, without failing the call", async () => {
    expect(await folders(handlers, `${work}/nowhere/x`)).toMatchObject({ folders: [], problem: `There is no folder ${work}/nowhere.` });
    expect(await folders(handlers, `${work}/stores/notes.txt/`)).toMatchObject({ folders: [], problem: `${work}/stores/notes.txt is a file, not a folder.` });
    await mkdir(`${work}/closed`);
    await chmod(`${work}/closed`, 0o000);
    try {
      const list = await folders(handlers, `${work}/closed/`);
      // root reads any folder: there the listing is simply empty
      if (process.getuid?.() !== 0) expect(list.problem).toBe(`${work}/closed cannot be read (permission denied).`);
    } finally {
      await chmod(`${work}/closed`, 0o755);
    }
  });

  it("caps the list, saying more matched", async () => {
    for (let i = 0; i < 12; i++) await mkdir(`${work}/stores/many-${String(i).padStart(2, "0")}`);
    const capped = await listFolders(`${work}/stores/many-`, 5);
    expect(capped.folders).toHaveLength(5);
    expect(capped.truncated).toBe(true);
    expect((await listFolders(`${work}/stores/many-`)).truncated).toBe(false);
    expect(FOLDER_LIMIT).toBeGreaterThanOrEqual(100);
  });

  it("is answered by an explorer started with --read-only, with no store open", async () => {
    const locked = new Handlers({ appData: new AppData(`${work}/home`), pollMs: 0, lockedReadOnly: true });
    expect((await folders(locked, `${work}/stores/`)).folders.filter((f) => f.isStore).map((f) => f.name)).toEqual(["tasks", "team"]);
    expect(errorOf(await locked.dispatch("store.folders", { path: 42 })).code).toBe("bad-argument");
  });

  it("is registered over the desktop app's IPC and answers the app's own window", async () => {
    const channels = new Map<string, (event: unknown, arg: unknown, options: unknown) => Promise<Envelope<unknown>>>();
    const ipcMain = { handle: (channel: string, fn: never) => channels.set(channel, fn) } as unknown as IpcMain;
    const appUrl = "app://explorer/index.html";
    registerIpc(ipcMain, () => handlers, appUrl);
    const frame = { url: `${appUrl}?x=1` };
    const answer = await channels.get(`${CALL_CHANNEL_PREFIX}store.folders`)!({ senderFrame: frame, sender: { mainFrame: frame } }, { path: `${work}/stores/ta` }, {});
    expect(valueOf<FolderList>(answer).folders).toEqual([{ name: "tasks", path: join(work, "stores", "tasks"), isStore: true }]);
    const stranger = { url: "https://example.com/" };
    expect(errorOf(await channels.get(`${CALL_CHANNEL_PREFIX}store.folders`)!({ senderFrame: stranger, sender: { mainFrame: stranger } }, { path: "/" }, {})).code).toBe("unauthorized");
  });
});

describe("the desktop menu's Open Store… (Ctrl/Cmd-O)", () => {
  it("asks the window to show its open screen, on the channel the preload forwards, and not a closed window", () => {
    const sent: unknown[][] = [];
    showOpenScreen({ isDestroyed: () => false, send: (...args: unknown[]) => void sent.push(args) });
    showOpenScreen({ isDestroyed: () => true, send: (...args: unknown[]) => void sent.push(args) });
    expect(sent).toEqual([[EVENT_CHANNEL, "window.showOpen", {}]]);
  });
});

describe("reopening the open store in another mode (store.open on its folder)", () => {
  it("goes from read-only to writer (taking the .lock) and back to read-only (letting it go)", async () => {
    const dir = (await twentyTasksCompactedThenEdited.build(`${work}/store`)).dir;
    expect(valueOf<OpenResult>(await handlers.dispatch("store.open", { dir })).session.mode).toBe("read-only");
    expect(valueOf<OpenResult>(await handlers.dispatch("store.open", { dir, mode: "writer" })).session.mode).toBe("writer");
    expect(await exists(join(dir, ".lock"))).toBe(true);
    expect(valueOf<OpenResult>(await handlers.dispatch("store.open", { dir })).session.mode).toBe("read-only");
    expect(await exists(join(dir, ".lock"))).toBe(false);
  });

  it("asks the same confirmation as the command line before agent mode on a single-writer store", async () => {
    const dir = (await twentyTasksCompactedThenEdited.build(`${work}/store`)).dir;
    await handlers.dispatch("store.open", { dir });
    expect(errorOf(await handlers.dispatch("store.open", { dir, mode: "agent", agentId: "me" })).code).toBe("confirm-required");
    expect(valueOf<OpenResult>(await handlers.dispatch("store.summary", {})).session.mode).toBe("read-only"); // the open store is kept
    expect(valueOf<OpenResult>(await handlers.dispatch("store.open", { dir, mode: "agent", agentId: "me", confirmAgentOnSingleWriter: true })).session).toMatchObject({ mode: "agent", agentId: "me" });
  });

  it("keeps the demo store's demo tag through a reopen in agent mode and back to read-only, and tags it however it is opened", async () => {
    const opened = await handlers.store.openDemo(); // as the explorer opens it when no store is named
    expect(opened.session).toMatchObject({ demo: true, mode: "read-only" });
    const dir = opened.session.dir;
    expect(valueOf<OpenResult>(await handlers.dispatch("store.open", { dir, mode: "agent", agentId: "me" })).session).toMatchObject({ demo: true, mode: "agent" });
    expect(valueOf<OpenResult>(await handlers.dispatch("store.summary", {})).session.demo).toBe(true);
    expect(valueOf<OpenResult>(await handlers.dispatch("store.open", { dir })).session).toMatchObject({ demo: true, mode: "read-only" });
    const other = (await twentyTasksCompactedThenEdited.build(`${work}/store`)).dir;
    expect(valueOf<OpenResult>(await handlers.dispatch("store.open", { dir: other })).session.demo).toBe(false); // another store is not the demo
    expect(valueOf<OpenResult>(await handlers.dispatch("store.open", { dir })).session.demo).toBe(true); // by its folder, as the Open screen or the recent list opens it
  });

  it("is refused under --read-only even when called directly, the read-only store staying open and unchanged", async () => {
    const locked = new Handlers({ appData: new AppData(`${work}/home`), pollMs: 0, lockedReadOnly: true });
    try {
      const dir = (await twentyTasksCompactedThenEdited.build(`${work}/store`)).dir;
      const before = await digestTree(dir);
      await locked.dispatch("store.open", { dir });
      for (const mode of ["writer", "agent"]) expect(errorOf(await locked.dispatch("store.open", { dir, mode, confirmAgentOnSingleWriter: true })).code, mode).toBe("read-only");
      expect(valueOf<OpenResult>(await locked.dispatch("store.summary", {})).session).toMatchObject({ dir, mode: "read-only" });
      expect(await digestTree(dir)).toEqual(before);
    } finally {
      await locked.store.closeSession();
    }
  });
});
