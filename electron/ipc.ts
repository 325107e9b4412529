/**
 * The contract over Electron IPC: one ipcMain.handle per call. A call is
 * answered only for the main frame of a window this app opened, showing the
 * app's own page; anything else gets "unauthorized".
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from "electron";
import { callNames } from "./calls.js";
import type { CallOptions, Envelope } from "./contract.js";
import type { Handlers } from "./handlers.js";

export const CALL_CHANNEL_PREFIX = "opslog:call:";
export const EVENT_CHANNEL = "opslog:event";

/** Which window owns which Handlers (one store per window). */
export type HandlersFor = (contents: WebContents) => Handlers | undefined;

export function isTrustedSender(event: Pick<IpcMainInvokeEvent, "senderFrame" | "sender">, appUrl: string): boolean {
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  return frame.url.split(/[?#]/)[0] === appUrl.split(/[?#]/)[0];
}

export function registerIpc(ipcMain: IpcMain, handlersFor: HandlersFor, appUrl: string): void {
  for (const name of callNames) {
    ipcMain.handle(CALL_CHANNEL_PREFIX + name, async (event, arg: unknown, options: unknown): Promise<Envelope<unknown>> => {
      const handlers = handlersFor(event.sender);
      if (!handlers || !isTrustedSender(event, appUrl)) return { ok: false, error: { code: "unauthorized", message: "Refused: this call did not come from the explorer's own window." } };
      return handlers.dispatch(name, arg, options as CallOptions); // its supersede key is checked there
    });
  }
}

/** The menu's Open Store… (Ctrl/Cmd-O): the window shows its open screen (folder with completion, recent, S3, mode) over its store. */
export function showOpenScreen(contents: Pick<WebContents, "isDestroyed" | "send">): void {
  if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, "window.showOpen", {});
}

/** Forward a window's store events to its renderer. */
export function forwardEvents(contents: WebContents, handlers: Handlers): () => void {
  return handlers.store.onChange((payload) => {
    if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, "store.changed", payload);
  });
}
