/** The Archive view: its segments, the open one, and that segment's paged records. */
import { create } from "zustand";
import type { ArchiveSegmentInfo, RecordRow } from "../../../electron/contract";
import { useUi } from "./ui";
import { api, errorText } from "../api/client";
import type { ShownError } from "../api/client";
import { createPaged } from "./paged";
import { filterBar } from "./filterBar";
import type { FilterBar } from "./filterBar";
import { mergeFields } from "./fields";
import { forgetOnOpen } from "./perStore";
import { ONE_OFF, stillWanted } from "./request";
import type { QueryRequest } from "./request";

interface ArchiveState extends FilterBar {
  segments: ArchiveSegmentInfo[];
  open: string | null;
  /** The open segment's fields, most common first: the table's columns */
  fields: string[];
  idContains: string;
  setIdContains(text: string): void;
  /** The archived record shown in the detail pane */
  selected: RecordRow | null;
  error: ShownError | null;
  /** Load the segments (and the open one's rows); the answer is kept only while `request` is the newest */
  load(request?: QueryRequest): Promise<void>;
  openSegment(path: string): void;
  select(row: RecordRow | null): void;
  /** Open `path` at the record `id` (from a diff or a record's history: "archived -> segment") */
  showRecord(path: string, id: string): Promise<void>;
}

export const useArchive = forgetOnOpen(create<ArchiveState>()((set, get) => ({
  segments: [],
  open: null,
  fields: [],
  ...filterBar(set, get, (): Promise<ShownError | null> => archiveRecords.getState().refresh(), "archive"),
  idContains: "",
  setIdContains(idContains) {
    set({ idContains });
    void archiveRecords.getState().refresh();
  },
  error: null,
  async load(request = ONE_OFF) {
    try {
      const segments = await api.call("archiveSegments", {}, request.options);
      if (!stillWanted(request)) return;
      set({ segments, error: null, open: get().open ?? segments[0]?.path ?? null });
      void archiveRecords.getState().refresh();
    } catch (err) {
      if (stillWanted(request, err)) set({ error: errorText(err) });
    }
  },
  openSegment(path) {
    set({ open: path, fields: [], selected: null });
    void archiveRecords.getState().refresh();
  },
  selected: null,
  select: (selected) => set({ selected }),
  async showRecord(path, id) {
    set({ open: path, fields: [], selected: null, idContains: id, filterText: "", filter: undefined, filterError: null });
    void archiveRecords.getState().refresh();
    try {
      const page = await api.call("archivePage", { path, offset: 0, limit: 1000, idContains: id });
      const row = page.rows.find((r) => r.id === id) ?? null;
      set({ selected: row });
      if (!row) useUi.getState().toast("error", `"${id}" is no longer in ${path}.`);
    } catch (err) {
      set({ error: errorText(err) });
    }
  },
})));

export const archiveRecords = createPaged<RecordRow>(() => {
  const { open, filter, idContains } = useArchive.getState();
  if (!open) return null;
  return async (offset, limit, options) => {
    const page = await api.call("archivePage", { path: open, offset, limit, ...(filter ? { filter } : {}), ...(idContains ? { idContains } : {}) }, options);
    const fields = mergeFields(useArchive.getState().fields, page.rows);
    if (fields !== useArchive.getState().fields) useArchive.setState({ fields });
    return page;
  };
}, "archive");
