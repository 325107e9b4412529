/** How values read in a table cell, a timestamp in a list, counts, and op numbers and positions everywhere. */
import { dateTimeText } from "./timeFormat";

export function cellText(value: unknown): string {
  if (value === undefined) return "";
  if (value === null) return "null";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** A stored timestamp in the app's one time format (timeFormat.ts), to the second; one that is no date, as written. */
export function shortTime(ts: string): string {
  const ms = Date.parse(ts);
  return Number.isNaN(ms) ? ts : dateTimeText(ms, "second");
}

/** The user's number format, made once: n.toLocaleString() makes one each call, and a Timeline step formats dozens of counts. */
const NUMBER_FORMAT = new Intl.NumberFormat();

/** A number as n.toLocaleString() writes it ("1,941"). */
export function numberText(n: number): string {
  return NUMBER_FORMAT.format(n);
}

/** A count and its noun, singular for one: "1 op", "2 ops", "1 entry" ("entries" given). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${numberText(n)} ${n === 1 ? one : many}`;
}

/** A file size as people read it: 812 B, 4.2 KB, 27.1 MB, 1.3 GB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/*
 * Op numbers and positions, one convention for the whole UI. Ops are numbered
 * from 1 in replay order (op #1 is the first op applied); position N is the
 * state after op #N, and position 0 the oldest state on disk, before op #1.
 * So "replay here" on op #25 shows position 25. The inspector's `pos` is
 * 0-based: the op at pos p is op #(p + 1).
 */
export function opNumber(pos: number): number {
  return pos + 1;
}

export function opLabel(pos: number): string {
  return `#${numberText(opNumber(pos))}`;
}

/** The position just after an op: where "replay here" takes the Timeline. */
export function positionAfter(pos: number): number {
  return pos + 1;
}

/** Where an event between ops (an archive, a compaction) takes effect: "position 6, after op #6". */
export function eventPlace(position: number): string {
  return `position ${numberText(position)}, ${position === 0 ? "before op #1" : `after op #${numberText(position)}`}`;
}

/** A history-chain link named by the snapshot it starts from and that snapshot's time. */
export function linkName(snapshot: string | null, timestamp: string | null): string {
  if (!snapshot) return "the empty state at the store's creation";
  return `${snapshot.replace(/^snapshots\//, "")}${timestamp ? ` (written ${shortTime(timestamp)})` : ""}`;
}
