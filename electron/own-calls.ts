/**
 * The main process's own calls (those not forwarded to an inspector query):
 * one implementation each, over the window's store (window-store.ts), the
 * app data and the desktop app's dialogs. The feature slices bring theirs
 * (export.ts, blobs.ts). dispatch.ts parses each argument before it gets here.
 */
import type { z } from "zod";
import { OpslogError } from "../engine/src/errors.js";
import type { AppData } from "./appdata.js";
import { blobHandlers } from "./blobs.js";
import type { CallName, CallResults, OwnCall } from "./contract.js";
import { exportHandlers } from "./export.js";
import type { ExportDialogs } from "./export.js";
import { listFolders } from "./folders.js";
import { replayStepCall } from "./replay-step.js";
import { clearIndexCacheCall } from "./index-cache-call.js";
import type { IndexCacheOptions } from "../engine/src/inspect/index.js";
import type { calls } from "./calls.js";
import type { WindowStore } from "./window-store.js";

/** A call's argument as its schema parses it */
export type Args = { [N in CallName]: z.output<(typeof calls)[N]["schema"]> };
/** The main process's own calls: every call not forwarded to a query has exactly one here. */
export type OwnImplementations = { [N in OwnCall]: (arg: Args[N], signal?: AbortSignal) => Promise<CallResults[N]> };

export interface OwnCallOptions {
  appData: AppData;
  /** A native folder picker (Electron); absent in browser mode */
  pickDirectory?: () => Promise<string | null>;
  /** The save dialogs of an export (Electron); absent in browser mode, where an export is a download */
  exportDialogs?: ExportDialogs;
  /** The index cache that "Clear index cache" empties; none when absent */
  indexCache?: IndexCacheOptions | null;
}

export function ownCalls(store: WindowStore, options: OwnCallOptions): OwnImplementations {
  const session = () => store.session();
  const queries = options.appData.queries;
  return {
    "store.open": (a) => store.open(a.dir, { mode: a.mode, agentId: a.agentId, confirm: a.confirmAgentOnSingleWriter === true }),
    "store.summary": () => store.summary(),
    "store.check": () => session().check(),
    "store.close": async () => {
      await store.closeSession();
      return { closed: true };
    },
    "store.recent": () => options.appData.recent(),
    "cache.clearIndex": () => clearIndexCacheCall(options.indexCache ?? null),
    "store.pickDirectory": async () => ({ dir: options.pickDirectory ? await options.pickDirectory() : null }),
    "store.folders": (a) => listFolders(a.path),
    "store.pending": async () => store.pendingOpen(),
    "store.loading": async () => store.loadingProgress(),
    "store.preview": () => store.loadingPreview(),
    "store.history": async () => store.historyProgress(),
    "records.get": async (a) => {
      const inspector = session().inspector;
      return { id: a.id, value: await inspector.record(a), history: await inspector.recordHistory(a) };
    },
    "ops.get": async (a) => {
      const op = await session().inspector.op(a);
      if (!op) throw new OpslogError("not-found", `There is no op at position ${a.pos}.`);
      return op;
    },
    "timeline.step": (a, signal) => replayStepCall(session().inspector, a, signal),
    "timeline.posAtTime": async (a) => ({ pos: await session().inspector.posAtTime(a) }),
    "savedFilters.list": (a) => queries.list(session().info.dir, a.box),
    "savedFilters.remember": (a) => queries.remember(session().info.dir, a.box, a.text),
    "savedFilters.save": (a) => queries.save(session().info.dir, a.box, a.name, a.text),
    "savedFilters.forget": (a) => queries.forget(session().info.dir, a.box, a.name),
    "actions.undoPreview": () => session().undoPreview(),
    "actions.undo": () => session().undo(),
    "actions.compactPreview": () => session().compactPreview(),
    "actions.compact": (a) => session().compact(a.confirmAgents),
    "actions.archive": (a) => session().archive(a.filter, a.segment, a.confirmAgents),
    "actions.set": (a) => session().set(a.id, a.value),
    "actions.delete": (a) => session().delete(a.id),
    "actions.revertPreview": (a) => session().revertPreview(a.pos),
    "actions.revert": (a) => session().revert(a.pos, a.mode, a.seen),
    "actions.reapplyPreview": (a) => session().reapplyPreview(a.writes),
    "actions.reapply": (a) => session().reapply(a.writes, a.seen),
    "lostWrites.page": (a) => session().lostWrites(a),
    "actions.refresh": () => session().refresh(),
    ...exportHandlers(session, () => options.exportDialogs),
    ...blobHandlers(session),
  };
}
