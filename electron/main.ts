/**
 * The Electron main process: windows (one store each), the menu, the
 * command line, and the contract over IPC. Windows are locked down:
 * contextIsolation, sandbox, no nodeIntegration, webSecurity, a strict CSP,
 * no navigation, no new windows; devtools only in development. The renderer
 * is served from app://explorer/ with the CSP as a header, every permission
 * and device is refused (window-security.ts), and every quit or ending
 * signal closes the stores, releasing their locks, before the process exits
 * (shutdown.ts).
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell } from "electron";
import type { MenuItemConstructorOptions, WebContents } from "electron";
import { join } from "node:path";
import { AppData } from "./appdata.js";
import { parseCommandLine, usage, UsageError, withoutChromiumSwitches } from "./args.js";
import type { CommandLine } from "./args.js";
import { Handlers, toContractError } from "./handlers.js";
import { indexCacheFromEnv } from "../engine/src/inspect/index.js";
import type { IndexCacheOptions } from "../engine/src/inspect/index.js";
import { forwardEvents, registerIpc, showOpenScreen } from "./ipc.js";
import type { ExportDialogs } from "./export.js";
import { closeStoresBeforeQuit } from "./shutdown.js";
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, APP_URL, appProtocolHandler, lockDownSession } from "./window-security.js";

const isDev = process.env.OPSLOG_EXPLORER_DEV === "1";
const rendererDir = join(__dirname, "..", "renderer");
const windows = new Map<number, { window: BrowserWindow; handlers: Handlers }>();
/** Closed windows' stores still closing: a quit waits for them */
const closing = new Set<Promise<void>>();
let appData: AppData;
/** --read-only: every window's handlers refuse writable opens and writes */
let lockedReadOnly = false;
/** Where built indexes are kept between opens: the user's cache folder, unless --no-index-cache */
let indexCache: IndexCacheOptions | null = null;

function handlersFor(contents: WebContents): Handlers | undefined {
  return windows.get(contents.id)?.handlers;
}

async function pickDirectory(owner?: BrowserWindow): Promise<string | null> {
  const options = { title: "Open opslog store", properties: ["openDirectory" as const] };
  const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

/** Where an export goes: the save dialog, and a folder for a new store (the dialog may create it). */
function exportDialogs(owner: BrowserWindow): ExportDialogs {
  return {
    saveFile: async (defaultPath) => {
      const result = await dialog.showSaveDialog(owner, { title: "Export", defaultPath, properties: ["createDirectory", "showOverwriteConfirmation"] });
      return result.canceled ? null : (result.filePath ?? null);
    },
    newStoreFolder: async () => {
      const result = await dialog.showOpenDialog(owner, { title: "Choose a new, empty folder for the exported store", buttonLabel: "Export here", properties: ["openDirectory", "createDirectory", "promptToCreate"] });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}

async function openWindow(target: Pick<CommandLine, "dir" | "mode" | "agentId"> & { yes?: boolean }): Promise<void> {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    title: "opslog explorer",
    show: false,
    webPreferences: {
      preload: join(__dirname, "preload.cjs"),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: isDev,
      disableBlinkFeatures: "Auxclick", // a middle click must not open a window either
    },
  });
  // The window's opens come from the person at the machine (the Open S3 store form): they may name an S3 endpoint.
  const handlers = new Handlers({ appData, pickDirectory: () => pickDirectory(window), lockedReadOnly, indexCache, exportDialogs: exportDialogs(window), callersChooseEndpoints: true });
  const contents = window.webContents;
  windows.set(contents.id, { window, handlers });
  const stopEvents = forwardEvents(contents, handlers);
  window.on("closed", () => {
    stopEvents();
    windows.delete(contents.id);
    const disposal = handlers.store.dispose().catch(() => undefined);
    closing.add(disposal);
    void disposal.finally(() => closing.delete(disposal));
  });
  contents.on("will-navigate", (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith("https://")) void shell.openExternal(url);
    return { action: "deny" };
  });
  try {
    // The window shows at once: the store opens behind it, and the UI shows how far it has come.
    if (target.dir) await handlers.store.startFromCommandLine(target.dir, target.mode, target.agentId, target.yes);
    else await handlers.store.openDemo();
  } catch (err) {
    // The renderer shows the open-store screen; the error goes with it.
    const error = toContractError(err);
    void dialog.showMessageBox(window, { type: "error", message: "The store could not be opened", detail: error.message });
  }
  await window.loadURL(APP_URL);
  window.show();
}

