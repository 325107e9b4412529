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
import { SMALL_INTS } from "./value-codes.js";

/** Documents per chunk in the index cache: a page of records reads back a few chunks, not all. */
export const CHUNK_DOCS = 256;
/** Fields whose columns the index cache keeps (the first seen in the documents) */
const MAX_CACHED_FIELDS = 32;
/** Chunks encoded per turn of the event loop when the cache's write is prepared */
const PREPARE_CHUNKS = 64;
/** A column with more distinct strings than this is not kept in the cache (its strings would be most of the graph's read) */
const MAX_CACHED_STRINGS = 65_536;
/** Documents coded per turn when columns are made ahead (makeColumnsAhead): a query waits for one slice at most */
const AHEAD_SLICE = 16_384;
/** Strings longer than this are not kept in a column (read from the document) */
const MAX_STRING = 256;

/** A column's codes: absent, not kept (read the document), a number (in `numbers`), true, false, null; > 0: strings[code - 1]. */
const ABSENT = 0;
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
  /** null while still packed (a loaded cache): made from `packed` when first read */
  strings: string[] | null;
  packed?: PackedStrings;
}

/** A column's strings as the cache keeps them: one UTF-8 text (a raw section, no parse on load) and each string's length in UTF-16 units. */
interface PackedStrings {
  text: Uint8Array;
  lengths: Int32Array;
  /** UTF-16 when some string holds a lone surrogate (UTF-8 cannot carry it) */
  encoding: "utf-8" | "utf16le";
}

/** A chunk's bytes not read yet: still in the index cache's file (index-cache-codec.ts), read when asked for. */
export interface ChunkOnDisk {
  read(): Uint8Array;
}

/** How the index cache holds them: each chunk V8-serialised on its own, and the columns, their strings packed. */
export interface EncodedSnapshotValues {
  count: number;
  chunks: (Uint8Array | ChunkOnDisk)[];
  columns: Map<string, { codes: Int32Array; numbers: Float64Array; packed: PackedStrings }>;
}

export class SnapshotValues {
  /** The documents by number, those in memory (a reopen reads a chunk back when one of its documents is asked for) */
  private docs: (Doc | undefined)[] = [undefined];
  /** The chunks still as bytes (a loaded cache), by chunk number; null once all are read or when built here */
  private encoded: (Uint8Array | ChunkOnDisk | null)[] | null = null;
  private count = 1;
  private readonly columns = new Map<string, SnapshotColumn>();
  /** encode()'s answer made ahead by prepare(), a few chunks a turn (taken by the next encode) */
  private prepared: EncodedSnapshotValues | null = null;

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
    const kept = this.encoded![c];
    if (!kept) return;
    const docs = deserialize(kept instanceof Uint8Array ? kept : kept.read()) as Doc[];
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
    const { codes, numbers } = column;
    const strings = (column.strings ??= unpack(column.packed!));
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

