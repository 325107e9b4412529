/**
 * The built index (StoreIndex) as bytes and back, for the index cache
 * (index-cache.ts). The index is already made of typed arrays, arrays and
 * maps inside a few classes (op table, timeline, entry runs, id table,
 * versions, kept columns and their dictionaries): each class instance is
 * written as its own fields under its class's name, and V8's serializer
 * (node:v8) writes the rest as it is, but for the large typed arrays: those
 * follow as raw sections, 8-byte aligned, read back as views on the file's
 * bytes (no copy, no parse). Shared objects stay shared. The snapshots'
 * values are not in that graph (reading a million documents back was most of
 * a reopen): they are chunks of their own, read back when asked for
 * (snapshot-values.ts), and the current state names them by its versions. A class not named below fails the encode: a cache is
 * never written for an index this file does not know how to read back. The
 * open file handles (OpReader) and the build's worker are not kept: the
 * loader opens its own. The kept columns (a filter's and a diff's, 40% of a
 * 1M-op index's bytes) are a part of their own after the rest, and so are
 * the snapshot documents' chunks (most of a 1M-record snapshot's), so that a
 * reopen reads them only when they are first asked for (index-cache.ts).
 * The raw sections are index-cache-sections.ts's; the current state's values,
 * index-cache-state.ts's.
 */
import { deserialize, serialize } from "node:v8";
import { EntryRuns } from "./entry-runs.js";
import type { StoreIndex } from "./store-index.js";
import { IdIndex } from "./id-index.js";
import { KeptColumns } from "./kept-columns.js";
import { AgentTable, IntList, OpTable } from "./optable.js";
import { FieldCodes } from "./value-codes.js";
import { RecordIds } from "./record-ids.js";
import type { StoredIds } from "./record-ids.js";
import { SnapshotValues } from "./snapshot-values.js";
import type { ChunkOnDisk, EncodedSnapshotValues } from "./snapshot-values.js";
import { CurrentState, RecordVersions } from "./versions.js";
import { CannotEncode, DOC, SECTION, STRINGS, STRINGS_MIN, align8, docMarker, joinStrings, section, sectionView, splitStrings } from "./index-cache-sections.js";
import type { Raw, Sections } from "./index-cache-sections.js";
import { decodeValues, encodeValues } from "./index-cache-state.js";
import type { CurrentStateFields } from "./index-cache-state.js";

export { CannotEncode } from "./index-cache-sections.js";

type Ctor = { prototype: object; name: string };

/** Every class the index holds, by a stable name (not the constructor's: a bundler may rename it). */
const CLASSES: Record<string, Ctor> = { OpTable, IntList, AgentTable, RecordVersions, RecordIds, CurrentState, IdIndex, EntryRuns, KeptColumns, FieldCodes };
const NAME_OF = new Map<object, string>(Object.entries(CLASSES).map(([name, c]) => [c.prototype, name]));

/** Fields whose values are user data or plain primitives: written as they are, never walked (a doc's keys are the user's). */
const OPAQUE: Record<string, Set<string>> = {};
/** Fields left out and made again from the others on load (see rebuilt(), and decodeValues for CurrentState's). */
const REBUILT: Record<string, Set<string>> = {
  FieldCodes: new Set(["lookup"]),
  CurrentState: new Set(["unhashed"]),
};
/** Function-valued fields that are set again on load (see index-cache.ts); any other function fails the encode. */
const REATTACHED = new Set(["CurrentState.load"]);

/** The marker keys of an encoded instance: a NUL starts no key opslog or a user writes in practice, and the decode checks both keys. */
const CLS = "\u0000cls";
const FIELDS = "\u0000f";

/** Where the kept columns stood in the index's graph: they follow as a part of their own. */
const DEFERRED = "\u0000deferred";
/** A part's head: the graph's length (u32), 4 bytes, and the part's whole length (f64: a 10M-op index passes 4 GB) */
const PART_HEAD = 16;

/**
 * The index as bytes, in buffers to write one after the other, starting at
 * an 8-byte aligned offset: two parts, the index without its kept columns,
 * then the kept columns. Each part: its head (PART_HEAD), the serialized
 * graph, then each raw section. Synchronous: the index cannot change while
 * it is encoded.
 */
export function encodeHistory(h: StoreIndex): Buffer[] {
  const seen = new Map<object, unknown>();
  const docs = { views: [] as Uint8Array[], bytes: 0 };
  const main = encodePart({ ...h, reader: null, parallel: null, columns: { [DEFERRED]: 1 } }, seen, h, undefined, docs);
  // The columns are read back on their own: anything they share with the rest would come back twice, so none may.
  const columns = encodePart(h.columns, new Map(), h, seen);
  // Then the snapshot documents' chunks, each read back from the file when one of its documents is asked for.
  const head = Buffer.alloc(PART_HEAD);
  const docParts: Buffer[] = [head];
  for (const view of docs.views) {
    docParts.push(Buffer.from(view.buffer, view.byteOffset, view.byteLength));
    if (align8(view.byteLength) > view.byteLength) docParts.push(Buffer.alloc(align8(view.byteLength) - view.byteLength));
  }
  head.writeDoubleLE(PART_HEAD + docs.bytes, 8);
  return [...main, ...columns, ...docParts];
}

