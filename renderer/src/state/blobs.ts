/**
 * The Blobs view: the store's blobs by page (path filter), the one selected,
 * and its preview: a range of its bytes at a time (the first 64 KB, then the
 * next on demand), so a blob of any size previews without being read whole.
 */
import { create } from "zustand";
import type { BlobChunk, BlobInfo } from "../../../electron/contract";
import { api, errorText } from "../api/client";
import type { ShownError } from "../api/client";
import { createPaged } from "./paged";
import { forgetOnOpen } from "./perStore";
import { useUi } from "./ui";

/** Bytes read per preview step; an image is read whole up to the server's 1 MB a read. */
export const PREVIEW_BYTES = 64 * 1024;
export const IMAGE_BYTES = 1024 * 1024;

interface BlobsState {
  pathContains: string;
  selected: string | null;
  /** The range shown of the selected blob */
  chunk: BlobChunk | null;
  error: ShownError | null;
  setPathContains(text: string): void;
  select(path: string | null): Promise<void>;
  /** Show the range starting at `offset` */
  readAt(offset: number): Promise<void>;
  /** From a record's blob link: the Blobs view with that blob selected */
  show(path: string): void;
}

export const useBlobs = forgetOnOpen(create<BlobsState>()((set, get) => ({
  pathContains: "",
  selected: null,
  chunk: null,
  error: null,
  setPathContains(pathContains) {
    set({ pathContains });
    void blobList.getState().refresh();
  },
  async select(path) {
    set({ selected: path, chunk: null, error: null });
    if (path) await get().readAt(0);
  },
  async readAt(offset) {
    const path = get().selected;
    if (!path) return;
    try {
      // The first read tells the kind; an image is then read whole (as far as one read goes) to be drawn.
      let chunk = await api.call("blobs.read", { path, offset, length: PREVIEW_BYTES });
      if (chunk.kind === "image" && offset === 0 && chunk.bytes > PREVIEW_BYTES) chunk = await api.call("blobs.read", { path, offset: 0, length: IMAGE_BYTES });
      if (get().selected === path) set({ chunk, error: null });
    } catch (err) {
      if (get().selected === path) set({ error: errorText(err) });
    }
  },
  show(path) {
    useUi.getState().show("blobs");
    void get().select(path);
  },
})));

export const blobList = createPaged<BlobInfo>(() => {
  const { pathContains } = useBlobs.getState();
  return (offset, limit) => api.call("blobs.list", { offset, limit, ...(pathContains ? { pathContains } : {}) });
});
