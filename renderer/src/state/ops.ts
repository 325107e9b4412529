/** The Operations view's filters and its paged, merged timeline. */
import { create } from "zustand";
import type { TimelineOp } from "../../../electron/contract";
import { api } from "../api/client";
import type { ShownError } from "../api/client";
import { createPaged } from "./paged";
import { filterBar } from "./filterBar";
import type { FilterBar } from "./filterBar";

/** Its FilterBar: a query over the ops' fields, e.g. {"data.status": "done"}. */
interface OpsFilters extends FilterBar {
  agent: string;
  op: "" | "set" | "delete";
  id: string;
  from: string;
  to: string;
  set(change: Partial<Pick<OpsFilters, "agent" | "op" | "id" | "from" | "to">>): void;
}

export const useOpsFilters = create<OpsFilters>()((set, get) => ({
  agent: "",
  op: "",
  id: "",
  from: "",
  to: "",
  ...filterBar(set, get, (): Promise<ShownError | null> => ops.getState().refresh()),
  set(change) {
    set(change);
    void ops.getState().refresh();
  },
}));

function isoOrUndefined(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(`${local}Z`); // the explorer shows every time in UTC, so the pickers mean UTC too
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export const ops = createPaged<TimelineOp>(() => {
  const f = useOpsFilters.getState();
  const from = isoOrUndefined(f.from);
  const to = isoOrUndefined(f.to);
  return (offset, limit) =>
    api.call("ops.page", { offset, limit, ...(f.agent ? { agent: f.agent === "(none)" ? null : f.agent } : {}), ...(f.op ? { op: f.op } : {}), ...(f.id ? { id: f.id } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}), ...(f.filter ? { filter: f.filter } : {}) });
});