function encodePart(value: unknown, seen: Map<object, unknown>, h: StoreIndex, other?: Map<object, unknown>, docs?: Sections["docs"]): Buffer[] {
  const sections: Sections = { views: [], bytes: 0, h, other, docs };
  const graph = serialize(encode(value, seen, "History", sections));
  const parts: Buffer[] = [];
  const head = Buffer.alloc(PART_HEAD);
  head.writeUInt32LE(graph.length);
  parts.push(head, graph, Buffer.alloc(align8(graph.length) - graph.length));
  for (const view of sections.views) {
    parts.push(Buffer.from(view.buffer, view.byteOffset, view.byteLength));
    if (align8(view.byteLength) > view.byteLength) parts.push(Buffer.alloc(align8(view.byteLength) - view.byteLength));
  }
  head.writeDoubleLE(parts.reduce((sum, part) => sum + part.length, 0), 8);
  return parts;
}

/** A part's whole length, from its first PART_HEAD bytes (where the next part starts). */
export function partBytes(head: Buffer): number {
  return head.readDoubleLE(8);
}

export const PART_HEAD_BYTES = PART_HEAD;

/**
 * The index from the first part encodeHistory wrote (kept alive by the typed
 * arrays that view it); its reader and current state's loader are set by the
 * caller, and its kept columns (decodeColumns, from the second part).
 */
export function decodeHistory(part: Buffer, docs: (at: number, bytes: number) => Uint8Array): StoreIndex {
  const h = decodePart(part, docs) as Record<string, unknown>;
  const columns = h.columns as Record<string, unknown> | undefined;
  if (!columns || columns[DEFERRED] !== 1) throw new Error("the index has no place for its kept columns");
  return h as unknown as StoreIndex;
}

/** The kept columns from the second part encodeHistory wrote. */
export function decodeColumns(part: Buffer): KeptColumns {
  const columns = decodePart(part);
  if (!(columns instanceof KeptColumns)) throw new Error("the second part is not the kept columns");
  return columns;
}

function decodePart(part: Buffer, docs?: Raw["docs"]): unknown {
  const bytes = part.byteOffset % 8 === 0 ? part : Buffer.from(part); // a copy lands at offset 0 of its own buffer
  const graphBytes = bytes.readUInt32LE(0);
  if (PART_HEAD + graphBytes > bytes.length || partBytes(bytes) !== bytes.length) throw new Error("a part of the wrong length");
  const raw = { buffer: bytes.buffer as ArrayBuffer, base: bytes.byteOffset + PART_HEAD + align8(graphBytes), end: bytes.byteOffset + bytes.length, docs };
  const root = deserialize(bytes.subarray(PART_HEAD, PART_HEAD + graphBytes)) as unknown;
  return decode(root, new Map(), raw);
}

function encode(value: unknown, seen: Map<object, unknown>, where: string, sections: Sections): unknown {
  if (typeof value === "function") throw new CannotEncode(`a function in ${where}`);
  if (typeof value === "symbol") throw new CannotEncode(`a symbol in ${where}`);
  if (value === null || typeof value !== "object") return value;
  if (sections.other?.has(value)) throw new CannotEncode(`${where}, which the kept columns share with the rest of the index`);
  if (ArrayBuffer.isView(value)) return section(value, sections);
  const known = seen.get(value);
  if (known !== undefined) return known;
  const proto = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    if (value.length >= STRINGS_MIN && value.every((v) => typeof v === "string")) {
      const out = joinStrings(value as string[], sections);
      seen.set(value, out);
      return out;
    }
    let out: unknown[] | null = null;
    seen.set(value, value); // a cycle back to it sees the original; none in the index
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v === null || typeof v !== "object") {
        if (typeof v === "function" || typeof v === "symbol") throw new CannotEncode(`a ${typeof v} in ${where}`);
        if (out) out[i] = v;
        continue;
      }
      const e = encode(v, seen, where, sections);
      if (e !== v && !out) out = value.slice(0, i);
      if (out) out[i] = e;
    }
    seen.set(value, out ?? value);
    return out ?? value;
  }
  if (value instanceof Map) {
    const out = new Map();
    seen.set(value, out);
    for (const [k, v] of value) out.set(k, encode(v, seen, where, sections));
    return out;
  }
  if (value instanceof Set) {
    for (const v of value) if (v !== null && typeof v === "object") throw new CannotEncode(`a set of objects in ${where}`);
    return value;
  }
  if (proto === Object.prototype || proto === null) {
    const out: Record<string, unknown> = {};
    seen.set(value, out);
    for (const [k, v] of Object.entries(value)) out[k] = encode(v, seen, `${where}.${k}`, sections);
    return out;
  }
  const name = NAME_OF.get(proto);
  if (!name) throw new CannotEncode(`an instance of ${proto?.constructor?.name ?? "?"} in ${where}`);
  const fields: Record<string, unknown> = {};
  const out = { [CLS]: name, [FIELDS]: fields };
  seen.set(value, out);
  if (name === "RecordIds") {
    // The ids as one string and their ends (not joinStrings, which a load splits back into a string each).
    const stored = (value as RecordIds).stored();
    fields.joined = stored.joined;
    fields.ends = section(stored.ends, sections);
    return out;
  }
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === "function") {
      if (!REATTACHED.has(`${name}.${k}`)) throw new CannotEncode(`a function in ${name}.${k}`);
    } else if (REBUILT[name]?.has(k)) continue;
    else if (OPAQUE[name]?.has(k)) fields[k] = v;
    else if (name === "CurrentState" && k === "values") fields[k] = encodeValues(value as unknown as CurrentStateFields, sections.h.versions); // user data: not walked
    else if (name === "RecordVersions" && k === "snapshotValues") {
      const values = (v as SnapshotValues).encode();
      if (!sections.docs) throw new CannotEncode(`${name}.${k} outside the index's main part`);
      const docs = sections.docs;
      fields[k] = encode({ ...values, chunks: values.chunks.map((chunk) => (chunk instanceof Uint8Array ? docMarker(chunk, docs) : chunk)) }, seen, `${name}.${k}`, sections);
    }
    else fields[k] = encode(v, seen, `${name}.${k}`, sections);
  }
  return out;
}