  /**
   * Of the candidates idx[0..n) (indices into srcs, version sources < 0:
   * value -1 - src), those whose value of `field` passes `test`, to pass
   * (may be idx itself), and those whose value the column does not hold, to
   * unsure from u on, as KeptColumns.sift does. Returns how many passed,
   * and unsure's new count.
   */
  sift(field: string, srcs: Int32Array, idx: Int32Array, n: number, test: (value: unknown) => boolean, pass: Int32Array, unsure: Int32Array, u: number): [passed: number, unsure: number] {
    const column = this.column(field);
    const { codes, numbers } = column;
    const strings = (column.strings ??= unpack(column.packed!));
    const verdicts = new Int8Array(strings.length + 1);
    const small = new Int8Array(SMALL_INTS);
    // The codes of absent, true, false and null, tested once each.
    const special = new Map<number, boolean>([[ABSENT, test(undefined)], [TRUE, test(true)], [FALSE, test(false)], [NULL, test(null)]]);
    let p = 0;
    for (let k = 0; k < n; k++) {
      const i = idx[k];
      const j = -1 - srcs[i];
      const code = codes[j];
      let verdict: number;
      if (code > 0) {
        verdict = verdicts[code];
        if (verdict === 0) verdicts[code] = verdict = test(strings[code - 1]) ? 1 : 2;
      } else if (code === NUMBER) {
        const v = numbers[j];
        if (v >= 1 && v < SMALL_INTS && (v | 0) === v) {
          verdict = small[v];
          if (verdict === 0) small[v] = verdict = test(v) ? 1 : 2;
        } else verdict = test(v) ? 1 : 2;
      }
      else if (code === OTHER) verdict = 0;
      else verdict = special.get(code) ? 1 : 2;
      if (verdict === 1) pass[p++] = i;
      else if (verdict === 0) unsure[u++] = i;
    }
    return [p, u];
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

  /** field's column for the cache: null when it has more distinct strings than are worth keeping (titles, say: a filter on it after a reopen reads the documents). */
  private cachedColumn(field: string): SnapshotColumn | null {
    const column = this.columns.get(field);
    if (column?.codes.length === this.count) return column.strings === null || column.strings.length <= MAX_CACHED_STRINGS ? column : null;
    return this.makeColumn(field, MAX_CACHED_STRINGS); // not kept here: only a filter's fields stay in memory
  }

  private makeColumn(field: string): SnapshotColumn;
  private makeColumn(field: string, maxStrings: number): SnapshotColumn | null;
  private makeColumn(field: string, maxStrings = Infinity): SnapshotColumn | null {
    const maker = new ColumnMaker(field, this.count, maxStrings);
    for (let j = 1; j < this.count; j++) if (!maker.add(j, this.get(j))) return null;
    return maker.column();
  }

  /**
   * Make the columns of the top-level fields of the first documents ahead of
   * any filter, a slice of documents per turn of the event loop (`turn`), in
   * one pass for all of them: the first filter on one of these fields then
   * finds its column made. Fields with too many distinct strings (titles),
   * or no value a column holds (arrays, objects), get none. Nothing is made
   * for values a loaded index cache holds (their columns came with it).
   * Resolves with the fields whose columns hold every value they have (a
   * read of them never reads a document).
   */
  async makeColumnsAhead(turn: () => Promise<void>): Promise<string[]> {
    const count = this.count;
    if (this.encoded || count <= 1) return this.wholeColumns([...this.columns.keys()]);
    const names = new Set<string>();
    for (let j = 1; j < Math.min(count, 1 + CHUNK_DOCS) && names.size < MAX_CACHED_FIELDS; j++) for (const key in this.get(j)) if (Object.hasOwn(this.get(j), key) && names.size < MAX_CACHED_FIELDS) names.add(key);
    let makers = [...names].filter((name) => this.columns.get(name)?.codes.length !== count).map((name) => new ColumnMaker(name, count, MAX_CACHED_STRINGS));
    for (let from = 1; from < count && makers.length > 0; from += AHEAD_SLICE) {
      await turn();
      if (this.count !== count) return [];
      const to = Math.min(count, from + AHEAD_SLICE);
      makers = makers.filter((maker) => {
        for (let j = from; j < to; j++) if (!maker.add(j, this.docs[j]!)) return false;
        return true;
      });
    }
    for (const maker of makers) if (maker.holdsValues && this.columns.get(maker.field)?.codes.length !== count) this.columns.set(maker.field, maker.column());
    return this.wholeColumns([...names]);
  }

  /** Those of `fields` whose columns hold all their values (no OTHER: no document read). */
  private wholeColumns(fields: string[]): string[] {
    return fields.filter((field) => {
      const codes = this.columns.get(field)?.codes;
      return codes?.length === this.count && !codes.includes(OTHER);
    });
  }

  /**
   * Make encode()'s answer ahead, yielding to the event loop (`turn`) every
   * few chunks: the index cache's write (after a build, in the background)
   * then does not hold up the first answers for the seconds a million
   * documents take. The values no longer change once the index is built.
   */
  async prepare(turn: () => Promise<void> = () => new Promise<void>((done) => setImmediate(done))): Promise<void> {
    const chunks: Uint8Array[] = [];
    const fields = new Set<string>(this.columns.keys());
    for (let c = 0; c * CHUNK_DOCS < this.count; c++) {
      chunks.push(this.encodeChunk(c, fields));
      if (c % PREPARE_CHUNKS === PREPARE_CHUNKS - 1) await turn();
    }
    const columns: EncodedSnapshotValues["columns"] = new Map();
    for (const field of fields) {
      const column = this.cachedColumn(field);
      if (column) columns.set(field, packed(column));
      await turn();
    }
    this.prepared = { count: this.count, chunks, columns };
  }

  /** Drop what prepare() made (the write was given up). */
  unprepare(): void {
    this.prepared = null;
  }

  /** For the index cache: the documents in chunks, and the columns of the first fields they have. */
  encode(): EncodedSnapshotValues {
    const prepared = this.prepared;
    this.prepared = null; // written once: its bytes are not kept beside the documents
    if (prepared?.count === this.count) return prepared;
    const chunks: Uint8Array[] = [];
    const fields = new Set<string>(this.columns.keys());
    for (let c = 0; c * CHUNK_DOCS < this.count; c++) chunks.push(this.encodeChunk(c, fields));
    const columns: EncodedSnapshotValues["columns"] = new Map();
    for (const field of fields) {
      const column = this.cachedColumn(field);
      if (column) columns.set(field, packed(column));
    }
    return { count: this.count, chunks, columns };
  }

  /** Chunk c's documents V8-serialised (the names of their fields into `fields`, up to the cap). */
  private encodeChunk(c: number, fields: Set<string>): Uint8Array {
    const kept = this.encoded?.[c];
    if (kept) return kept instanceof Uint8Array ? kept : kept.read(); // still the bytes the cache held: written back as they are
    const docs: Doc[] = [];
    for (let j = c * CHUNK_DOCS; j < Math.min(this.count, (c + 1) * CHUNK_DOCS); j++) {
      const doc = j === 0 ? {} : this.get(j);
      docs.push(doc);
      if (fields.size < MAX_CACHED_FIELDS) for (const key in doc) if (Object.hasOwn(doc, key) && fields.size < MAX_CACHED_FIELDS) fields.add(key);
    }
    const bytes = serialize(docs);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length); // a plain view: the codec writes it as a raw section
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
      values.columns.set(field, { codes: column.codes, numbers: column.numbers, strings: null, packed: column.packed });
    }
    return values;
  }
}

