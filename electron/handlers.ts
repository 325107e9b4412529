/**
 * One window's (or one browser-mode server's) side of the contract, in plain
 * Node: its store (window-store.ts: open, reopen, the command line's open,
 * pending, loading, dispose) and the dispatcher over it (dispatch.ts: parse,
 * forward, map errors). Both transports (Electron IPC and HTTP) take this;
 * each piece is its own class, composed here once.
 */
import { CallDispatcher } from "./dispatch.js";
import type { ExportDialogs } from "./export.js";
import { ownCalls } from "./own-calls.js";
import { WindowStore } from "./window-store.js";
import type { WindowStoreOptions } from "./window-store.js";

export { toContractError } from "./contract-error.js";

export interface HandlerOptions extends WindowStoreOptions {
  /** A native folder picker (Electron); absent in browser mode */
  pickDirectory?: () => Promise<string | null>;
  /** The save dialogs of an export (Electron); absent in browser mode, where an export is a download */
  exportDialogs?: ExportDialogs;
}

export class Handlers {
  /** The window's store and its lifecycle */
  readonly store: WindowStore;
  /** Every call and download, through one gate */
  readonly calls: CallDispatcher;

  constructor(options: HandlerOptions) {
    this.store = new WindowStore(options);
    const own = ownCalls(this.store, { appData: options.appData, pickDirectory: options.pickDirectory, exportDialogs: options.exportDialogs, indexCache: options.indexCache });
    this.calls = new CallDispatcher(own, () => this.store.session().inspector, { lockedReadOnly: options.lockedReadOnly });
  }

  /** A call, as both transports make it (see CallDispatcher.dispatch) */
  dispatch(...args: Parameters<CallDispatcher["dispatch"]>): ReturnType<CallDispatcher["dispatch"]> {
    return this.calls.dispatch(...args);
  }
}
