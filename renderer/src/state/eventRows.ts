/**
 * Timeline events (archives, compactions) as the lists show them: their
 * words, and their places among the ops of the Operations list. Pure: no
 * store, no calls.
 */
import type { Page, TimelineEvent, TimelineOp } from "../../../electron/contract";

/** "archive/archive-2026-Q1.json" -> "archive-2026-Q1" */
export const segmentName = (path: string): string => path.replace(/^archive\//, "").replace(/\.json$/, "");
/** "snapshots/snap-1772484574000.jsonl" -> "snap-1772484574000" */
export const snapshotName = (path: string): string => path.replace(/^snapshots\//, "").replace(/\.jsonl?$/, "");

/** What happened, in one line: "archived 13 records to archive-2026-Q1", "compacted: snapshot snap-…, 900 ops folded". */
export function describeEvent(e: TimelineEvent): string {
  if (e.kind === "archive") return `archived ${e.archivedCount.toLocaleString()} ${e.archivedCount === 1 ? "record" : "records"} to ${segmentName(e.segment ?? "")}`;
  return `compacted: snapshot ${snapshotName(e.snapshot)}, ${e.opsFolded === null ? "its WALs are gone" : `${e.opsFolded.toLocaleString()} ${e.opsFolded === 1 ? "op" : "ops"} folded`}`;
}

export const eventKey = (e: TimelineEvent): string => `event-${e.position}-${e.kind}-${e.segment ?? ""}`;

/** A row of the Operations list: an op, or an event in its place. */
export type OpsRow = TimelineOp | TimelineEvent;
export const isEvent = (row: OpsRow): row is TimelineEvent => "kind" in row;

/**
 * One page of the list of ops with the events among them. Event i sits at
 * list index opsBefore + i (after the ops before it and the events before
 * it); the ops fill the other indexes, in order.
 */
export async function interleave(events: TimelineEvent[], offset: number, limit: number, fetchOps: (offset: number, limit: number) => Promise<Page<TimelineOp>>): Promise<Page<OpsRow>> {
  const slots = events.map((e, i) => e.opsBefore + i);
  const earlier = slots.filter((s) => s < offset).length;
  const here = events.map((e, i) => ({ e, slot: slots[i] })).filter(({ slot }) => slot >= offset && slot < offset + limit);
  const opCount = limit - here.length;
  // Asked for even when the page is all events: its total is the list's.
  const page = await fetchOps(offset - earlier, Math.max(1, opCount));
  const ops = opCount > 0 ? page.rows : [];
  const rows: OpsRow[] = [];
  let o = 0;
  let e = 0;
  for (let index = offset; index < offset + limit; index++) {
    if (e < here.length && here[e].slot === index) rows.push(here[e++].e);
    else if (o < ops.length) rows.push(ops[o++]);
    else if (e < here.length) rows.push(here[e++].e);
    else break;
  }
  return { rows, total: page.total + events.length, offset, limit };
}
