/** The Operations view's filters and its paged, merged timeline. */
import { create } from "zustand";
import type { TimelineOp } from "../../../electron/contract";
import { api } from "../api/client";
import { createPaged } from "./paged";
import { parseFilter } from "../components/filter";

interface OpsFilters {
  agent: string;
  op: "" | "set" | "delete";
  id: string;
  /** A query over the op's fields, e.g. {"data.status": "done"}: text as typed, and the parsed query or the parse problem */
  queryText: string;
  query: Record<string, unknown> | undefined;
  queryError: string | null;
  setQueryText(text: string): void;
  applyQuery(): void;
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
  queryText: "",
  query: undefined,
  queryError: null,
  setQueryText: (queryText) => set({ queryText }),
  applyQuery() {
    const parsed = parseFilter(get().queryText);
    if (!parsed.ok) return set({ queryError: parsed.error });
    set({ query: parsed.value, queryError: null });
    void ops.getState().refresh();
  },
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
    api.call("ops.page", { offset, limit, ...(f.agent ? { agent: f.agent === "(none)" ? null : f.agent } : {}), ...(f.op ? { op: f.op } : {}), ...(f.id ? { id: f.id } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}), ...(f.query ? { filter: f.query } : {}) });
});
