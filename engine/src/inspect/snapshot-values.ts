/**
 * The values snapshots set (versions.ts's sources < 0), numbered from 1 (0 is
 * "absent"), and their top-level fields as columns. A filter reads a field of
 * every record alive, so it reads the column (a typed array of codes), not a
 * million documents; a column is made the first time a filter names its
 * field. In the index cache (index-cache-codec.ts) the documents are kept
 * out of the one V8-serialised graph, whose read back was most of a reopen:
 * they are written in chunks of their own, each read back only when one of
 * its documents is asked for, with the columns of their fields beside them.
 */
import { deserialize, serialize } from "node:v8";
import type { Doc } from "./types.js";

/** Documents per chunk in the index cache: a page of records reads back a few chunks, not all. */
export const CHUNK_DOCS = 256;
/** Fields whose columns the index cache keeps (the first seen in the documents) */
const MAX_CACHED_FIELDS = 32;
/** Strings longer than this are not kept in a column (read from the document) */
const MAX_STRING = 256;

/** A column's codes: absent, not kept (read the document), a number (in `numbers`), true, false, null; > 0: strings[code - 1]. */
export const ABSENT = 0;
const OTHER = -1;
const NUMBER = -2;
const TRUE = -3;
const FALSE = -4;
const NULL = -5;

export interface SnapshotColumn {
  /** By value number (index 0 unused) */
  codes: Int32Array;
  /** By value number, or empty when the field holds no number */
  numbers: Float64Array;
  strings: string[];
}

/** How the index cache holds them: each chunk V8-serialised on its own, and the columns. */
export interface EncodedSnapshotValues {
  count: number;
  chunks: Uint8Array[];
  columns: Map<string, SnapshotColumn>;
}

export class SnapshotValues {
  /** The documents by number, those in memory (a reopen reads a chunk back when one of its documents is asked for) */
  private docs: (Doc | undefined)[] = [undefined];
  /** The chunks still as bytes (a loaded cache), by chunk number; null once all are read or when built here */
  private encoded: (Uint8Array | null)[] | null = null;
  private count = 1;
  private readonly columns = new Map<string, SnapshotColumn>();

  /** Keep a snapshot's value; its number (>= 1). */
  push(doc: Doc): number {
    this.docs[this.count] = doc;
    return this.count++;
  }

  get size(): number {
    return this.count;
  }

  /** Value number j (>= 1). */
  get(j: number): Doc {
    let doc = this.docs[j];
    if (doc === undefined && this.encoded) {
      this.readChunk(Math.floor(j / CHUNK_DOCS));
      doc = this.docs[j];
    }
    return doc!;
  }

  /** Value j if it is in memory (not still in a chunk of the cache's bytes). */
  peek(j: number): Doc | undefined {
    return this.docs[j];
  }

  private readChunk(c: number): void {
    const bytes = this.encoded![c];
    if (!bytes) return;
    const docs = deserialize(bytes) as Doc[];
    for (let i = 0; i < docs.length; i++) this.docs[c * CHUNK_DOCS + i] = docs[i];
    this.encoded![c] = null;
  }

  /**
   * field's value in each of the values numbered js[i] (undefined: absent)
   * into out[i] for each i where js[i] >= 1, from the field's column (made
   * now if there is none).
   */
  read(field: string, js: ArrayLike<number>, at: ArrayLike<number>, out: unknown[]): void {
    const column = this.column(field);
    const { codes, numbers, strings } = column;
    for (let k = 0; k < js.length; k++) {
      const j = js[k];
      const code = codes[j];
      const i = at[k];
      if (code > 0) out[i] = strings[code - 1];
      else if (code === ABSENT) out[i] = undefined;
      else if (code === NUMBER) out[i] = numbers[j];
      else if (code === TRUE) out[i] = true;
      else if (code === FALSE) out[i] = false;
      else if (code === NULL) out[i] = null;
      else out[i] = this.get(j)[field];
    }
  }

  /** field's column over every value. */
  column(field: string): SnapshotColumn {
    let column = this.columns.get(field);
    if (!column || column.codes.length !== this.count) {
      column = this.makeColumn(field);
      this.columns.set(field, column);
    }
    return column;
  }

  private makeColumn(field: string): SnapshotColumn {
    const codes = new Int32Array(this.count);
    let numbers = new Float64Array(0);
    const strings: string[] = [];
    const lookup = new Map<string, number>();
    for (let j = 1; j < this.count; j++) {
      const doc = this.get(j);
      if (!Object.hasOwn(doc, field)) continue;
      const v = doc[field];
      if (typeof v === "string") {
        if (v.length > MAX_STRING) codes[j] = OTHER;
        else {
          let code = lookup.get(v);
          if (code === undefined) lookup.set(v, (code = strings.push(v)));
          codes[j] = code;
        }
      } else if (typeof v === "number") {
        codes[j] = NUMBER;
        if (numbers.length === 0) numbers = new Float64Array(this.count);
        numbers[j] = v;
      } else if (v === true) codes[j] = TRUE;
      else if (v === false) codes[j] = FALSE;
      else if (v === null) codes[j] = NULL;
      else codes[j] = OTHER;
    }
    return { codes, numbers, strings };
  }

  /** For the index cache: the documents in chunks, and the columns of the first fields they have. */
  encode(): EncodedSnapshotValues {
    const chunks: Uint8Array[] = [];
    const fields = new Set<string>(this.columns.keys());
    for (let from = 0, c = 0; from < this.count; from += CHUNK_DOCS, c++) {
      const kept = this.encoded?.[c];
      if (kept) {
        chunks.push(kept); // still the bytes the cache held: written back as they are
        continue;
      }
      const docs: Doc[] = [];
      for (let j = from; j < Math.min(this.count, from + CHUNK_DOCS); j++) {
        const doc = j === 0 ? {} : this.get(j);
        docs.push(doc);
        if (fields.size < MAX_CACHED_FIELDS) for (const key in doc) if (Object.hasOwn(doc, key) && fields.size < MAX_CACHED_FIELDS) fields.add(key);
      }
      const bytes = serialize(docs);
      chunks.push(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length)); // a plain view: the codec writes it as a raw section
    }
    const columns = new Map<string, SnapshotColumn>();
    for (const field of fields) columns.set(field, this.column(field));
    return { count: this.count, chunks, columns };
  }

  /** The values the index cache kept (encode()): the documents stay bytes until asked for. */
  static decode(encoded: EncodedSnapshotValues): SnapshotValues {
    const values = new SnapshotValues();
    values.count = encoded.count;
    values.docs = new Array<Doc | undefined>(encoded.count);
    values.encoded = [...encoded.chunks];
    if (values.encoded.length !== Math.ceil(encoded.count / CHUNK_DOCS)) throw new Error("snapshot values in another number of chunks");
    for (const [field, column] of encoded.columns) {
      if (column.codes.length !== encoded.count || (column.numbers.length !== encoded.count && column.numbers.length !== 0)) throw new Error(`a snapshot column of another length (${field})`);
      values.columns.set(field, column);
    }
    return values;
  }
}
