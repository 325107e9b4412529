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
  /** The position every pane shows (each pane's answer in); behind the cursor while a step loads */
  shownAt: number | null;
  currentOp: TimelineOp | null;
  diffPrev: DiffPage | null;
  diffNow: DiffPage | null;
  error: ShownError | null;
  /** Ask every pane for the cursor's position; each pane shows its answer as soon as it comes */
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
    // Not one answer for all: the op (the cheapest) shows at once, the diffs and the state as they come.
    const show = async <T>(ask: Promise<T>, pane: (value: T) => Partial<ReplayPanes>) => {
      const value = await ask;
      if (wanted()) set(pane(value));
    };
    try {
      await Promise.all([
        show(cursor > 0 ? api.call("ops.get", { pos: cursor - 1 }, paneOptions("op")) : Promise.resolve(null), (currentOp) => ({ currentOp })),
        show(cursor > 0 ? api.call("diff", { a: cursor - 1, b: cursor, offset: 0, limit: 50 }, paneOptions("diff-prev")) : Promise.resolve(null), (diffPrev) => ({ diffPrev })),
        show(api.call("diff", { a: cursor, b: info.total, offset: 0, limit: 200 }, paneOptions("diff-now")), (diffNow) => ({ diffNow })),
        stateRecords.getState().refresh(),
      ]);
      if (wanted()) set({ shownAt: cursor, error: null });
    } catch (err) {
      if (wanted() && !isCancelled(err)) set({ error: errorText(err) });
    }
  },
})));

/**
 * While a view shows the panes: ask them again the moment the cursor (or the
 * timeline) changes, in the same task as the keypress, not after React has
 * rendered the new position. Returns the unsubscribe.
 */
export function followCursor(): () => void {
  void useReplayPanes.getState().load();
  return useReplay.subscribe((now, before) => {
    if (now.cursor !== before.cursor || now.info !== before.info) void useReplayPanes.getState().load();
  });
}

export const stateRecords = createPaged<RecordRow>(() => {
  const { cursor, info } = useReplay.getState();
  if (!info) return null;
  const { filter } = useReplayPanes.getState();
  return (offset, limit, options) => api.call("records", { offset, limit, at: cursor, ...(filter ? { filter } : {}) }, options);
}, "replay/state");
