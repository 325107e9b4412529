/**
 * What the Timeline shows at the replay cursor: the state (through the
 * user's filter, if any), the op just applied, and the diffs. Reads the
 * cursor; never copies it.
 */
import { create } from "zustand";
import type { DiffPage, RecordRow, TimelineOp } from "../../../electron/contract";
import { CallError } from "../../../electron/call-error";
import { api, errorText } from "../api/client";
import type { ShownError } from "../api/client";
import { createPaged } from "./paged";
import { useReplay } from "./replay";
import { filterBar } from "./filterBar";
import type { FilterBar } from "./filterBar";
import { forgetOnOpen, NewestRequest } from "./perStore";
import { isCancelled, supersedeKey } from "./request";
import { keepSameRows } from "../lib/sameRows";

/** Its FilterBar: a query on the state, kept as the cursor moves. */
interface ReplayPanes extends FilterBar {
  /** The position every pane shows (each pane's answer in); behind the cursor while a step loads */
  shownAt: number | null;
  currentOp: TimelineOp | null;
  diffPrev: DiffPage | null;
  diffNow: DiffPage | null;
  error: ShownError | null;
  /** Rows of the diff "from here to now" a step asks for: a first screenful and more, as the user asks for more */
  laterRows: number;
  /** Ask every pane for the cursor's position; each pane shows its answer as soon as it comes */
  load(): Promise<void>;
  /** Show more rows of the diff "from here to now", at this position and the next ones */
  showMoreLater(): Promise<void>;
}

const newest = new NewestRequest();
/** As the cursor moves on, each step's request stops the one it replaces (in the renderer before it is answered, and on the server). */
const STEP_OPTIONS = { supersede: supersedeKey("replay/step") };
/** Rows of the diff panes: the op's own, and from the cursor to the end */
const OP_DIFF_ROWS = 50;
/** The diff "from here to now" at first (its pane shows about ten at once), and how many more each ask adds, up to the call's limit */
export const LATER_DIFF_ROWS = 50;
export const MORE_LATER_ROWS = 150;
export const MAX_LATER_ROWS = 1000;
/** Rows of a page of the state table: what the table shows with its overscan (about 40), not the 200 of a page elsewhere; each step asks for every page the table holds again, so each row costs every step. */
export const STATE_PAGE_ROWS = 50;

export const useReplayPanes = forgetOnOpen(create<ReplayPanes>()((set, get) => ({
  shownAt: null,
  currentOp: null,
  diffPrev: null,
  diffNow: null,
  error: null,
  laterRows: LATER_DIFF_ROWS,
  ...filterBar(set, get, (): Promise<ShownError | null> => stateRecords.getState().refresh(), "watch"),
  async load() {
    const wanted = newest.ask();
    const { cursor, info } = useReplay.getState();
    if (!info) return;
    // One call for every pane, and one render when it lands: the op, both diffs and the state table show the same position at once.
    const state = stateRecords.getState().beginRefresh();
    const { filter } = get();
    try {
      const step = await api.call("timeline.step", { pos: cursor, end: info.total, opDiffLimit: OP_DIFF_ROWS, laterDiffLimit: get().laterRows, statePages: state.pages, ...(filter ? { filter } : {}) }, STEP_OPTIONS);
      if (!wanted()) return;
      set({ currentOp: step.op, diffPrev: keepUnchanged(get().diffPrev, step.opDiff), diffNow: keepUnchanged(get().diffNow, step.laterDiff), shownAt: cursor, error: null });
      // The watched query failed at this position (too slow there, say): the state pane alone says so.
      if (step.stateError) state.fail(new CallError(step.stateError));
      else state.done(step.state);
    } catch (err) {
      state.fail(err);
      if (wanted() && !isCancelled(err)) set({ error: errorText(err) });
    }
  },
  async showMoreLater() {
    set({ laterRows: Math.min(MAX_LATER_ROWS, get().laterRows + MORE_LATER_ROWS) });
    await get().load();
  },
})));

/**
 * The new diff page, with each row that reads as before kept as the same
 * object (and the page itself, when nothing changed), so a step draws again
 * only the diffs it changed: the page "from here to now" loses a row or two a step.
 */
function keepUnchanged(before: DiffPage | null, after: DiffPage | null): DiffPage | null {
  if (!before || !after) return after;
  const rows = keepSameRows(before.rows, after.rows);
  const same = before.rows.length === rows.length && rows.every((row, i) => row === before.rows[i]);
  return same && JSON.stringify([before.counts, before.total, before.offset]) === JSON.stringify([after.counts, after.total, after.offset]) ? before : { ...after, rows };
}

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
}, "replay/state", STATE_PAGE_ROWS);
