/**
 * The values of the fields a filter names, for any version sources: from
 * the columns the build kept (kept-columns.ts) where it kept them, from the
 * snapshot values' columns (snapshot-values.ts), and otherwise (objects, arrays, long strings,
 * fields past the ones kept) read from the WALs the first time a filter
 * needs them and kept for every later filter, position and step. Only the
 * named fields are kept, not whole documents. The cache belongs to one build
 * of the index: entries are renumbered by a rebuild, so the inspector drops
 * it then.
 */
import type { StoreIndex } from "./store-index.js";
import { UNKNOWN } from "./kept-columns.js";
import { ABSENT, SNAPSHOT_ABSENT } from "./versions.js";
import type { Doc } from "./types.js";

/** Not read yet; `undefined` in a column means the op's data has no such field. */
const NOT_READ = Symbol("not read");
type Cell = unknown;

/** Ops read per batch when a column is filled (keeps each read's text short-lived). */
const FILL_BATCH = 16_384;

export class FieldColumns {
  /** Values the build did not keep, read from the WALs, by field and op entry */
  private readonly byField = new Map<string, Cell[]>();

  constructor(private readonly h: StoreIndex) {}

  /**
   * The values of version sources for `fields`, field by field: out[f][i] is
   * field f's value in srcs[i] (undefined: absent). Reads the ops' values
   * that were not kept.
   */
  gather(srcs: ArrayLike<number>, fields: readonly string[]): unknown[][] {
    const { versions, columns } = this.h;
    const outs = fields.map((field) => {
      const out: unknown[] = new Array(srcs.length);
      columns.read(field, srcs, out);
      return out;
    });
    const unknown = new Set<number>();
    // Snapshot values: value numbers (and where they go in out), read from the snapshots' columns.
    const js = new Int32Array(srcs.length);
    const at = new Int32Array(srcs.length);
    let n = 0;
    for (let i = 0; i < srcs.length; i++) {
      const src = srcs[i];
      if (src < 0) {
        if (src === SNAPSHOT_ABSENT || src === ABSENT) for (let f = 0; f < fields.length; f++) outs[f][i] = undefined;
        else {
          js[n] = -1 - src;
          at[n++] = i;
        }
      } else for (let f = 0; f < fields.length; f++) if (outs[f][i] === UNKNOWN) unknown.add(src);
    }
    if (n > 0) fields.forEach((field, f) => versions.snapshots.read(field, js.subarray(0, n), at.subarray(0, n), outs[f]));
    if (unknown.size === 0) return outs;
    this.fill([...unknown], fields);
    fields.forEach((field, f) => {
      const column = this.byField.get(field)!;
      const out = outs[f];
      for (let i = 0; i < srcs.length; i++) if (out[i] === UNKNOWN) out[i] = column[srcs[i]];
    });
    return outs;
  }

  /** Read into the columns every one of these ops that lacks one of `fields`. */
  private fill(entries: number[], fields: readonly string[]): void {
    const columns = fields.map((f) => this.column(f));
    const missing = entries.filter((e) => columns.some((c) => c[e] === NOT_READ));
    if (missing.length === 0) return;
    const { table, head, versions } = this.h;
    const unread: number[] = [];
    // A record's latest value may be in memory already (parsed by this thread during the build).
    for (const e of missing) {
      const rec = table.rec(e);
      const value = versions.lastSrc(rec) === e ? head.peek(rec) : undefined;
      if (value) this.put(e, value, fields);
      else unread.push(e);
    }
    unread.sort((a, b) => a - b);
    for (let b = 0; b < unread.length; b += FILL_BATCH) this.read(unread.slice(b, b + FILL_BATCH), fields);
  }

  /** Parse each op's line and keep its fields: the index checked these lines when it was built, so only their identity is checked again. */
  private read(entries: number[], fields: readonly string[]): void {
    const { reader, table, versions } = this.h;
    reader.eachLine(entries, (e, text) => {
      let op: { id?: unknown; op?: unknown; data?: unknown };
      try {
        op = JSON.parse(text) as typeof op;
      } catch {
        throw reader.lineChanged(e);
      }
      if (op?.id !== versions.ids.at(table.rec(e)) || op.op !== table.op(e) || !op.data || typeof op.data !== "object") throw reader.lineChanged(e);
      this.put(e, op.data as Doc, fields);
    });
  }

  private put(e: number, data: Doc, fields: readonly string[]): void {
    for (const field of fields) this.byField.get(field)![e] = Object.hasOwn(data, field) ? data[field] : undefined;
  }

  /** The column of values read for `field`, as long as the op index. */
  private column(field: string): Cell[] {
    let column = this.byField.get(field);
    if (!column) this.byField.set(field, (column = []));
    const length = this.h.table.length;
    while (column.length < length) column.push(NOT_READ); // pushed, not sized: the array stays packed
    return column;
  }
}
