/**
 * The Records view's Schema tab (Compass's Schema tab): which tab shows, the
 * position and sample size the schema is of, and the schema itself. The
 * filter is the Records filter (one query bar for both tabs, as in Compass);
 * clicking a value in the schema adds it to that filter.
 */
import { create } from "zustand";
import type { StoreSchema } from "../../../electron/contract";
import { api, errorText } from "../api/client";
import type { ShownError } from "../api/client";
import { parseFilter } from "../lib/filter";
import { forgetOnOpen, NewestRequest } from "./perStore";
import { useRecordsQuery } from "./records";
import { useUi } from "./ui";

export type RecordsTab = "documents" | "schema";
/** Records described: Compass samples 1000; 0 reads every record */
export const SAMPLE_SIZES = [1000, 10_000, 0] as const;

interface SchemaState {
  tab: RecordsTab;
  /** The position described; null = now */
  at: number | null;
  sample: number;
  schema: StoreSchema | null;
  loading: boolean;
  error: ShownError | null;
  setTab(tab: RecordsTab): void;
  setAt(at: number | null): void;
  setSample(sample: number): void;
  load(): Promise<void>;
}

const newest = new NewestRequest();

export const useSchema = forgetOnOpen(create<SchemaState>()((set, get) => ({
  tab: "documents",
  at: null,
  sample: 1000,
  schema: null,
  loading: false,
  error: null,
  setTab: (tab) => set({ tab }),
  setAt(at) {
    set({ at });
    void get().load();
  },
  setSample(sample) {
    set({ sample });
    void get().load();
  },
  async load() {
    const wanted = newest.ask(); // only the last question's answer is shown
    const { at, sample } = get();
    const filter = useRecordsQuery.getState().filter;
    set({ loading: true });
    try {
      const schema = await api.call("schema", { sample, ...(at === null ? {} : { at }), ...(filter ? { filter } : {}) });
      if (wanted()) set({ schema, error: null, loading: false });
    } catch (err) {
      if (wanted()) set({ error: errorText(err), loading: false });
    }
  },
})));

/**
 * Add `path: condition` to the Records filter (replacing a condition on the
 * same path) and apply it: a click on a value in the schema narrows the
 * records to those holding it. Text that does not parse is replaced.
 */
export async function addToFilter(path: string, condition: unknown): Promise<void> {
  const q = useRecordsQuery.getState();
  const parsed = parseFilter(q.filterText);
  const current = parsed.ok && parsed.value ? parsed.value : {};
  q.setFilterText(JSON.stringify({ ...current, [path]: condition }));
  await useRecordsQuery.getState().applyFilter(); // the Schema tab reloads when the filter in force changes
}

/** The Schema tab at a position (the Timeline's "Schema here"). */
export function showSchemaAt(at: number): void {
  useSchema.setState({ tab: "schema", at });
  useUi.getState().show("records"); // the tab, once shown, loads it
}
