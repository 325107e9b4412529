/**
 * The views of an open store, in a chunk of their own (App.tsx loads it
 * lazily): with their charts and libraries (uPlot, d3, the JSON viewer) they
 * are half the renderer's code, and the page shows a store's loading
 * progress, or the open screen, without parsing any of it.
 */
import type { JSX } from "react";
import type { ViewName } from "../state/ui";
import { RecordsView } from "./RecordsView";
import { OperationsView } from "./OperationsView";
import { AgentsView } from "./AgentsView";
import { ArchiveView } from "./ArchiveView";
import { HistoryView } from "./HistoryView";
import { TimelineView } from "./TimelineView";
import { BlobsView } from "./BlobsView";

export const VIEW_COMPONENTS: Record<ViewName, () => JSX.Element> = {
  records: RecordsView,
  operations: OperationsView,
  agents: AgentsView,
  archive: ArchiveView,
  history: HistoryView,
  timeline: TimelineView,
  blobs: BlobsView,
};