function buildMenu(): void {
  const focused = () => BrowserWindow.getFocusedWindow() ?? undefined;
  const reopen = async (dir: string) => {
    const win = focused();
    const entry = win && windows.get(win.webContents.id);
    if (!entry) return openWindow({ dir, mode: undefined, agentId: undefined });
    try {
      await entry.handlers.store.open(dir);
      entry.window.webContents.reload();
    } catch (err) {
      void dialog.showMessageBox(entry.window, { type: "error", message: "The store could not be opened", detail: toContractError(err).message });
    }
  };
  const template: MenuItemConstructorOptions[] = [
    {
      label: "File",
      submenu: [
        // A window shows its open screen (path completion, recent, S3, mode); with none, the folder dialog opens one.
        { label: "Open Store…", accelerator: "CmdOrCtrl+O", click: async () => { const win = focused(); if (win && windows.has(win.webContents.id)) return showOpenScreen(win.webContents); const dir = await pickDirectory(); if (dir) await reopen(dir); } },
        { label: "Open Store in New Window…", accelerator: "CmdOrCtrl+Shift+O", click: async () => { const dir = await pickDirectory(); if (dir) await openWindow({ dir, mode: undefined, agentId: undefined }); } },
        { label: "Open Recent", role: "recentDocuments", submenu: [{ label: "Clear", role: "clearRecentDocuments" }] },
        { type: "separator" },
        { label: "Close", accelerator: "CmdOrCtrl+W", role: "close" },
        { label: "Quit", accelerator: "CmdOrCtrl+Q", role: "quit" },
      ],
    },
    { label: "View", submenu: [{ label: "Reload", accelerator: "CmdOrCtrl+R", role: "reload" }, ...(isDev ? [{ role: "toggleDevTools" as const }] : []), { role: "togglefullscreen" }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  app.on("open-file", (_e, path) => void reopen(path));
}

async function start(): Promise<void> {
  let args: CommandLine;
  try {
    args = parseCommandLine(withoutChromiumSwitches(process.argv.slice(app.isPackaged ? 1 : 2)));
  } catch (err) {
    process.stderr.write((err instanceof UsageError ? err.message : String(err)) + "\n", () => app.exit(2));
    return;
  }
  if (args.help) {
    process.stdout.write(usage(app.isPackaged ? "opslog-explorer" : "npm start --") + "\n", () => app.exit(0)); // exit once it is written: a pipe is asynchronous
    return;
  }
  lockedReadOnly = args.readOnly;
  indexCache = args.noIndexCache ? null : indexCacheFromEnv();
  await app.whenReady();
  appData = new AppData(process.env.OPSLOG_EXPLORER_HOME ?? app.getPath("userData"));
  protocol.handle(APP_SCHEME, appProtocolHandler(rendererDir));
  lockDownSession(session.defaultSession);
  registerIpc(ipcMain, handlersFor, APP_URL);
  buildMenu();
  await openWindow(args);
  app.on("activate", () => {
    if (windows.size === 0) void openWindow({ dir: null, mode: undefined, agentId: undefined });
  });
}

// Before the app is ready, as Electron requires: the renderer's own origin, app://explorer.
protocol.registerSchemesAsPrivileged(APP_SCHEME_PRIVILEGES);
closeStoresBeforeQuit(app, async () => {
  await Promise.allSettled([...[...windows.values()].map((w) => w.handlers.store.dispose()), ...closing]);
});

app.on("window-all-closed", () => {
  if (process.platform !== "darwin") app.quit();
});
app.on("web-contents-created", (_e, contents) => {
  contents.on("will-attach-webview", (event) => event.preventDefault());
});

void start();
