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
import { ONE_OFF, stillWanted } from "./request";
import type { QueryRequest } from "./request";

interface EventsState {
  /** Every event, in timeline order */
  events: TimelineEvent[];
  error: ShownError | null;
  /** Load them; the answer is kept only while `request` is the newest */
  load(request?: QueryRequest): Promise<void>;
}

export const useTimelineEvents = forgetOnOpen(create<EventsState>()((set) => ({
  events: [],
  error: null,
  async load(request = ONE_OFF) {
    try {
      const events = await api.call("timelineEvents", {}, request.options);
      if (stillWanted(request)) set({ events, error: null });
    } catch (err) {
      if (stillWanted(request, err)) set({ error: errorText(err) });
    }
  },
})));
