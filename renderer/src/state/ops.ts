/** The Operations view's filters and its paged, merged timeline, with the archives and compactions in their places. */
import { create } from "zustand";
import type { TimelineEvent } from "../../../electron/contract";
import { api } from "../api/client";
import type { ShownError } from "../api/client";
import { createPaged } from "./paged";
import { interleave } from "./eventRows";
import type { OpsRow } from "./eventRows";
import { useSession } from "./session";
import { filterBar } from "./filterBar";
import type { FilterBar } from "./filterBar";
import { forgetOnOpen } from "./perStore";

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
  ...filterBar(set, get, (): Promise<ShownError | null> => ops.getState().refresh(), "operations"),
  set(change) {
    set(change);
    void ops.getState().refresh();
  },
})));

function isoOrUndefined(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(`${local}Z`); // the explorer shows every time in UTC, so the pickers mean UTC too
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The events placed among the ops these filters keep, fetched once per filters and store revision. */
let placed: { key: string; events: Promise<TimelineEvent[]> } | null = null;

export const ops = createPaged<OpsRow>(() => {
  const f = useOpsFilters.getState();
  const from = isoOrUndefined(f.from);
  const to = isoOrUndefined(f.to);
  const filters = { ...(f.agent ? { agent: f.agent === "(none)" ? null : f.agent } : {}), ...(f.op ? { op: f.op } : {}), ...(f.id ? { id: f.id } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}), ...(f.filter ? { filter: f.filter } : {}) };
  const key = `${useSession.getState().revision}/${JSON.stringify(filters)}`;
  if (placed?.key !== key) {
    placed = { key, events: api.call("timeline.events", filters) };
    placed.events.then((events) => useOpsFilters.setState({ eventCount: events.length }), () => undefined); // a failure shows through the page
  }
  const events = placed.events;
  return async (offset, limit) => interleave(await events, offset, limit, (o, l) => api.call("ops.page", { offset: o, limit: l, ...filters }));
});
