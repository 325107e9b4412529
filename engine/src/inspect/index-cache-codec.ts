/**
 * The built index (History) as bytes and back, for the index cache
 * (index-cache.ts). The index is already made of typed arrays, arrays and
 * maps inside a few classes (op table, timeline, entry runs, id table,
 * versions, kept columns and their dictionaries): each class instance is
 * written as its own fields under its class's name, and V8's serializer
 * (node:v8) writes the rest as it is, typed arrays as their bytes. Shared
 * objects stay shared. A class not named below fails the encode: a cache is
 * never written for an index this file does not know how to read back. The
 * open file handles (OpReader) and the build's worker are not kept: the
 * loader opens its own.
 */
import { deserialize, serialize } from "node:v8";
import { EntryRuns } from "./entry-runs.js";
import type { History } from "./history.js";
import { IdIndex } from "./id-index.js";
import { KeptColumns } from "./kept-columns.js";
import { AgentTable, IntList, OpTable } from "./optable.js";
import { FieldCodes } from "./value-codes.js";
import { CurrentState, RecordVersions } from "./versions.js";

type Ctor = { prototype: object; name: string };

/** Every class the index holds, by a stable name (not the constructor's: a bundler may rename it). */
const CLASSES: Record<string, Ctor> = { OpTable, IntList, AgentTable, RecordVersions, CurrentState, IdIndex, EntryRuns, KeptColumns, FieldCodes };
const NAME_OF = new Map<object, string>(Object.entries(CLASSES).map(([name, c]) => [c.prototype, name]));

/** Fields whose values are user data or plain primitives: written as they are, never walked (a doc's keys are the user's). */
const OPAQUE: Record<string, Set<string>> = {
  RecordVersions: new Set(["snapshotValues"]),
  FieldCodes: new Set(["values", "lookup"]),
};
/** Function-valued fields that are set again on load (see index-cache.ts); any other function fails the encode. */
const REATTACHED = new Set(["CurrentState.load"]);

/** The marker keys of an encoded instance: a NUL starts no key opslog or a user writes in practice, and the decode checks both keys. */
const CLS = "\u0000cls";
const FIELDS = "\u0000f";

/** CurrentState's value that is still on disk, taken from an instance (the symbol is private to versions.ts). */
const LAZY: unknown = (() => {
  const probe = new CurrentState();
  probe.setLazy(0, 0, 0);
  return (probe as unknown as { values: unknown[] }).values[0];
})();

export class CannotEncode extends Error {}

/** The index as bytes (synchronous: the index cannot change while it is written). */
export function encodeHistory(h: History): Buffer {
  const seen = new Map<object, unknown>();
  const plain = { ...h, reader: null, parallel: null };
  return serialize(encode(plain, seen, "History"));
}

/** The index from bytes encodeHistory wrote; its reader and current state's loader are set by the caller. */
export function decodeHistory(bytes: Buffer): History {
  const root = deserialize(bytes) as Record<string, unknown>;
  return decode(root, new Map()) as unknown as History;
}