/** One field's column, made document by document (snapshot values in number order). */
class ColumnMaker {
  private readonly codes: Int32Array;
  private numbers = new Float64Array(0);
  private readonly strings: string[] = [];
  private readonly lookup = new Map<string, number>();
  /** Whether some value is held by the column itself (not only OTHER) */
  holdsValues = false;

  constructor(
    readonly field: string,
    private readonly count: number,
    private readonly maxStrings: number,
  ) {
    this.codes = new Int32Array(count);
  }

  /** Code document j's value; false once the field has more distinct strings than maxStrings. */
  add(j: number, doc: Doc): boolean {
    if (!Object.hasOwn(doc, this.field)) return true;
    const v = doc[this.field];
    const codes = this.codes;
    if (typeof v === "string") {
      if (v.length > MAX_STRING) codes[j] = OTHER;
      else {
        let code = this.lookup.get(v);
        if (code === undefined) {
          this.lookup.set(v, (code = this.strings.push(v)));
          if (code > this.maxStrings) return false;
        }
        codes[j] = code;
        this.holdsValues = true;
      }
      return true;
    }
    if (typeof v === "number") {
      codes[j] = NUMBER;
      if (this.numbers.length === 0) this.numbers = new Float64Array(this.count);
      this.numbers[j] = v;
    } else if (v === true) codes[j] = TRUE;
    else if (v === false) codes[j] = FALSE;
    else if (v === null) codes[j] = NULL;
    else {
      codes[j] = OTHER;
      return true;
    }
    this.holdsValues = true;
    return true;
  }

  column(): SnapshotColumn {
    return { codes: this.codes, numbers: this.numbers, strings: this.strings };
  }
}

/** A column as the cache keeps it: its strings packed (a million short strings read back as one section, split when first read). */
function packed(column: SnapshotColumn): EncodedSnapshotValues["columns"] extends Map<string, infer C> ? C : never {
  if (column.packed) return { codes: column.codes, numbers: column.numbers, packed: column.packed };
  const strings = column.strings!;
  const lengths = new Int32Array(strings.length);
  for (let i = 0; i < strings.length; i++) lengths[i] = strings[i].length;
  const joined = strings.join("");
  const encoding = wellFormed(joined) ? "utf-8" : "utf16le";
  const text = Buffer.from(joined, encoding);
  return { codes: column.codes, numbers: column.numbers, packed: { text: new Uint8Array(text.buffer, text.byteOffset, text.length), lengths, encoding } };
}

function unpack(packed: PackedStrings): string[] {
  const joined = Buffer.from(packed.text.buffer, packed.text.byteOffset, packed.text.length).toString(packed.encoding);
  const out: string[] = new Array(packed.lengths.length);
  let at = 0;
  for (let i = 0; i < out.length; i++) out[i] = joined.slice(at, (at += packed.lengths[i]));
  return out;
}

/** No lone surrogate in text (String.prototype.isWellFormed: Node 20; the lib the sources compile against predates it). */
function wellFormed(text: string): boolean {
  const own = (text as unknown as { isWellFormed?: () => boolean }).isWellFormed;
  return own ? own.call(text) : !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
