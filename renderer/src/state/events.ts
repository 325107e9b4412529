/**
 * The store's archives and compactions (timeline events), loaded for the
 * scrubber's markers and the event detail. Neither is an op: each takes
 * effect between two ops, at its position (see eventRows.ts).
 */
import { create } from "zustand";
import type { TimelineEvent } from "../../../electron/contract";
import { api, errorText } from "../api/client";
import type { ShownError } from "../api/client";
import { forgetOnOpen } from "./perStore";

interface EventsState {
  /** Every event, in timeline order */
  events: TimelineEvent[];
  error: ShownError | null;
  load(): Promise<void>;
}

export const useTimelineEvents = forgetOnOpen(create<EventsState>()((set) => ({
  events: [],
  error: null,
  async load() {
    try {
      set({ events: await api.call("timeline.events", {}), error: null });
    } catch (err) {
      set({ error: errorText(err) });
    }
  },
})));
