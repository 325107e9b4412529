/**
 * A columnar cache of field values, built lazily for the fields a filter
 * names: per top-level field, the value each op's data had (by op entry),
 * read from the WALs the first time a filter needs it and kept for every
 * later filter, position and step. Only the named fields are kept, not whole
 * documents, so a filter over a whole state at any position costs a lookup
 * per record once its versions have been read; the column sweep
 * (column-sweep.ts) fills most of them in the background. Snapshot values are in memory
 * already and are cut down on the fly. The cache belongs to one build of the
 * index: entries are renumbered by a rebuild, so the inspector drops it then.
 */
import { ABSENT_FIELD, NOT_KEPT, NUMBER } from "./column-sweep.js";
import type { SweptColumns } from "./column-sweep.js";
import type { History } from "./history.js";
import type { Doc } from "./types.js";

/** Not read yet; `undefined` in a column means the op's data has no such field. */
const NOT_READ = Symbol("not read");
type Cell = unknown;

/** Ops read per batch when a column is filled (keeps each read's text short-lived). */
const FILL_BATCH = 16_384;

export class FieldColumns {
  private byField = new Map<string, Cell[]>();
  private swept: SweptColumns | null = null;
  /** Op entry -> its index in the sweep (-1: not swept) */
  private sweptIndex: Int32Array | null = null;

  constructor(private readonly h: History) {}

  /**
   * The values of version sources for `fields`, field by field: out[f][i] is
   * field f's value in srcs[i] (undefined: absent). Reads the ops' values not
   * yet in the columns.
   */
  gather(srcs: ArrayLike<number>, fields: readonly string[]): unknown[][] {
    if (fields.length === 0) return [];
    this.fill(srcs, fields);
    const { versions } = this.h;
    return fields.map((field) => {
      const column = this.byField.get(field)!;
      const out: unknown[] = new Array(srcs.length);
      for (let i = 0; i < srcs.length; i++) {
        const src = srcs[i];
        if (src >= 0) out[i] = column[src];
        else {
          const doc = versions.snapshotValue(src);
          out[i] = doc && Object.hasOwn(doc, field) ? doc[field] : undefined;
        }
      }
      return out;
    });
  }

  /** Read into the columns every op among srcs that lacks one of `fields`. */
  private fill(srcs: ArrayLike<number>, fields: readonly string[]): void {
    const columns = fields.map((f) => this.column(f));
    const missing: number[] = [];
    for (let i = 0; i < srcs.length; i++) {
      const src = srcs[i];
      if (src >= 0 && columns.some((c) => c[src] === NOT_READ)) missing.push(src);
    }
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
      if (op?.id !== versions.ids[table.rec(e)] || op.op !== table.op(e) || !op.data || typeof op.data !== "object") throw reader.lineChanged(e);
      this.put(e, op.data as Doc, fields);
    });
  }

  private put(e: number, data: Doc, fields: readonly string[]): void {
    for (const field of fields) this.byField.get(field)![e] = Object.hasOwn(data, field) ? data[field] : undefined;
  }

  /** The column of `field`, as long as the op index; a new one starts from the sweep's values. */
  private column(field: string): Cell[] {
    let column = this.byField.get(field);
    const fresh = !column;
    if (!column) this.byField.set(field, (column = []));
    const length = this.h.table.length;
    while (column.length < length) column.push(NOT_READ); // pushed, not sized: the array stays packed
    if (fresh) this.fromSweep(field, column);
    return column;
  }

  /**
   * Whether the data of two ops is known to differ: their hashes, which are
   * equal for equal values, differ. False when not known (not swept yet):
   * the caller compares the values themselves.
   */
  knownDifferent(a: number, b: number): boolean {
    const index = this.sweptIndex;
    if (!index || a < 0 || b < 0 || a >= index.length || b >= index.length) return false;
    const i = index[a];
    const j = index[b];
    if (i < 0 || j < 0) return false;
    const { hashes, hashed } = this.swept!;
    return hashed[i] === 1 && hashed[j] === 1 && (hashes[2 * i] !== hashes[2 * j] || hashes[2 * i + 1] !== hashes[2 * j + 1]);
  }

  /** Take the values the column sweep kept (column-sweep.ts), for the columns here and those to come. */
  adopt(swept: SweptColumns): void {
    this.swept = swept;
    this.sweptIndex = new Int32Array(this.h.table.length).fill(-1);
    swept.entries.forEach((e, i) => (this.sweptIndex![e] = i));
    for (const [field, column] of this.byField) this.fromSweep(field, column);
  }

  private fromSweep(field: string, column: Cell[]): void {
    const swept = this.swept;
    const values = swept?.fields.get(field);
    if (!swept || (!values && swept.capped)) return; // past the fields it kept: read lazily
    const { entries } = swept;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      if (column[e] !== NOT_READ) continue;
      const code = values ? values.codes[i] : ABSENT_FIELD;
      if (code === NOT_KEPT) continue;
      column[e] = code === ABSENT_FIELD ? undefined : code === NUMBER ? values!.numbers![i] : values!.values[code - 1];
    }
  }
}
