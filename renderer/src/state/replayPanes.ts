/**
 * What the Timeline shows at the replay cursor: the state (through the
 * user's filter, if any), the op just applied, and the diffs. Reads the
 * cursor; never copies it.
 */
import { create } from "zustand";
import type { DiffPage, RecordRow, TimelineOp } from "../../../electron/contract";
import { api, errorText } from "../api/client";
import type { ShownError } from "../api/client";
import { createPaged } from "./paged";
import { useReplay } from "./replay";
import { filterBar } from "./filterBar";
import type { FilterBar } from "./filterBar";
import { forgetOnOpen, NewestRequest } from "./perStore";
import { isCancelled, supersedeKey } from "./request";

/** Its FilterBar: a query on the state, kept as the cursor moves. */
interface ReplayPanes extends FilterBar {
  shownAt: number | null;
  currentOp: TimelineOp | null;
  diffPrev: DiffPage | null;
  diffNow: DiffPage | null;
  error: ShownError | null;
  load(): Promise<void>;
}

const newest = new NewestRequest();
/** As the cursor moves on, each pane's request stops the one it replaces (the server need not finish a diff nobody will see). */
const paneOptions = (pane: string) => ({ supersede: supersedeKey(`replay/${pane}`) });

export const useReplayPanes = forgetOnOpen(create<ReplayPanes>()((set, get) => ({
  shownAt: null,
  currentOp: null,
  diffPrev: null,
  diffNow: null,
  error: null,
  ...filterBar(set, get, (): Promise<ShownError | null> => stateRecords.getState().refresh(), "watch"),
  async load() {
    const wanted = newest.ask();
    const { cursor, info } = useReplay.getState();
    if (!info) return;
    try {
      const [currentOp, diffPrev, diffNow] = await Promise.all([
        cursor > 0 ? api.call("ops.get", { pos: cursor - 1 }, paneOptions("op")) : Promise.resolve(null),
        cursor > 0 ? api.call("diff", { a: cursor - 1, b: cursor, offset: 0, limit: 50 }, paneOptions("diff-prev")) : Promise.resolve(null),
        api.call("diff", { a: cursor, b: info.total, offset: 0, limit: 200 }, paneOptions("diff-now")),
        stateRecords.getState().refresh(),
      ]);
      if (wanted()) set({ shownAt: cursor, currentOp, diffPrev, diffNow, error: null });
    } catch (err) {
      if (wanted() && !isCancelled(err)) set({ error: errorText(err) });
    }
  },
})));

export const stateRecords = createPaged<RecordRow>(() => {
  const { cursor, info } = useReplay.getState();
  if (!info) return null;
  const { filter } = useReplayPanes.getState();
  return (offset, limit, options) => api.call("records", { offset, limit, at: cursor, ...(filter ? { filter } : {}) }, options);
}, "replay/state");