function encode(value: unknown, seen: Map<object, unknown>, where: string): unknown {
  if (typeof value === "function") throw new CannotEncode(`a function in ${where}`);
  if (typeof value === "symbol") throw new CannotEncode(`a symbol in ${where}`);
  if (value === null || typeof value !== "object" || ArrayBuffer.isView(value)) return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  const proto = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    seen.set(value, value); // a cycle back to it sees the original; none in the index
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v === null || typeof v !== "object" || ArrayBuffer.isView(v)) {
        if (typeof v === "function" || typeof v === "symbol") throw new CannotEncode(`a ${typeof v} in ${where}`);
        if (out) out[i] = v;
        continue;
      }
      const e = encode(v, seen, where);
      if (e !== v && !out) out = value.slice(0, i);
      if (out) out[i] = e;
    }
    seen.set(value, out ?? value);
    return out ?? value;
  }
  if (value instanceof Map) {
    const out = new Map();
    seen.set(value, out);
    for (const [k, v] of value) out.set(k, encode(v, seen, where));
    return out;
  }
  if (value instanceof Set) {
    for (const v of value) if (v !== null && typeof v === "object") throw new CannotEncode(`a set of objects in ${where}`);
    return value;
  }
  if (proto === Object.prototype || proto === null) {
    const out: Record<string, unknown> = {};
    seen.set(value, out);
    for (const [k, v] of Object.entries(value)) out[k] = encode(v, seen, `${where}.${k}`);
    return out;
  }
  const name = NAME_OF.get(proto);
  if (!name) throw new CannotEncode(`an instance of ${proto?.constructor?.name ?? "?"} in ${where}`);
  const fields: Record<string, unknown> = {};
  const out = { [CLS]: name, [FIELDS]: fields };
  seen.set(value, out);
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === "function") {
      if (!REATTACHED.has(`${name}.${k}`)) throw new CannotEncode(`a function in ${name}.${k}`);
    } else if (OPAQUE[name]?.has(k)) fields[k] = v;
    else if (name === "CurrentState" && k === "values") fields[k] = encodeValues(v as unknown[]);
    else fields[k] = encode(v, seen, `${name}.${k}`);
  }
  return out;
}

/** The current state's values: each one absent (0), still on disk (1) or here (2, in `docs` in record order). */
function encodeValues(values: unknown[]): { kinds: Uint8Array; docs: unknown[] } {
  const kinds = new Uint8Array(values.length);
  const docs: unknown[] = [];
  for (let rec = 0; rec < values.length; rec++) {
    const v = values[rec];
    if (v === undefined) continue;
    if (v === LAZY) kinds[rec] = 1;
    else if (typeof v === "symbol") throw new CannotEncode("an unknown symbol in CurrentState.values");
    else {
      kinds[rec] = 2;
      docs.push(v);
    }
  }
  return { kinds, docs };
}

function decodeValues(encoded: { kinds: Uint8Array; docs: unknown[] }): unknown[] {
  const { kinds, docs } = encoded;
  const values: unknown[] = new Array(kinds.length);
  let d = 0;
  for (let rec = 0; rec < kinds.length; rec++) values[rec] = kinds[rec] === 0 ? undefined : kinds[rec] === 1 ? LAZY : docs[d++];
  return values;
}

function isInstance(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length === 2 && keys[0] === CLS && keys[1] === FIELDS && typeof value[CLS] === "string";
}

/** Decoded in place: the deserializer's objects are this decode's own. */
function decode(value: unknown, seen: Map<object, unknown>): unknown {
  if (value === null || typeof value !== "object" || ArrayBuffer.isView(value) || value instanceof Set) return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    seen.set(value, value);
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v !== null && typeof v === "object") value[i] = decode(v, seen);
    }
    return value;
  }
  if (value instanceof Map) {
    seen.set(value, value);
    for (const [k, v] of value) if (v !== null && typeof v === "object") value.set(k, decode(v, seen));
    return value;
  }
  const record = value as Record<string, unknown>;
  if (!isInstance(record)) {
    seen.set(value, value);
    for (const k of Object.keys(record)) record[k] = decode(record[k], seen);
    return value;
  }
  const name = record[CLS] as string;
  const ctor = CLASSES[name];
  if (!ctor) throw new Error(`index cache: unknown class ${name}`);
  const instance = Object.create(ctor.prototype) as Record<string, unknown>;
  seen.set(value, instance);
  for (const [k, v] of Object.entries(record[FIELDS] as Record<string, unknown>)) {
    if (OPAQUE[name]?.has(k)) instance[k] = v;
    else if (name === "CurrentState" && k === "values") instance[k] = decodeValues(v as { kinds: Uint8Array; docs: unknown[] });
    else instance[k] = decode(v, seen);
  }
  return instance;
}