/** The fields left out (REBUILT), made again from the others. */
function rebuilt(name: string, instance: Record<string, unknown>): void {
  if (name === "FieldCodes") {
    // Each value's code is its place in `values`, from 1 (FieldCodes.add); made when first looked up (a new value: the live tail), not on load.
    Object.defineProperty(instance, "lookup", {
      configurable: true,
      enumerable: true,
      get() {
        const values = instance.values as unknown[];
        const lookup = new Map<unknown, number>();
        for (let i = 0; i < values.length; i++) lookup.set(values[i], i + 1);
        Object.defineProperty(instance, "lookup", { value: lookup, writable: true, configurable: true, enumerable: true });
        return lookup;
      },
    });
  }
}

function isInstance(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length === 2 && keys[0] === CLS && keys[1] === FIELDS && typeof value[CLS] === "string";
}

/** Decoded in place: the deserializer's objects are this decode's own. */
function decode(value: unknown, seen: Map<object, unknown>, raw: Raw): unknown {
  if (value === null || typeof value !== "object" || ArrayBuffer.isView(value) || value instanceof Set) return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    seen.set(value, value);
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v !== null && typeof v === "object") value[i] = decode(v, seen, raw);
    }
    return value;
  }
  if (value instanceof Map) {
    seen.set(value, value);
    for (const [k, v] of value) if (v !== null && typeof v === "object") value.set(k, decode(v, seen, raw));
    return value;
  }
  const record = value as Record<string, unknown>;
  if (typeof record[STRINGS] === "string") {
    const lengths = decode(record.lengths, seen, raw) as Int32Array;
    const list = splitStrings(record[STRINGS], lengths);
    seen.set(value, list);
    return list;
  }
  if (typeof record[DOC] === "number") {
    const { docs } = raw;
    const at = record[DOC];
    const bytes = record.bytes as number;
    if (!docs || at % 8 !== 0 || !(bytes >= 0)) throw new Error("a chunk of documents outside the file");
    const onDisk: ChunkOnDisk = { read: () => docs(at, bytes) };
    seen.set(value, onDisk);
    return onDisk;
  }
  if (typeof record[SECTION] === "string") {
    const view = sectionView(record, raw);
    seen.set(value, view);
    return view;
  }
  if (!isInstance(record)) {
    seen.set(value, value);
    for (const k of Object.keys(record)) record[k] = decode(record[k], seen, raw);
    return value;
  }
  const name = record[CLS] as string;
  const ctor = CLASSES[name];
  if (!ctor) throw new Error(`index cache: unknown class ${name}`);
  if (name === "RecordIds") {
    const fields = record[FIELDS] as Record<string, unknown>;
    const ids = RecordIds.fromStored({ joined: fields.joined, ends: decode(fields.ends, seen, raw) } as StoredIds);
    seen.set(value, ids);
    return ids;
  }
  const instance = Object.create(ctor.prototype) as Record<string, unknown>;
  seen.set(value, instance);
  let values: { kinds: Uint8Array; docs: unknown[] } | null = null;
  for (const [k, v] of Object.entries(record[FIELDS] as Record<string, unknown>)) {
    if (OPAQUE[name]?.has(k)) instance[k] = v;
    else if (name === "CurrentState" && k === "values") values = v as typeof values;
    else if (name === "RecordVersions" && k === "snapshotValues") instance[k] = SnapshotValues.decode(decode(v, seen, raw) as EncodedSnapshotValues);
    else instance[k] = decode(v, seen, raw);
  }
  if (values) decodeValues(values, instance as unknown as CurrentStateFields); // after `lazy`, which it counts on from
  rebuilt(name, instance);
  return instance;
}
