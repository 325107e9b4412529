/** The Archive view: its segments, the open one, and that segment's paged records. */
import { create } from "zustand";
import type { ArchiveSegmentInfo, RecordRow } from "../../../electron/contract";
import { api, errorText } from "../api/client";
import type { ShownError } from "../api/client";
import { createPaged } from "./paged";
import { filterBar } from "./filterBar";
import type { FilterBar } from "./filterBar";
import { mergeFields } from "./fields";

interface ArchiveState extends FilterBar {
  segments: ArchiveSegmentInfo[];
  open: string | null;
  /** The open segment's fields, most common first: the table's columns */
  fields: string[];
  idContains: string;
  setIdContains(text: string): void;
  error: ShownError | null;
  load(): Promise<void>;
  openSegment(path: string): void;
}

export const useArchive = create<ArchiveState>()((set, get) => ({
  segments: [],
  open: null,
  fields: [],
  ...filterBar(set, get, (): Promise<ShownError | null> => archiveRecords.getState().refresh()),
  idContains: "",
  setIdContains(idContains) {
    set({ idContains });
    void archiveRecords.getState().refresh();
  },
  error: null,
  async load() {
    try {
      const segments = await api.call("archive.list", {});
      set({ segments, error: null, open: get().open ?? segments[0]?.path ?? null });
      void archiveRecords.getState().refresh();
    } catch (err) {
      set({ error: errorText(err) });
    }
  },
  openSegment(path) {
    set({ open: path, fields: [] });
    void archiveRecords.getState().refresh();
  },
}));

export const archiveRecords = createPaged<RecordRow>(() => {
  const { open, filter, idContains } = useArchive.getState();
  if (!open) return null;
  return async (offset, limit) => {
    const page = await api.call("archive.page", { path: open, offset, limit, ...(filter ? { filter } : {}), ...(idContains ? { idContains } : {}) });
    const fields = mergeFields(useArchive.getState().fields, page.rows);
    if (fields !== useArchive.getState().fields) useArchive.setState({ fields });
    return page;
  };
});
