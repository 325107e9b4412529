/**
 * The preload: exposes the contract client's bridge on window.opslogBridge,
 * and nothing else. Runs sandboxed; bundled to CommonJS by build/start.mjs.
 */
import { contextBridge, ipcRenderer, webUtils } from "electron";

const CALL_CHANNEL_PREFIX = "opslog:call:";
const EVENT_CHANNEL = "opslog:event";

contextBridge.exposeInMainWorld("opslogBridge", {
  invoke: (name: string, arg: unknown, options?: { supersede?: string }) => ipcRenderer.invoke(CALL_CHANNEL_PREFIX + String(name), arg, { supersede: typeof options?.supersede === "string" ? options.supersede : undefined }),
  on: (event: string, listener: (payload: unknown) => void) => {
    const wrapped = (_e: unknown, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
    };
  },
  pathForFile: (file: File) => {
    try {
      return webUtils.getPathForFile(file) || null;
    } catch {
      return null;
    }
  },
});
