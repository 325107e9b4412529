/** The Operations view's filters and its paged, merged timeline, with the archives and compactions in their places. */
import { create } from "zustand";
import type { TimelineEvent } from "../../../electron/contract";
import { api } from "../api/client";
import type { ShownError } from "../api/client";
import { createPaged } from "./paged";
import { interleave } from "./eventRows";
import type { OpsRow } from "./eventRows";
import { filterBar } from "./filterBar";
import type { FilterBar } from "./filterBar";
import { forgetOnOpen } from "./perStore";
import { supersedeKey } from "./request";

/** Its FilterBar: a query over the ops' fields, e.g. {"data.status": "done"}. */
interface OpsFilters extends FilterBar {
  /** How many archive/compaction rows the list holds besides its ops */
  eventCount: number;
  agent: string;
  op: "" | "set" | "delete";
  id: string;
  from: string;
  to: string;
  set(change: Partial<Pick<OpsFilters, "agent" | "op" | "id" | "from" | "to">>): void;
}

export const useOpsFilters = forgetOnOpen(create<OpsFilters>()((set, get) => ({
  eventCount: 0,
  agent: "",
  op: "",
  id: "",
  from: "",
  to: "",
  ...filterBar(set, get, refreshOps, "operations"),
  set(change) {
    set(change);
    void refreshOps();
  },
})));

function isoOrUndefined(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(`${local}Z`); // the explorer shows every time in UTC, so the pickers mean UTC too
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The events placed among the ops these filters keep: fetched once per refresh of the list (and per filters). */
let placed: { key: string; events: Promise<TimelineEvent[]> } | null = null;

/** The filters as the calls take them (ops, timelineEvents, an export of the list). */
export function opsFilters() {
  const f = useOpsFilters.getState();
  const from = isoOrUndefined(f.from);
  const to = isoOrUndefined(f.to);
  return { ...(f.agent ? { agent: f.agent === "(none)" ? null : f.agent } : {}), ...(f.op ? { op: f.op } : {}), ...(f.id ? { id: f.id } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}), ...(f.filter ? { filter: f.filter } : {}) };
}

/** Fetch the list again, and the events placed in it (the filters changed, or the store did). */
export function refreshOps(): Promise<ShownError | null> {
  placed = null;
  return ops.getState().refresh();
}

export const ops = createPaged<OpsRow>(() => {
  const filters = opsFilters();
  const key = JSON.stringify(filters);
  if (placed?.key !== key) {
    const mine = (placed = { key, events: api.call("timelineEvents", filters, { supersede: supersedeKey("ops/events") }) });
    mine.events.then((events) => placed === mine && useOpsFilters.setState({ eventCount: events.length }), () => undefined); // a failure shows through the page
  }
  const events = placed.events;
  return async (offset, limit, options) => interleave(await events, offset, limit, (o, l) => api.call("ops", { offset: o, limit: l, ...filters }, options));
}, "ops");
